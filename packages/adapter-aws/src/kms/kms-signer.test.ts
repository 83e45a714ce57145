import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sha256Hex } from '@neurocipher/seg-ports';
import { CreateAliasCommand, CreateKeyCommand, GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  IN_TOTO_PAYLOAD_TYPE,
  evaluationStatement,
  preAuthEncoding,
  serializeEnvelope,
  signEnvelope,
  statementBytes,
  trustedKeyFromSigner,
  verifyEnvelope,
  verifyEnvelopeText,
} from '@neurocipher/seg-attest';
import { motoClientConfig, startMotoServer, type MotoServer } from '../testing/moto-server.ts';
import { KmsSigner } from './kms-signer.ts';

const RUN = {
  run_id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  scope: { org_id: 'org-1', tags: {} },
  started_at: '2026-01-02T03:04:05Z',
  ended_at: '2026-01-02T03:05:00Z',
  controls: ['CIS-AWS-1.4'],
  counts: { pass: 1 },
};

describe('KmsSigner (against moto KMS)', () => {
  let moto: MotoServer;
  let kms: KMSClient;
  let keyId: string;
  beforeAll(async () => {
    moto = await startMotoServer();
    kms = new KMSClient(motoClientConfig(moto));
    const key = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    keyId = key.KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/seg-attest', TargetKeyId: keyId }));
  });
  afterAll(async () => {
    kms.destroy();
    await moto.stop();
  });

  it('signs DSSE envelopes that attest, node:crypto and securesystemslib verify', async () => {
    const signer = await KmsSigner.create({ client: kms, keyId: 'alias/seg-attest' }).catch((e) => {
      console.log(JSON.stringify(e.details));
      throw e;
    });
    expect(signer.keyArn).toContain(keyId);
    const envelope = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytes(evaluationStatement(RUN)), [
      signer,
    ]);
    expect(envelope.signatures[0]!.keyid).toBe(signer.keyid);
    await expect(
      verifyEnvelope(envelope, { trustedKeys: [await trustedKeyFromSigner(signer)] }),
    ).resolves.toBeDefined();
    const viaPem = await verifyEnvelopeText(serializeEnvelope(envelope), [signer.publicKeyPem()]);
    expect(viaPem.signatures[0]!.algorithm).toBe('ecdsa-p256-sha256');
    const pae = preAuthEncoding(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
    const sig = Buffer.from(envelope.signatures[0]!.sig, 'base64');
    expect(nodeVerify('sha256', pae, { key: signer.publicKeyPem(), dsaEncoding: 'der' }, sig)).toBe(true);
    expect(
      nodeVerify(
        'sha256',
        Buffer.concat([pae, Buffer.from('x')]),
        { key: signer.publicKeyPem(), dsaEncoding: 'der' },
        sig,
      ),
    ).toBe(false);
    // securesystemslib computes the same keyid and verifies the KMS signature.
    const dir = await mkdtemp(join(tmpdir(), 'seg-kms-'));
    try {
      await writeFile(join(dir, 'envelope.json'), serializeEnvelope(envelope));
      await writeFile(join(dir, 'kms.pub'), signer.publicKeyPem());
      const python =
        process.env['SEG_PYTHON'] ?? join(import.meta.dirname, '../../../../.tools/venv/bin/python');
      const script = join(import.meta.dirname, '../../../attest/test/verify_sslib.py');
      const { stdout } = await promisify(execFile)(python, [
        script,
        join(dir, 'envelope.json'),
        join(dir, 'kms.pub'),
      ]);
      expect(stdout).toContain(`KEYID ecdsa ecdsa-sha2-nistp256 ${signer.keyid}`);
      expect(stdout).toContain('OK https://neurocipher.io/seg/attestation/evaluation-run/v1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses keys that cannot sign with ECDSA P-256, and maps a missing key to SEG_NOT_FOUND', async () => {
    const rsa = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }));
    await expect(KmsSigner.create({ client: kms, keyId: rsa.KeyMetadata!.KeyId! })).rejects.toMatchObject({
      error_code: 'SEG_INVALID_ARGUMENT',
    });
    await expect(
      KmsSigner.create({
        client: kms,
        keyId: '00000000-0000-0000-0000-000000000000',
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      }),
    ).rejects.toMatchObject({ error_code: 'SEG_NOT_FOUND' });
  });

  it('sends messages over 4 KiB as a SHA-256 DIGEST (moto ignores MessageType, so a recording client checks it)', async () => {
    const real = await KmsSigner.create({ client: kms, keyId });
    const sent: { Message?: Uint8Array; MessageType?: string }[] = [];
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const recording = {
      send: async (command: { input: { Message?: Uint8Array; MessageType?: string } }) => {
        if (command instanceof GetPublicKeyCommand) return kms.send(command);
        sent.push(command.input);
        // Sign what KMS would: the given digest, as a pre-hashed ECDSA input.
        return { Signature: nodeSign(null, command.input.Message!, { key: privateKey, dsaEncoding: 'der' }) };
      },
    } as unknown as KMSClient;
    const signer = await KmsSigner.create({ client: recording, keyId });
    expect(signer.keyid).toBe(real.keyid);
    const big = new Uint8Array(5000).fill(7);
    await signer.sign(big);
    expect(sent[0]!.MessageType).toBe('DIGEST');
    expect(Buffer.from(sent[0]!.Message!).toString('hex')).toBe(sha256Hex(big));
    const small = await real.sign(new Uint8Array(10));
    expect(
      nodeVerify('sha256', new Uint8Array(10), { key: real.publicKeyPem(), dsaEncoding: 'der' }, small),
    ).toBe(true);
  });

  it('reports an unreachable KMS as a retryable SEG_ADAPTER_UNAVAILABLE', async () => {
    const down = new KMSClient({ ...motoClientConfig(moto), endpoint: 'http://127.0.0.1:9' });
    await expect(
      KmsSigner.create({ client: down, keyId, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }),
    ).rejects.toMatchObject({ error_code: 'SEG_ADAPTER_UNAVAILABLE', retryable: true });
    down.destroy();
  });
});
