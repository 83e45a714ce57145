import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { isSegError } from '@neurocipher/seg-contracts';
import { motoClientConfig, startMotoServer, type MotoServer } from '../testing/moto-server.ts';
import { KmsKeyProvider } from './kms-key-provider.ts';

// A KMS client pointed at moto whose every call is counted (by command name) by an SDK middleware, and
// whose next `times` calls can be made to fail with a KMS error of the SDK's shape (`failWith`: a throttle
// by default; moto does not enforce disabled keys, so those answers are injected the same way).
function countingClient(moto: MotoServer) {
  const client = new KMSClient(motoClientConfig(moto));
  const calls: string[] = [];
  const state = { times: 0, failWith: 'ThrottlingException' };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      if (state.times > 0) {
        state.times -= 1;
        throw Object.assign(new Error(`injected ${state.failWith}`), {
          name: state.failWith,
          $metadata: { httpStatusCode: 400 },
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'segCountKmsCalls' },
  );
  const decrypts = () => calls.filter((c) => c === 'DecryptCommand').length;
  return { client, calls, decrypts, state };
}

async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string; retryable: boolean }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSegError(err)) throw new Error(`expected a SegError, got ${String(err)}`);
  return { code: err.error_code, message: err.message, retryable: err.retryable };
}

// What an envelope does with a data key: AES-256-GCM, so a wrong key cannot go unnoticed.
function seal(key: Uint8Array, text: string): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  return Buffer.concat([iv, c.update(text, 'utf8'), c.final(), c.getAuthTag()]);
}
function open(key: Uint8Array, sealed: Buffer): string {
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()]).toString('utf8');
}

const fast = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

describe('KmsKeyProvider (against moto KMS)', () => {
  let moto: MotoServer;
  let admin: KMSClient;
  let keyArn: string;
  let otherArn: string;
  beforeAll(async () => {
    moto = await startMotoServer();
    admin = new KMSClient(motoClientConfig(moto));
    const key = await admin.send(new CreateKeyCommand({ Description: 'seg evidence master key' }));
    keyArn = key.KeyMetadata!.Arn!;
    await admin.send(new CreateAliasCommand({ AliasName: 'alias/seg-evidence', TargetKeyId: keyArn }));
    otherArn = (await admin.send(new CreateKeyCommand({ Description: 'another key' }))).KeyMetadata!.Arn!;
  });
  afterAll(async () => {
    admin.destroy();
    await moto.stop();
  });

  it('generates AES-256 data keys that another provider on the same key unwraps', async () => {
    const writer = new KmsKeyProvider({ client: countingClient(moto).client, keyId: 'alias/seg-evidence' });
    const dk = await writer.generate_data_key();
    expect(dk.key_id).toBe(keyArn);
    expect(dk.plaintext).toHaveLength(32);
    expect(dk.plaintext.some((b) => b !== 0)).toBe(true);
    expect(Buffer.from(dk.ciphertext).includes(Buffer.from(dk.plaintext))).toBe(false);
    const sealed = seal(dk.plaintext, 's3://evidence/sha256/ab/abcd');

    const reader = countingClient(moto);
    const provider = new KmsKeyProvider({ client: reader.client, keyId: 'alias/seg-evidence' });
    const key = await provider.decrypt_data_key(dk.key_id, dk.ciphertext);
    expect(Buffer.from(key).equals(Buffer.from(dk.plaintext))).toBe(true);
    expect(open(key, sealed)).toBe('s3://evidence/sha256/ab/abcd');
    expect(reader.decrypts()).toBe(1);
    expect(await writer.generate_data_key(keyArn)).toMatchObject({ key_id: keyArn });
  });

  it('serves an unwrapped key from its cache: no second Decrypt, and none for a key it generated', async () => {
    const kms = countingClient(moto);
    const provider = new KmsKeyProvider({ client: kms.client, keyId: keyArn });
    const dk = await new KmsKeyProvider({ client: admin, keyId: keyArn }).generate_data_key();
    const first = await provider.decrypt_data_key(dk.key_id, dk.ciphertext);
    first.fill(0); // a caller zeroing its copy does not touch the cache
    const again = await provider.decrypt_data_key(dk.key_id, dk.ciphertext);
    expect(Buffer.from(again).equals(Buffer.from(dk.plaintext))).toBe(true);
    expect(kms.decrypts()).toBe(1);

    const own = await provider.generate_data_key();
    const unwrapped = await provider.decrypt_data_key(own.key_id, own.ciphertext);
    expect(Buffer.from(unwrapped).equals(Buffer.from(own.plaintext))).toBe(true);
    expect(kms.calls).toEqual(['DecryptCommand', 'GenerateDataKeyCommand']);
  });

  it('unwraps again once a cached key expires, and keeps at most maxCachedKeys', async () => {
    let now = 1_000_000;
    const kms = countingClient(moto);
    const provider = new KmsKeyProvider({
      client: kms.client,
      keyId: keyArn,
      cacheTtlMs: 60_000,
      maxCachedKeys: 1,
      now: () => now,
    });
    const source = new KmsKeyProvider({ client: admin, keyId: keyArn });
    const [a, b] = [await source.generate_data_key(), await source.generate_data_key()];
    await provider.decrypt_data_key(a.key_id, a.ciphertext);
    now += 59_999;
    await provider.decrypt_data_key(a.key_id, a.ciphertext);
    expect(kms.decrypts()).toBe(1);
    now += 1;
    await provider.decrypt_data_key(a.key_id, a.ciphertext);
    expect(kms.decrypts()).toBe(2);
    // One slot: b pushes a out.
    await provider.decrypt_data_key(b.key_id, b.ciphertext);
    await provider.decrypt_data_key(b.key_id, b.ciphertext);
    await provider.decrypt_data_key(a.key_id, a.ciphertext);
    expect(kms.decrypts()).toBe(4);

    const uncached = countingClient(moto);
    const none = new KmsKeyProvider({ client: uncached.client, keyId: keyArn, cacheTtlMs: 0 });
    await none.decrypt_data_key(a.key_id, a.ciphertext);
    await none.decrypt_data_key(a.key_id, a.ciphertext);
    expect(uncached.decrypts()).toBe(2);
  });

  it('refuses a data key of another master key, by its key id or by what KMS says', async () => {
    const foreign = await new KmsKeyProvider({ client: admin, keyId: otherArn }).generate_data_key();
    expect(foreign.key_id).toBe(otherArn);
    // A fresh provider cannot tell the ARN apart from its alias: KMS refuses to unwrap under its key.
    const fresh = countingClient(moto);
    const provider = new KmsKeyProvider({ client: fresh.client, keyId: 'alias/seg-evidence' });
    expect(await errorOf(provider.decrypt_data_key(foreign.key_id, foreign.ciphertext))).toMatchObject({
      code: 'SEG_INVALID_ARGUMENT',
      message: expect.stringContaining('under master key alias/seg-evidence'),
    });
    // Once it knows its key's ARN, it refuses another key id before calling KMS.
    await provider.generate_data_key();
    const before = fresh.calls.length;
    expect(await errorOf(provider.decrypt_data_key(foreign.key_id, foreign.ciphertext))).toEqual({
      code: 'SEG_NOT_FOUND',
      message: `unknown master key ${otherArn}: this provider wraps data keys with KMS key alias/seg-evidence`,
      retryable: false,
    });
    expect(await errorOf(provider.generate_data_key(otherArn))).toMatchObject({ code: 'SEG_NOT_FOUND' });
    expect(fresh.calls.length).toBe(before);
    // A data key of its own key claimed under another key id is refused too, after KMS names the key.
    const own = await new KmsKeyProvider({ client: admin, keyId: keyArn }).generate_data_key();
    const late = new KmsKeyProvider({ client: admin, keyId: 'alias/seg-evidence' });
    expect(await errorOf(late.decrypt_data_key(otherArn, own.ciphertext))).toMatchObject({
      code: 'SEG_NOT_FOUND',
    });
  });

  it('refuses a tampered wrapped key, and names a master key that does not exist or cannot be used', async () => {
    const provider = new KmsKeyProvider({ client: admin, keyId: keyArn });
    const dk = await provider.generate_data_key();
    const tampered = Buffer.from(dk.ciphertext);
    tampered[tampered.length - 1] = tampered.at(-1)! ^ 1;
    const fresh = new KmsKeyProvider({ client: admin, keyId: keyArn });
    const err = await errorOf(fresh.decrypt_data_key(dk.key_id, tampered));
    expect(err).toMatchObject({ code: 'SEG_INVALID_ARGUMENT', retryable: false });
    expect(err.message).not.toContain(Buffer.from(dk.plaintext).toString('base64'));

    const missing = new KmsKeyProvider({ client: admin, keyId: 'alias/no-such-key' });
    expect(await errorOf(missing.generate_data_key())).toMatchObject({
      code: 'SEG_NOT_FOUND',
      message: 'KMS master key alias/no-such-key does not exist',
    });

    const kms = countingClient(moto);
    const refused = new KmsKeyProvider({ client: kms.client, keyId: keyArn, retry: fast });
    for (const [failWith, text] of [
      ['DisabledException', `KMS master key ${keyArn} cannot wrap data keys (DisabledException)`],
      ['AccessDeniedException', `KMS denied kms:GenerateDataKey on master key ${keyArn}`],
    ] as const) {
      Object.assign(kms.state, { times: 1, failWith });
      expect(await errorOf(refused.generate_data_key())).toMatchObject({
        code: 'SEG_INVALID_ARGUMENT',
        message: expect.stringContaining(text),
        retryable: false,
      });
    }
    expect(kms.calls).toEqual(['GenerateDataKeyCommand', 'GenerateDataKeyCommand']);
  });

  it('retries a throttled call, and reports KMS that keeps throttling as retryable', async () => {
    const kms = countingClient(moto);
    const provider = new KmsKeyProvider({ client: kms.client, keyId: keyArn, retry: fast });
    kms.state.times = 2;
    expect((await provider.generate_data_key()).key_id).toBe(keyArn);
    expect(kms.calls).toHaveLength(3);
    kms.state.times = 10;
    expect(await errorOf(provider.generate_data_key())).toMatchObject({
      code: 'SEG_ADAPTER_UNAVAILABLE',
      retryable: true,
    });
  });

  it('refuses options that make no sense', () => {
    const bad = [
      { keyId: ' ' },
      { keyId: keyArn, cacheTtlMs: -1 },
      { keyId: keyArn, cacheTtlMs: Number.NaN },
      { keyId: keyArn, maxCachedKeys: 1.5 },
    ];
    for (const options of bad) {
      expect(() => new KmsKeyProvider({ client: admin, ...options })).toThrow(
        expect.objectContaining({ error_code: 'SEG_INVALID_ARGUMENT' }),
      );
    }
  });
});
