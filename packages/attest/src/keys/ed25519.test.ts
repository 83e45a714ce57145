import { describe, expect, it } from '@jest/globals';
import * as ed from '@noble/ed25519';
import { createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { RFC8032_VECTORS } from '../../test/support/fixtures.ts';
import { encodeBase64Url } from '../encoding/base64.ts';
import { fromHex, toHex } from '../encoding/bytes.ts';
import {
  Ed25519Signer,
  ed25519Keyid,
  ed25519PrivateKeyPem,
  ed25519PublicKeyPem,
  ed25519TrustedKey,
  parseEd25519PrivateKey,
  parseEd25519PublicKey,
  verifyEd25519,
} from './ed25519.ts';
import { trustedKeyFromSigner } from './trusted-key.ts';

describe('Ed25519Signer', () => {
  describe('RFC 8032 §7.1 test vectors', () => {
    it.each(RFC8032_VECTORS)('$name: public key, signature and strict verification', async (v) => {
      const signer = new Ed25519Signer({ privateKey: fromHex(v.seed)! });
      expect(toHex(signer.publicKey)).toBe(v.pub);
      const sig = await signer.sign(fromHex(v.msg)!);
      expect(toHex(sig)).toBe(v.sig);
      expect(verifyEd25519(sig, fromHex(v.msg)!, signer.publicKey)).toBe(true);
      const flipped = sig.slice();
      flipped[10] = (flipped[10] as number) ^ 1;
      expect(verifyEd25519(flipped, fromHex(v.msg)!, signer.publicKey)).toBe(false);
    });
  });

  it('uses the securesystemslib default keyid (RFC 8032 TEST 1 key)', () => {
    const signer = new Ed25519Signer({ privateKey: fromHex(RFC8032_VECTORS[0].seed)! });
    expect(signer.keyid).toBe('74c181c7ad8a0855d4b55e44d2ba87aabdddb196832571f15f92fece332e4916');
    expect(signer.publicKeyPem()).toBe(
      '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n',
    );
  });

  it('loads PEM PKCS#8 keys written by OpenSSL and signs like OpenSSL', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const signer = new Ed25519Signer({ privateKey: pem });
    const message = new TextEncoder().encode('attest');
    expect(toHex(await signer.sign(message))).toBe(toHex(nodeSign(null, message, privateKey)));
    expect(ed25519PrivateKeyPem(parseEd25519PrivateKey(pem))).toBe(pem);
  });

  it('loads JWK keys (object and JSON text) and checks x against d', () => {
    const seed = fromHex(RFC8032_VECTORS[1].seed)!;
    const pub = fromHex(RFC8032_VECTORS[1].pub)!;
    const jwk = { kty: 'OKP', crv: 'Ed25519', d: encodeBase64Url(seed), x: encodeBase64Url(pub) } as const;
    expect(new Ed25519Signer({ privateKey: jwk }).keyid).toBe(ed25519Keyid(pub));
    expect(new Ed25519Signer({ privateKey: JSON.stringify(jwk) }).publicKey).toEqual(pub);
    expect(toHex(parseEd25519PublicKey(jwk))).toBe(RFC8032_VECTORS[1].pub);
    expect(() =>
      parseEd25519PrivateKey({ ...jwk, x: encodeBase64Url(fromHex(RFC8032_VECTORS[0].pub)!) }),
    ).toThrow(/does not match/);
    expect(() => parseEd25519PrivateKey({ ...jwk, crv: 'X25519' } as never)).toThrow(/not an Ed25519/);
    expect(() => parseEd25519PrivateKey({ kty: 'OKP', crv: 'Ed25519', x: jwk.x } as never)).toThrow(/"d"/);
  });

  it('rejects key material that is not an Ed25519 key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(() => new Ed25519Signer({ privateKey: rsa })).toThrow(
      expect.objectContaining({ error_code: 'SEG_INVALID_ARGUMENT' }),
    );
    expect(() => new Ed25519Signer({ privateKey: new Uint8Array(31) })).toThrow(/32 bytes/);
    expect(() => new Ed25519Signer({ privateKey: '{not json' })).toThrow(
      expect.objectContaining({ error_code: 'SEG_INVALID_ARGUMENT' }),
    );
    expect(() => parseEd25519PublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toThrow(
      /SPKI/,
    );
    expect(() => ed25519TrustedKey(new Uint8Array(5))).toThrow(/32 bytes/);
  });

  it('parses public keys from PEM and hex, and exposes SPKI DER through the signer port', async () => {
    const signer = Ed25519Signer.generate();
    const pem = ed25519PublicKeyPem(signer.publicKey);
    expect(parseEd25519PublicKey(pem)).toEqual(signer.publicKey);
    expect(parseEd25519PublicKey(toHex(signer.publicKey))).toEqual(signer.publicKey);
    const spki = await signer.public_key();
    expect(Buffer.from(spki).toString('base64')).toBe(pem.split('\n')[1]);
    const fromPort = await trustedKeyFromSigner(signer);
    const msg = Uint8Array.of(1, 2, 3);
    expect(fromPort.keyid).toBe(signer.keyid);
    expect(await fromPort.verify(await signer.sign(msg), msg)).toBe(true);
    expect(await signer.trustedKey().verify(await signer.sign(msg), msg)).toBe(true);
  });

  it('rejects the small-order forgery ZIP-215 accepts, as OpenSSL does (strict RFC 8032, zip215: false)', () => {
    // Public key and R are the identity point, S = 0: [S]B = R + [k]A holds for every message.
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const forged = new Uint8Array(64);
    forged[0] = 1;
    const message = Uint8Array.of(1, 2, 3);
    expect(ed.verify(forged, message, identity, { zip215: true })).toBe(true);
    expect(verifyEd25519(forged, message, identity)).toBe(false);
    const spki = createPublicKey({
      key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), identity]),
      format: 'der',
      type: 'spki',
    });
    expect(nodeVerify(null, message, spki, forged)).toBe(false);
  });

  it('verifies strictly: wrong lengths and garbage are false, never a throw', () => {
    const pub = fromHex(RFC8032_VECTORS[0].pub)!;
    expect(verifyEd25519(new Uint8Array(63), new Uint8Array(0), pub)).toBe(false);
    expect(verifyEd25519(new Uint8Array(64).fill(0xff), new Uint8Array(0), pub)).toBe(false);
    expect(
      verifyEd25519(fromHex(RFC8032_VECTORS[0].sig)!, new Uint8Array(0), new Uint8Array(32).fill(0xff)),
    ).toBe(false);
  });
});
