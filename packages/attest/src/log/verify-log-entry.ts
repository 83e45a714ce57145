import type { BlobStore } from '@neurocipher/seg-ports';
import { isSegError } from '@neurocipher/seg-contracts';
import { sha256Hex } from '@neurocipher/seg-ports';
import { bytesEqual } from '../encoding/bytes.ts';
import { verifyFailed } from '../errors.ts';
import { verifyCheckpoint } from './checkpoint.ts';
import { inclusionProof, leafHash, verifyInclusion } from './merkle.ts';

/** Where a {@link TransparencyLog} keeps its entries, and the note key its checkpoints are signed with. */
export interface LogLocation {
  store: BlobStore;
  /** Key prefix of the log in the store (as given to the log). */
  prefix: string;
  /** The log's origin: the checkpoint's first line and the name of its note key. */
  origin: string;
  /** The raw 32-byte Ed25519 public key that signs the checkpoints. */
  publicKey: Uint8Array;
}

/** What {@link verifyLogEntry} proved. */
export interface LogEntryVerification {
  /** Zero-based position of the entry. */
  index: number;
  /** Size of the signed checkpoint the inclusion proof was verified against. */
  tree_size: number;
}

const pad = (n: number): string => String(n).padStart(12, '0');

async function read(store: BlobStore, key: string): Promise<Uint8Array | undefined> {
  try {
    return await store.get(key);
  } catch (error) {
    if (isSegError(error) && error.error_code === 'SEG_NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * Checks that `entry` (an envelope file's bytes) is in the log: finds its index through the log's
 * `by-hash/<sha256>` pointer, checks that entry holds exactly these bytes, verifies the signed
 * `checkpoint` (C2SP note by `publicKey` named `origin`), recomputes the RFC 9162 inclusion proof of the
 * entry from the stored entries and verifies it against the checkpoint's root. Returns `undefined` when
 * the log has no pointer for these bytes (not logged here).
 *
 * Errors: `SEG_ATTEST_VERIFY_FAILED` with `details.reason` `log_entry_mismatch` (the pointer names an
 * entry that is missing or holds other bytes), `checkpoint_invalid` (missing, malformed, another origin
 * or a bad signature), `inclusion_proof_invalid` (the entry is past the checkpoint, an entry it covers
 * is missing, or the entries do not hash to its root).
 */
export async function verifyLogEntry(
  log: LogLocation,
  entry: Uint8Array,
): Promise<LogEntryVerification | undefined> {
  const key = (name: string) => `${log.prefix}${name}`;
  const pointer = await read(log.store, key(`by-hash/${sha256Hex(entry)}`));
  if (pointer === undefined) return undefined;
  const text = new TextDecoder().decode(pointer);
  const index = /^(0|[1-9]\d*)$/.test(text) ? Number(text) : undefined;
  const stored = index === undefined ? undefined : await read(log.store, key(`entries/${pad(index)}`));
  if (index === undefined || stored === undefined || !bytesEqual(stored, entry)) {
    throw verifyFailed(
      'log_entry_mismatch',
      index === undefined || stored === undefined
        ? `the log's pointer for this envelope names no entry (${text.slice(0, 20)})`
        : `log entry ${index} does not hold this envelope`,
      { index: index ?? null },
    );
  }
  const note = await read(log.store, key('checkpoint'));
  const head =
    note === undefined
      ? undefined
      : verifyCheckpoint(new TextDecoder().decode(note), log.origin, log.publicKey);
  if (head === undefined || head.origin !== log.origin) {
    throw verifyFailed(
      'checkpoint_invalid',
      note === undefined
        ? 'the log has no checkpoint'
        : `the log checkpoint does not verify (origin ${log.origin}, the given key)`,
    );
  }
  if (index >= head.size) {
    throw verifyFailed(
      'inclusion_proof_invalid',
      `log entry ${index} is not covered by the checkpoint (tree size ${head.size})`,
      { index, tree_size: head.size },
    );
  }
  const leaves: Uint8Array[] = [];
  for (let i = 0; i < head.size; i++) {
    const bytes = i === index ? entry : await read(log.store, key(`entries/${pad(i)}`));
    if (bytes === undefined) {
      throw verifyFailed('inclusion_proof_invalid', `log entry ${i} of the checkpoint's tree is missing`, {
        index,
        missing: i,
      });
    }
    leaves.push(leafHash(bytes));
  }
  const proof = inclusionProof(index, leaves);
  if (!verifyInclusion(leafHash(entry), index, head.size, proof, head.root)) {
    throw verifyFailed(
      'inclusion_proof_invalid',
      `the inclusion proof of log entry ${index} does not verify against the checkpoint root (tree size ${head.size}): the log's entries were changed`,
      { index, tree_size: head.size },
    );
  }
  return { index, tree_size: head.size };
}
