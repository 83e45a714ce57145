import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { isSegError } from '@neurocipher/seg-contracts';
import { refusedEndpoint, startBlackholeServer } from '../testing/fault-injector.ts';
import { motoClientConfig, startMotoServer, type MotoServer } from '../testing/moto-server.ts';
import { S3BlobStore } from './s3-blob-store.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const ONE_TRY = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 };

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; retryable: boolean }> {
  try {
    await promise;
  } catch (error) {
    if (isSegError(error)) return { code: error.error_code, retryable: error.retryable };
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('S3BlobStore (against moto S3)', () => {
  let moto: MotoServer;
  let s3: S3Client;
  const bucket = 'seg-blobs-test';

  beforeAll(async () => {
    moto = await startMotoServer();
    s3 = new S3Client(motoClientConfig(moto));
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  it('stores bytes under <prefix><key> with the content type, and reads them back', async () => {
    const store = new S3BlobStore({ client: s3, bucket, prefix: 'evidence/' });
    await store.put('sha256/ab/one.json', bytes('{"a":1}'), { content_type: 'application/json' });
    expect(text(await store.get('sha256/ab/one.json'))).toBe('{"a":1}');
    const raw = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'evidence/sha256/ab/one.json' }));
    expect(await raw.Body!.transformToString()).toBe('{"a":1}');
    expect(raw.ContentType).toBe('application/json');
    await store.put('sha256/ab/one.json', bytes('{"a":2}'));
    expect(text(await store.get('sha256/ab/one.json'))).toBe('{"a":2}');
    await store.put('empty', new Uint8Array());
    expect((await store.get('empty')).byteLength).toBe(0);
  });

  it('answers exists, deletes idempotently and maps a missing key to SEG_NOT_FOUND', async () => {
    const store = new S3BlobStore({ client: s3, bucket, prefix: 'x/' });
    expect(await store.exists('k/v')).toBe(false);
    expect((await errorOf(store.get('k/v'))).code).toBe('SEG_NOT_FOUND');
    await store.put('k/v', bytes('v'));
    expect(await store.exists('k/v')).toBe(true);
    await store.delete('k/v');
    await store.delete('k/v');
    expect(await store.exists('k/v')).toBe(false);
    await expect(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'x/k/v' }))).rejects.toThrow();
  });

  it('with if_absent creates once (If-None-Match: *) and then rejects with SEG_CONFLICT, keeping the bytes', async () => {
    const store = new S3BlobStore({ client: s3, bucket, prefix: 'cas/' });
    await store.put('meta/00001.json', bytes('first'), { if_absent: true });
    expect(await errorOf(store.put('meta/00001.json', bytes('second'), { if_absent: true }))).toEqual({
      code: 'SEG_CONFLICT',
      retryable: false,
    });
    expect(text(await store.get('meta/00001.json'))).toBe('first');
    // Once the key is gone, a create-only write succeeds again.
    await store.delete('meta/00001.json');
    await store.put('meta/00001.json', bytes('third'), { if_absent: true });
    expect(text(await store.get('meta/00001.json'))).toBe('third');
    // (No race test here: moto checks If-None-Match and stores in two unlocked steps, so racing writers can
    // both win on moto; real S3 makes the check and the write one atomic step.)
  });

  it('lists keys under a prefix in order, paged by continuation token, without the store prefix', async () => {
    const store = new S3BlobStore({ client: s3, bucket, prefix: 'list/' });
    const other = new S3BlobStore({ client: s3, bucket, prefix: 'listing/' });
    const keys = ['a/3', 'a/1', 'a/2', 'a/10', 'a/b/4', 'a/b/5', 'a/c'];
    await Promise.all(keys.map((k) => store.put(k, bytes(k))));
    await other.put('a/zz', bytes('elsewhere'));
    await store.put('b/1', bytes('other prefix'));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.list('a/', { cursor: cursor ?? null, limit: 3 });
      expect(page.keys.length).toBeLessThanOrEqual(3);
      seen.push(...page.keys);
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual([...keys].sort());
    expect((await store.list('a/b/')).keys).toEqual(['a/b/4', 'a/b/5']);
    expect((await store.list('nothing/')).keys).toEqual([]);
    expect(await errorOf(store.list('a/', { limit: 1001 }))).toMatchObject({ code: 'SEG_INVALID_ARGUMENT' });
  });

  it('rejects malformed keys and prefixes with SEG_INVALID_ARGUMENT', async () => {
    const store = new S3BlobStore({ client: s3, bucket });
    for (const key of ['', '/abs', 'a//b', 'a/../b', './a', 'a\\b']) {
      expect((await errorOf(store.put(key, bytes('x')))).code).toBe('SEG_INVALID_ARGUMENT');
      expect((await errorOf(store.get(key))).code).toBe('SEG_INVALID_ARGUMENT');
    }
    expect(() => new S3BlobStore({ client: s3, bucket, prefix: 'no-slash' })).toThrow(/must end with/);
  });

  it('maps a write to a missing bucket to SEG_EVIDENCE_WRITE_FAILED', async () => {
    const store = new S3BlobStore({ client: s3, bucket: 'no-such-bucket-seg' });
    expect((await errorOf(store.put('k', bytes('x')))).code).toBe('SEG_EVIDENCE_WRITE_FAILED');
    expect((await errorOf(store.get('k'))).code).toBe('SEG_NOT_FOUND');
  });

  it('maps an unreachable endpoint to SEG_ADAPTER_UNAVAILABLE (retryable)', async () => {
    const client = new S3Client(motoClientConfig({ ...moto, endpoint: await refusedEndpoint() }));
    try {
      const store = new S3BlobStore({ client, bucket, retry: ONE_TRY });
      expect(await errorOf(store.get('k'))).toEqual({ code: 'SEG_ADAPTER_UNAVAILABLE', retryable: true });
      expect(await errorOf(store.put('k', bytes('x')))).toEqual({
        code: 'SEG_ADAPTER_UNAVAILABLE',
        retryable: true,
      });
    } finally {
      client.destroy();
    }
  });

  it('maps a call that gets no answer in timeoutMs to SEG_ADAPTER_TIMEOUT', async () => {
    const hole = await startBlackholeServer();
    const client = new S3Client(motoClientConfig({ ...moto, endpoint: hole.endpoint }));
    try {
      const store = new S3BlobStore({ client, bucket, timeoutMs: 300, retry: ONE_TRY });
      expect((await errorOf(store.list(''))).code).toBe('SEG_ADAPTER_TIMEOUT');
      expect((await errorOf(store.put('k', bytes('x')))).code).toBe('SEG_ADAPTER_TIMEOUT');
    } finally {
      client.destroy();
      await hole.close();
    }
  });
});
