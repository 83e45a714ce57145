import { describe, expect, it } from '@jest/globals';
import { createHash, verify as nodeVerify, createPublicKey } from 'node:crypto';
import { SegError } from '@neurocipher/seg-contracts';
import { memoryBlobStore } from '../../test/support/memory-blob-store.ts';
import { Ed25519Signer, ed25519PublicKeyPem } from '../keys/ed25519.ts';
import {
  checkpointBody,
  noteKeyId,
  noteSigner,
  noteVerifierKey,
  signCheckpoint,
  signNote,
  verifyCheckpoint,
  verifyNote,
} from './checkpoint.ts';
import { verifyConsistency } from './merkle.ts';
import { TransparencyLog } from './transparency-log.ts';

const ORIGIN = 'seg.example/tlog/test';
const key = Ed25519Signer.generate();
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

// A second, independent implementation of RFC 9162 inclusion verification, written here from the
// RFC's recursive definitions (MTH and PATH) with node:crypto, sharing no code with src/log/merkle.ts.
function sha256(...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}
function independentRootFromPath(index: number, size: number, leaf: Buffer, path: Buffer[]): Buffer {
  if (size === 1) {
    if (path.length !== 0) throw new Error('path too long');
    return leaf;
  }
  if (path.length === 0) throw new Error('path too short');
  let k = 1;
  while (k << 1 < size) k <<= 1;
  const sibling = path[path.length - 1]!;
  const rest = path.slice(0, -1);
  return index < k
    ? sha256(Buffer.from([1]), independentRootFromPath(index, k, leaf, rest), sibling)
    : sha256(Buffer.from([1]), sibling, independentRootFromPath(index - k, size - k, leaf, rest));
}
function independentVerifyInclusion(
  entry: Uint8Array,
  index: number,
  checkpointNote: string,
  path: Uint8Array[],
  pubPem: string,
): boolean {
  // Parse and check the checkpoint signature with OpenSSL (node:crypto), per C2SP signed-note.
  const [body, sigs] = checkpointNote.split('\n\n') as [string, string];
  const [origin, size, rootB64] = body.split('\n') as [string, string, string];
  const pub = createPublicKey(pubPem).export({ format: 'der', type: 'spki' }).subarray(12);
  const keyId = sha256(Buffer.from(`${origin}\n`), Buffer.from([1]), pub).subarray(0, 4);
  const blob = Buffer.from(sigs.replace(/^\u2014 \S+ /, '').trim(), 'base64');
  if (!blob.subarray(0, 4).equals(keyId)) return false;
  if (!nodeVerify(null, Buffer.from(`${body}\n`), createPublicKey(pubPem), blob.subarray(4))) return false;
  const leaf = sha256(Buffer.from([0]), Buffer.from(entry));
  return independentRootFromPath(
    index,
    Number(size),
    leaf,
    path.map((p) => Buffer.from(p)),
  ).equals(Buffer.from(rootB64, 'base64'));
}

describe('TransparencyLog', () => {
  const newLog = (store = memoryBlobStore()) =>
    new TransparencyLog({
      store,
      prefix: 'tlog/main/',
      origin: ORIGIN,
      signer: noteSigner(ORIGIN, key),
      base_url: 'https://seg.example/tlog/',
    });

  it('appends entries with proofs that an independent implementation verifies', async () => {
    const log = newLog();
    const results = [];
    for (let i = 0; i < 7; i++) results.push(await log.append(enc(`envelope ${i}`)));
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(results[6]!.uri).toBe('https://seg.example/tlog/entries/6');
    const checkpoint = await log.checkpoint();
    for (let i = 0; i < 7; i++) {
      const proof = await log.inclusionProof(i);
      expect(independentVerifyInclusion(enc(`envelope ${i}`), i, checkpoint, proof, key.publicKeyPem())).toBe(
        true,
      );
      expect(
        independentVerifyInclusion(enc(`envelope ${i}!`), i, checkpoint, proof, key.publicKeyPem()),
      ).toBe(false);
    }
    // The proof returned at append time verifies against the checkpoint returned with it.
    const r = results[2]!;
    expect(
      independentVerifyInclusion(enc('envelope 2'), 2, r.checkpoint, r.inclusion_proof, key.publicKeyPem()),
    ).toBe(true);
    expect(
      independentVerifyInclusion(
        enc('envelope 2'),
        2,
        r.checkpoint,
        r.inclusion_proof,
        ed25519PublicKeyPem(Ed25519Signer.generate().publicKey),
      ),
    ).toBe(false);
  });

  it('is idempotent per entry and append-only across reopen, with consistency proofs between heads', async () => {
    const store = memoryBlobStore();
    const log = newLog(store);
    await log.append(enc('a'));
    await log.append(enc('b'));
    const old = await log.treeHead();
    const again = await log.append(enc('a'));
    expect(again).toMatchObject({ index: 0, appended: false, tree_size: 2 });
    const reopened = newLog(store);
    expect(await reopened.size()).toBe(2);
    await Promise.all([reopened.append(enc('c')), reopened.append(enc('d')), reopened.append(enc('e'))]);
    const head = await reopened.treeHead();
    expect(head.size).toBe(5);
    expect(
      verifyConsistency(old.size, head.size, old.root, head.root, await reopened.consistencyProof(old.size)),
    ).toBe(true);
    expect(await reopened.entry(4)).toEqual(enc('e'));
    await expect(reopened.entry(5)).rejects.toMatchObject({ error_code: 'SEG_NOT_FOUND' });
    expect(new TextDecoder().decode(store.objects.get('tlog/main/checkpoint')!)).toMatch(
      /^seg\.example\/tlog\/test\n5\n/,
    );
    await expect(reopened.treeHead(9)).rejects.toThrow(RangeError);
    await expect(reopened.consistencyProof(1, 9)).rejects.toThrow(RangeError);
  });

  it('stays idempotent after a crash between writing an entry and its by-hash pointer', async () => {
    const store = memoryBlobStore();
    await newLog(store).append(enc('x'));
    store.objects.delete([...store.objects.keys()].find((k) => k.includes('by-hash/'))!);
    const reopened = newLog(store);
    expect(await reopened.append(enc('x'))).toMatchObject({ index: 0, appended: false });
    expect(await reopened.size()).toBe(1);
  });

  it('retries at the next index when another writer took the one it saw as free', async () => {
    const store = memoryBlobStore();
    const first = newLog(store);
    const second = newLog(store);
    await first.size();
    await second.append(enc('from second'));
    const retried = await first.append(enc('from first'));
    expect(retried).toMatchObject({ index: 1, appended: true, tree_size: 2 });
    expect(store.objects.get('tlog/main/entries/000000000000')).toEqual(enc('from second'));
    expect(await first.entry(1)).toEqual(enc('from first'));
  });

  it('loses nothing when many writers (separate instances) append to one store at once', async () => {
    const store = memoryBlobStore({ jitter: true });
    const writers = Array.from({ length: 24 }, () => newLog(store));
    // Each writer appends two entries of its own, and every writer appends one shared entry too.
    const results = await Promise.all(
      writers.flatMap((log, w) => [
        log.append(enc(`writer ${w} a`)),
        log.append(enc('shared')),
        log.append(enc(`writer ${w} b`)),
      ]),
    );
    const own = results.filter((_, i) => i % 3 !== 1);
    expect(new Set(own.map((r) => r.index)).size).toBe(48);
    const shared = results.filter((_, i) => i % 3 === 1);
    expect(new Set(shared.map((r) => r.index)).size).toBe(1);
    expect(shared.filter((r) => r.appended)).toHaveLength(1);
    const entries = [...store.objects.keys()].filter((k) => k.includes('/entries/'));
    expect(entries).toHaveLength(49);
    // Every entry holds what the writer that was given its index wrote.
    const reader = newLog(store);
    for (const [i, r] of own.entries()) {
      expect(new TextDecoder().decode(await reader.entry(r.index))).toBe(
        `writer ${Math.floor(i / 2)} ${i % 2 === 0 ? 'a' : 'b'}`,
      );
    }
    // The stored checkpoint covers every entry, and each append's proof verifies against its checkpoint.
    const checkpoint = new TextDecoder().decode(store.objects.get('tlog/main/checkpoint')!);
    expect(checkpoint).toBe(await reader.checkpoint());
    expect(verifyCheckpoint(checkpoint, ORIGIN, key.publicKey)?.size).toBe(49);
    for (const [i, r] of results.entries()) {
      const bytes = i % 3 === 1 ? enc('shared') : await reader.entry(r.index);
      expect(
        independentVerifyInclusion(bytes, r.index, r.checkpoint, r.inclusion_proof, key.publicKeyPem()),
      ).toBe(true);
    }
  });

  it('gives up with a retryable SEG_CONFLICT after its attempts, and passes other errors on', async () => {
    const store = memoryBlobStore();
    const greedy = {
      ...store,
      put: async () => Promise.reject(new SegError({ error_code: 'SEG_CONFLICT', message: 'taken' })),
    };
    const log = new TransparencyLog({
      store: greedy,
      prefix: '',
      origin: ORIGIN,
      signer: noteSigner(ORIGIN, key),
      base_url: 'https://x',
      retry: { attempts: 3, baseDelayMs: 0 },
    });
    await expect(log.append(enc('x'))).rejects.toMatchObject({
      error_code: 'SEG_CONFLICT',
      retryable: true,
      details: { attempts: 3 },
    });
    await expect(newLog(memoryBlobStore({ failPuts: true })).append(enc('x'))).rejects.toMatchObject({
      error_code: 'SEG_EVIDENCE_WRITE_FAILED',
    });
  });

  it('needs the signer named like the origin', () => {
    expect(
      () =>
        new TransparencyLog({
          store: memoryBlobStore(),
          prefix: '',
          origin: ORIGIN,
          signer: noteSigner('other', key),
          base_url: 'https://x',
        }),
    ).toThrow(RangeError);
    expect(newLog().origin).toBe(ORIGIN);
  });
});

describe('checkpoints (C2SP tlog-checkpoint, signed-note)', () => {
  const head = { origin: ORIGIN, size: 3, root: new Uint8Array(32).fill(9) };

  it('signs and verifies; rejects another key, a changed body and malformed notes', async () => {
    const note = await signCheckpoint(head, noteSigner(ORIGIN, key));
    expect(note.startsWith(checkpointBody(head) + '\n\u2014 ' + ORIGIN + ' ')).toBe(true);
    expect(verifyCheckpoint(note, ORIGIN, key.publicKey)).toEqual(head);
    expect(verifyCheckpoint(note, ORIGIN, Ed25519Signer.generate().publicKey)).toBeUndefined();
    expect(verifyCheckpoint(note.replace('\n3\n', '\n4\n'), ORIGIN, key.publicKey)).toBeUndefined();
    expect(verifyCheckpoint('no blank line', ORIGIN, key.publicKey)).toBeUndefined();
    expect(verifyCheckpoint('a\nb\n\n\u2014 x y\n', ORIGIN, key.publicKey)).toBeUndefined();
    expect(
      verifyCheckpoint(note.replace(`\u2014 ${ORIGIN}`, '\u2014 someone'), ORIGIN, key.publicKey),
    ).toBeUndefined();
    expect(() => checkpointBody({ ...head, origin: 'two\nlines' })).toThrow(RangeError);
  });

  it('rejects signed notes that are not checkpoints', async () => {
    const signer = noteSigner(ORIGIN, key);
    expect(verifyCheckpoint(await signNote('a\nb\n', signer), ORIGIN, key.publicKey)).toBeUndefined();
    expect(
      verifyCheckpoint(
        await signNote(`${ORIGIN}\n01\n${Buffer.alloc(32).toString('base64')}\n`, signer),
        ORIGIN,
        key.publicKey,
      ),
    ).toBeUndefined();
    expect(
      verifyCheckpoint(await signNote(`${ORIGIN}\n1\nAAAA\n`, signer), ORIGIN, key.publicKey),
    ).toBeUndefined();
  });

  it('reproduces the Go sumdb/note reference vector (golang.org/x/mod note_test.go)', async () => {
    const skey = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64');
    const peter = new Ed25519Signer({ privateKey: new Uint8Array(skey.subarray(1)) });
    const text =
      "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    const note = await signNote(text, noteSigner('PeterNeumann', peter));
    expect(note).toBe(
      `${text}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
    );
    expect(noteVerifierKey('PeterNeumann', peter.publicKey)).toBe(
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
    );
    expect(Buffer.from(noteKeyId('PeterNeumann', peter.publicKey)).toString('hex')).toBe('c74f20a3');
    expect(verifyNote(note, 'PeterNeumann', peter.publicKey)).toBe(text);
    await expect(signNote('no newline', noteSigner('PeterNeumann', peter))).rejects.toThrow(RangeError);
  });
});
