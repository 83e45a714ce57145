import { describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import { SignerPortId } from '../crypto/signer-port.ts';
import type { SignerPort } from '../crypto/signer-port.ts';
import { ed25519KeyId, InMemorySigner } from './in-memory-signer.ts';

const message = new TextEncoder().encode('statement');

describe('InMemorySigner', () => {
  it('implements SignerPort under its id', async () => {
    const signer: SignerPort = await InMemorySigner.generate();
    expect(signer.algorithm).toBe('ed25519');
    expect(SignerPortId).toBe(Symbol.for('seg.ports.SignerPort'));
  });

  describe('#public_key', () => {
    it('is SPKI DER, and the keyid is the securesystemslib keyid of the raw key in it', async () => {
      const signer = await InMemorySigner.generate();
      const der = await signer.public_key();
      expect(der).toHaveLength(44); // Ed25519 SPKI: 12-byte header + 32-byte key
      expect(signer.keyid).toBe(await ed25519KeyId(der.slice(12)));
      const imported = await globalThis.crypto.subtle.importKey(
        'spki',
        der.slice(),
        { name: 'Ed25519' },
        false,
        ['verify'],
      );
      expect(imported.type).toBe('public');
    });
  });

  describe('ed25519KeyId', () => {
    it('matches the keyid securesystemslib 1.6 computes for the same public key', async () => {
      // From CryptoSigner.generate_ed25519().public_key in the project's venv (securesystemslib 1.6.0).
      const raw = Uint8Array.from(
        Buffer.from('721cad1d6df37871c1ec2459c6defe8480422dfd797c582a3cf7f47ea447b732', 'hex'),
      );
      expect(await ed25519KeyId(raw)).toBe(
        '5e286377e30303d28229617c3cc758f4ee67ce8bbb48cbe009ff89266c9c66c6',
      );
      await expect(ed25519KeyId(new Uint8Array(31))).rejects.toThrow(TypeError);
    });
  });

  describe('#sign', () => {
    it('produces deterministic Ed25519 signatures that verify under the public key only for that message', async () => {
      const signer = await InMemorySigner.generate();
      const signature = await signer.sign(message);
      expect(signature).toHaveLength(64);
      expect(await signer.sign(message)).toEqual(signature);
      const key = await globalThis.crypto.subtle.importKey(
        'spki',
        (await signer.public_key()).slice(),
        { name: 'Ed25519' },
        false,
        ['verify'],
      );
      expect(
        await globalThis.crypto.subtle.verify({ name: 'Ed25519' }, key, signature.slice(), message.slice()),
      ).toBe(true);
      expect(await signer.verify(new TextEncoder().encode('other'), signature)).toBe(false);
      expect(await signer.verify(message, signature)).toBe(true);
    });

    it('gives different keys different keyids and signatures', async () => {
      const [a, b] = await Promise.all([InMemorySigner.generate(), InMemorySigner.generate()]);
      expect(a.keyid).not.toBe(b.keyid);
      expect(await b.verify(message, await a.sign(message))).toBe(false);
    });

    it('throws SEG_INVALID_ARGUMENT when the key cannot sign', async () => {
      const good = await InMemorySigner.generate();
      const verifyOnly = await globalThis.crypto.subtle.importKey(
        'spki',
        (await good.public_key()).slice(),
        { name: 'Ed25519' },
        false,
        ['verify'],
      );
      const broken = new InMemorySigner({
        private_key: verifyOnly,
        public_key: verifyOnly,
        public_key_der: await good.public_key(),
        keyid: good.keyid,
      });
      const error = await broken.sign(message).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isSegError(error, 'SEG_INVALID_ARGUMENT')).toBe(true);
    });
  });
});
