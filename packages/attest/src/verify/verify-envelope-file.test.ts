import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import type { SignerPort } from '@neurocipher/seg-ports';
import { RUN } from '../../test/support/fixtures.ts';
import { toHex, utf8 } from '../encoding/bytes.ts';
import { IN_TOTO_PAYLOAD_TYPE, serializeEnvelope, signEnvelope } from '../dsse/envelope.ts';
import { Ed25519Signer } from '../keys/ed25519.ts';
import { securesystemslibKeyid } from '../keys/keyid.ts';
import { MlDsa65Signer } from '../keys/ml-dsa.ts';
import { evaluationStatement, statementBytes } from '../statement/statement.ts';
import {
  trustedKeyFromPublicKeyText,
  verifyEnvelopeFile,
  verifyEnvelopeText,
} from './verify-envelope-file.ts';

const payload = statementBytes(evaluationStatement(RUN));
const ed = Ed25519Signer.generate();
const pq = MlDsa65Signer.generate();

/** An ECDSA P-256 signer shaped like the KMS one (DER signatures over SHA-256). */
function p256Signer(): { signer: SignerPort; pem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    pem,
    signer: {
      keyid: securesystemslibKeyid('ecdsa', 'ecdsa-sha2-nistp256', pem),
      algorithm: 'ecdsa-p256-sha256',
      public_key: async () => new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
      sign: async (m) => new Uint8Array(nodeSign('sha256', m, { key: privateKey, dsaEncoding: 'der' })),
    },
  };
}

describe('verifyEnvelopeText', () => {
  it('verifies with an Ed25519, an ML-DSA-65 or an ECDSA P-256 public key', async () => {
    const p256 = p256Signer();
    const env = serializeEnvelope(await signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [ed, pq, p256.signer]));
    const byEd = await verifyEnvelopeText(env, [ed.publicKeyPem()]);
    expect(byEd.statement_type).toBe('evaluation');
    expect(byEd.unchecked).toEqual([pq.keyid, p256.signer.keyid]);
    expect(byEd.payload).toEqual(payload);
    const all = await verifyEnvelopeText(env, [toHex(ed.publicKey), pq.publicKeyPem(), p256.pem]);
    expect(all.signatures.map((s) => s.algorithm)).toEqual(['ed25519', 'ml-dsa-65', 'ecdsa-p256-sha256']);
  });

  it('fails with SEG_ATTEST_VERIFY_FAILED when the given key did not sign', async () => {
    const env = serializeEnvelope(await signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [ed]));
    await expect(verifyEnvelopeText(env, [pq.publicKeyPem()])).rejects.toMatchObject({
      error_code: 'SEG_ATTEST_VERIFY_FAILED',
      details: expect.objectContaining({ reason: 'untrusted_key' }),
    });
    await expect(verifyEnvelopeText(env, [ed.publicKeyPem(), pq.publicKeyPem()])).rejects.toMatchObject({
      details: expect.objectContaining({ reason: 'missing_required_signature' }),
    });
    await expect(verifyEnvelopeText(env, [])).rejects.toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
  });

  it('rejects envelopes whose payload is not a SEG statement', async () => {
    const env = serializeEnvelope(await signEnvelope(IN_TOTO_PAYLOAD_TYPE, utf8('{"_type":"x"}'), [ed]));
    await expect(verifyEnvelopeText(env, [ed.publicKeyPem()])).rejects.toMatchObject({
      details: expect.objectContaining({ reason: 'unknown_statement_type' }),
    });
  });

  it('refuses public keys it cannot use', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => trustedKeyFromPublicKeyText(rsa)).toThrow(/unsupported public key/);
    expect(() =>
      trustedKeyFromPublicKeyText('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'),
    ).toThrow(/unsupported/);
    expect(() => trustedKeyFromPublicKeyText('hello')).toThrow(
      expect.objectContaining({ error_code: 'SEG_INVALID_ARGUMENT' }),
    );
  });
});

describe('verifyEnvelopeFile', () => {
  it('reads both files through the injected filesystem', async () => {
    const env = serializeEnvelope(await signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [ed]));
    const files: Record<string, string> = { '/e.json': env, '/k.pem': ed.publicKeyPem() };
    const fs = { readFile: async (p: string) => utf8(files[p]!) };
    expect((await verifyEnvelopeFile('/e.json', '/k.pem', fs)).statement.predicateType).toMatch(
      /evaluation-run\/v1$/,
    );
    expect((await verifyEnvelopeFile('/e.json', ['/k.pem'], fs)).signatures).toHaveLength(1);
  });
});
