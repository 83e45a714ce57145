import { describe, expect, it } from '@jest/globals';
import { memoryBlobStore } from '../../test/support/memory-blob-store.ts';
import { Ed25519Signer } from '../keys/ed25519.ts';
import { noteSigner } from './checkpoint.ts';
import { TransparencyLog } from './transparency-log.ts';
import { verifyLogEntry } from './verify-log-entry.ts';

const ORIGIN = 'seg.example/tlog/test';
const key = Ed25519Signer.generate();
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

async function logOf(...entries: string[]) {
  const store = memoryBlobStore();
  const log = new TransparencyLog({
    store,
    prefix: 'tlog/',
    origin: ORIGIN,
    signer: noteSigner(ORIGIN, key),
    base_url: 'https://seg.example/tlog',
  });
  for (const e of entries) await log.append(enc(e));
  const location = { store, prefix: 'tlog/', origin: ORIGIN, publicKey: key.publicKey };
  const entryKey = (i: number) => `tlog/entries/${String(i).padStart(12, '0')}`;
  return { store, location, entryKey };
}

describe('verifyLogEntry', () => {
  it('finds an entry by its hash and verifies its inclusion against the signed checkpoint', async () => {
    const { location } = await logOf('a', 'b', 'c', 'd', 'e');
    expect(await verifyLogEntry(location, enc('c'))).toEqual({ index: 2, tree_size: 5 });
    expect(await verifyLogEntry(location, enc('e'))).toEqual({ index: 4, tree_size: 5 });
    expect(await verifyLogEntry(location, enc('not logged'))).toBeUndefined();
  });

  it('fails when the entry the pointer names holds other bytes or is gone', async () => {
    const { store, location, entryKey } = await logOf('a', 'b', 'c');
    store.objects.set(entryKey(1), enc('B'));
    await expect(verifyLogEntry(location, enc('b'))).rejects.toMatchObject({
      error_code: 'SEG_ATTEST_VERIFY_FAILED',
      message: 'log entry 1 does not hold this envelope',
      details: { reason: 'log_entry_mismatch' },
    });
    store.objects.delete(entryKey(1));
    await expect(verifyLogEntry(location, enc('b'))).rejects.toMatchObject({
      details: { reason: 'log_entry_mismatch' },
    });
    const pointer = [...store.objects.keys()].find(
      (k) => k.startsWith('tlog/by-hash/') && new TextDecoder().decode(store.objects.get(k)) === '2',
    )!;
    store.objects.set(pointer, enc('two'));
    await expect(verifyLogEntry(location, enc('c'))).rejects.toMatchObject({
      details: { reason: 'log_entry_mismatch' },
    });
  });

  it('fails when another entry of the tree was changed or removed', async () => {
    const { store, location, entryKey } = await logOf('a', 'b', 'c', 'd');
    store.objects.set(entryKey(3), enc('D'));
    await expect(verifyLogEntry(location, enc('a'))).rejects.toMatchObject({
      details: { reason: 'inclusion_proof_invalid' },
      message: expect.stringContaining('does not verify against the checkpoint root (tree size 4)'),
    });
    store.objects.delete(entryKey(3));
    await expect(verifyLogEntry(location, enc('a'))).rejects.toMatchObject({
      details: { reason: 'inclusion_proof_invalid', missing: 3 },
    });
  });

  it('fails on a checkpoint that is missing, tampered, signed by another key, or too small', async () => {
    const { store, location } = await logOf('a', 'b', 'c');
    const good = store.objects.get('tlog/checkpoint')!;
    store.objects.set('tlog/checkpoint', enc(new TextDecoder().decode(good).replace('\n3\n', '\n2\n')));
    await expect(verifyLogEntry(location, enc('a'))).rejects.toMatchObject({
      details: { reason: 'checkpoint_invalid' },
    });
    store.objects.set('tlog/checkpoint', good);
    await expect(
      verifyLogEntry({ ...location, publicKey: Ed25519Signer.generate().publicKey }, enc('a')),
    ).rejects.toMatchObject({ details: { reason: 'checkpoint_invalid' } });
    await expect(verifyLogEntry({ ...location, origin: 'other' }, enc('a'))).rejects.toMatchObject({
      details: { reason: 'checkpoint_invalid' },
    });
    // A checkpoint honestly signed over the first two entries only does not cover entry 2.
    const small = await logOf('a', 'b');
    store.objects.set('tlog/checkpoint', small.store.objects.get('tlog/checkpoint')!);
    await expect(verifyLogEntry(location, enc('c'))).rejects.toMatchObject({
      details: { reason: 'inclusion_proof_invalid', index: 2, tree_size: 2 },
    });
    store.objects.delete('tlog/checkpoint');
    await expect(verifyLogEntry(location, enc('a'))).rejects.toMatchObject({
      message: 'the log has no checkpoint',
    });
  });
});
