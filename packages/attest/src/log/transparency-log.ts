import type { BlobStore } from '@neurocipher/seg-ports';
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import { sha256Hex } from '@neurocipher/seg-ports';
import { toHex, utf8 } from '../encoding/bytes.ts';
import { signCheckpoint, type NoteSigner, type TreeHead } from './checkpoint.ts';
import { consistencyProof, inclusionProof, leafHash, merkleRoot } from './merkle.ts';
import { retryOnConflict, type RetryOnConflictOptions } from './retry-on-conflict.ts';

/** Options of {@link TransparencyLog}. */
export interface TransparencyLogOptions {
  /** Where entries live; the local-directory blob store is the embedded default. */
  store: BlobStore;
  /** Key prefix of this log in the store, e.g. `tlog/main/`. */
  prefix: string;
  /** The checkpoint origin line (and note key name), e.g. `seg.neurocipher.io/tlog/main`. */
  origin: string;
  /** Signs checkpoints; its `name` must equal `origin`. */
  signer: NoteSigner;
  /** http(s) base under which entry URIs are formed: `<base_url>/entries/<index>`. */
  base_url: string;
  /** How an append retries after losing an index to another writer (default: 100 attempts, 2–100 ms). */
  retry?: RetryOnConflictOptions;
}

/** What appending an entry gives back. */
export interface LogAppendResult {
  /** Zero-based position of the entry. */
  index: number;
  /** False when the same bytes were already logged (append is idempotent). */
  appended: boolean;
  /** RFC 9162 leaf hash of the entry. */
  leaf_hash: Uint8Array;
  /** The signed checkpoint of the tree that contains the entry. */
  checkpoint: string;
  /** The tree size that checkpoint covers. */
  tree_size: number;
  /** Audit path of the entry in that tree. */
  inclusion_proof: Uint8Array[];
  /** `<base_url>/entries/<index>`. */
  uri: string;
}

const pad = (n: number): string => String(n).padStart(12, '0');

/**
 * A local append-only transparency log: entries are stored under a prefix of a BlobStore
 * (`entries/<index>`, plus a `by-hash/<sha256 of entry>` pointer for lookups), hashed per RFC 9162, with
 * inclusion and consistency proofs and C2SP signed checkpoints (`checkpoint`).
 *
 * Many writers (processes, or separate instances) may append to one store at once: an entry is written
 * create-only (`if_absent`), so no index is ever given out twice or overwritten. A writer that loses the
 * race reads the entries it has not seen and retries at the next index (jittered backoff, bounded
 * attempts). After appending, a writer rewrites `checkpoint` until no entry lies past the size it wrote,
 * so the last writer to finish leaves a checkpoint that covers every entry. Appends are also serialised
 * within one instance.
 */
export class TransparencyLog {
  readonly #options: TransparencyLogOptions;
  readonly #retry: RetryOnConflictOptions;
  /** Leaf hashes of the entries read so far (entries are never rewritten, so this only grows). */
  readonly #leaves: Uint8Array[] = [];
  /** Index of each entry by the hex of its leaf hash, built from the entries as they are read. */
  readonly #indexByLeaf = new Map<string, number>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: TransparencyLogOptions) {
    if (options.signer.name !== options.origin)
      throw new RangeError('the checkpoint signer name must equal the origin');
    this.#options = { ...options, base_url: options.base_url.replace(/\/+$/, '') };
    this.#retry = options.retry ?? {};
  }

  /** The origin line of this log. */
  get origin(): string {
    return this.#options.origin;
  }

  /** The URI of entry `index`. */
  entryUri(index: number): string {
    return `${this.#options.base_url}/entries/${index}`;
  }

  #key(name: string): string {
    return `${this.#options.prefix}${name}`;
  }

  // Reads the entries past those already seen (other writers may have added some) and returns every
  // leaf hash. Safe to run concurrently: a leaf is recorded only at the position it was read for.
  async #load(): Promise<Uint8Array[]> {
    const leaves = this.#leaves;
    for (;;) {
      const index = leaves.length;
      let bytes: Uint8Array;
      try {
        bytes = await this.#options.store.get(this.#key(`entries/${pad(index)}`));
      } catch (error) {
        if (isSegError(error) && error.error_code === 'SEG_NOT_FOUND') return leaves;
        throw error;
      }
      if (leaves.length !== index) continue;
      const hash = leafHash(bytes);
      if (!this.#indexByLeaf.has(toHex(hash))) this.#indexByLeaf.set(toHex(hash), index);
      leaves.push(hash);
    }
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Number of entries. */
  async size(): Promise<number> {
    return (await this.#load()).length;
  }

  /** The bytes of entry `index`; `SEG_NOT_FOUND` past the end. */
  async entry(index: number): Promise<Uint8Array> {
    const leaves = await this.#load();
    if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
      throw new SegError({ error_code: 'SEG_NOT_FOUND', message: 'no such log entry', details: { index } });
    }
    return this.#options.store.get(this.#key(`entries/${pad(index)}`));
  }

  /**
   * Appends `entry` unless the same bytes are already logged (by this or any other writer), then returns
   * its index, a signed checkpoint of the tree and the inclusion proof against it. Errors: `SEG_CONFLICT`
   * (retryable) when other writers won every attempt; store errors are passed on.
   */
  append(entry: Uint8Array): Promise<LogAppendResult> {
    return this.#serial(async () => {
      const store = this.#options.store;
      const hash = leafHash(entry);
      const hex = toHex(hash);
      const byHash = this.#key(`by-hash/${sha256Hex(entry)}`);
      const { index, appended } = await retryOnConflict(async () => {
        await this.#load();
        // Idempotency comes from the entries themselves (re-read after every lost race), so neither a
        // concurrent writer of the same bytes nor a crash before the by-hash pointer makes a duplicate.
        const existing = this.#indexByLeaf.get(hex);
        if (existing !== undefined) return { index: existing, appended: false };
        const next = this.#leaves.length;
        await store.put(this.#key(`entries/${pad(next)}`), entry, {
          content_type: 'application/json',
          if_absent: true,
        });
        return { index: next, appended: true };
      }, this.#retry);
      if (appended || !(await store.exists(byHash)))
        await store.put(byHash, utf8(String(index)), { content_type: 'text/plain' });
      const { checkpoint, size } = await this.#publishCheckpoint();
      const leaves = this.#leaves.slice(0, size);
      return {
        index,
        appended,
        leaf_hash: leaves[index] as Uint8Array,
        checkpoint,
        tree_size: size,
        inclusion_proof: inclusionProof(index, leaves),
        uri: this.entryUri(index),
      };
    });
  }

  // The size of the stored checkpoint, or undefined when there is none (or it cannot be read as one).
  async #storedCheckpointSize(): Promise<number | undefined> {
    let note: string;
    try {
      note = new TextDecoder().decode(await this.#options.store.get(this.#key('checkpoint')));
    } catch (error) {
      if (isSegError(error) && error.error_code === 'SEG_NOT_FOUND') return undefined;
      throw error;
    }
    const size = note.split('\n')[1] ?? '';
    return /^(0|[1-9]\d*)$/.test(size) ? Number(size) : undefined;
  }

  // Signs a checkpoint of every entry seen and stores it unless a larger one is stored; then, while an
  // entry lies past that size (the log grew meanwhile), does it again. Whichever writer stores last
  // finds no entry past its size, so the stored checkpoint ends up covering every entry.
  async #publishCheckpoint(): Promise<{ checkpoint: string; size: number }> {
    const store = this.#options.store;
    for (;;) {
      const leaves = await this.#load();
      const size = leaves.length;
      const checkpoint = await signCheckpoint(
        { origin: this.#options.origin, size, root: merkleRoot(leaves) },
        this.#options.signer,
      );
      const stored = await this.#storedCheckpointSize();
      if (stored === undefined || stored < size)
        await store.put(this.#key('checkpoint'), utf8(checkpoint), { content_type: 'text/plain' });
      if (!(await store.exists(this.#key(`entries/${pad(size)}`)))) return { checkpoint, size };
    }
  }

  /** The current tree head (origin, size, root). */
  async treeHead(size?: number): Promise<TreeHead> {
    const leaves = await this.#load();
    const n = size ?? leaves.length;
    if (!Number.isInteger(n) || n < 0 || n > leaves.length) throw new RangeError('tree size outside the log');
    return { origin: this.#options.origin, size: n, root: merkleRoot(leaves.slice(0, n)) };
  }

  /** A freshly signed C2SP checkpoint of the current tree. */
  async checkpoint(): Promise<string> {
    return signCheckpoint(await this.treeHead(), this.#options.signer);
  }

  /** Inclusion proof of entry `index` in the tree of size `treeSize` (default: the current size). */
  async inclusionProof(index: number, treeSize?: number): Promise<Uint8Array[]> {
    const leaves = await this.#load();
    return inclusionProof(index, leaves.slice(0, treeSize ?? leaves.length));
  }

  /** Consistency proof from the tree of `oldSize` to the tree of `newSize` (default: the current size). */
  async consistencyProof(oldSize: number, newSize?: number): Promise<Uint8Array[]> {
    const leaves = await this.#load();
    const n = newSize ?? leaves.length;
    if (!Number.isInteger(n) || n > leaves.length) throw new RangeError('tree size outside the log');
    return consistencyProof(oldSize, leaves.slice(0, n));
  }
}
