import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { encodePem } from './pem.ts';
import {
  MlDsa65Signer,
  mlDsa65Keyid,
  mlDsa65TrustedKey,
  mlDsaMessage,
  parseMlDsa65PublicKey,
} from './ml-dsa.ts';
import { ecdsaP256TrustedKey, trustedKeyFromSigner, trustedKeyFromSpki } from './trusted-key.ts';
import { sign as nodeSign } from 'node:crypto';

describe('MlDsa65Signer', () => {
  const signer = new MlDsa65Signer({ seed: new Uint8Array(32).fill(7) });
  const message = new TextEncoder().encode('DSSEv1 1 t 1 x');

  it('is deterministic in its key from the seed and keyed by its securesystemslib keyid', () => {
    const again = new MlDsa65Signer({ seed: new Uint8Array(32).fill(7) });
    expect(again.publicKey).toEqual(signer.publicKey);
    expect(signer.keyid).toBe(mlDsa65Keyid(signer.publicKey));
    expect(signer.keyid).not.toBe(MlDsa65Signer.generate().keyid);
  });

  it('signs the TAP 21 message of the PAE, which its trusted key verifies', async () => {
    const sig = await signer.sign(message);
    expect(sig.length).toBe(3309);
    expect(mlDsaMessage(message).slice(0, 4)).toEqual(Uint8Array.of(0x74, 0x75, 0x66, 1));
    expect(await signer.trustedKey().verify(sig, message)).toBe(true);
    expect(await signer.trustedKey().verify(sig, Uint8Array.of(1))).toBe(false);
    expect(await signer.trustedKey().verify(new Uint8Array(10), message)).toBe(false);
    const viaPort = await trustedKeyFromSigner(signer);
    expect(await viaPort.verify(sig, message)).toBe(true);
  });

  it('round-trips its SPKI PEM and refuses other keys', () => {
    expect(parseMlDsa65PublicKey(signer.publicKeyPem())).toEqual(signer.publicKey);
    expect(mlDsa65TrustedKey(signer.publicKeyPem()).keyid).toBe(signer.keyid);
    expect(() => parseMlDsa65PublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toThrow(
      /ML-DSA-65/,
    );
    expect(() => mlDsa65TrustedKey(new Uint8Array(3))).toThrow(/1952/);
    expect(() => new MlDsa65Signer({ seed: new Uint8Array(3) })).toThrow(/32 bytes/);
  });
});

describe('ecdsaP256TrustedKey', () => {
  it('verifies DER ECDSA P-256 / SHA-256 signatures (the KMS form) and rejects other curves', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const der = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    const key = trustedKeyFromSpki('ecdsa-p256-sha256', der, 'kms-key');
    const msg = Uint8Array.of(9, 9);
    const sig = new Uint8Array(nodeSign('sha256', msg, { key: privateKey, dsaEncoding: 'der' }));
    expect(key.verify(sig, msg)).toBe(true);
    expect(key.verify(sig, Uint8Array.of(9))).toBe(false);
    expect(key.verify(new Uint8Array(3), msg)).toBe(false);
    expect(ecdsaP256TrustedKey(encodePem('PUBLIC KEY', der), 'k').algorithm).toBe('ecdsa-p256-sha256');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => ecdsaP256TrustedKey(p384, 'k')).toThrow(/P-256/);
    expect(() => ecdsaP256TrustedKey('junk', 'k')).toThrow(/SPKI/);
  });

  it('builds Ed25519 and ML-DSA keys from SPKI DER too', async () => {
    const signer = new MlDsa65Signer({ seed: new Uint8Array(32).fill(1) });
    expect(trustedKeyFromSpki('ml-dsa-65', await signer.public_key(), 'x').algorithm).toBe('ml-dsa-65');
  });
});
