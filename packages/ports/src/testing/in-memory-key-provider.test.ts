import { describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import { KeyProviderId } from '../crypto/signer-port.ts';
import type { KeyProvider } from '../crypto/signer-port.ts';
import { InMemoryKeyProvider } from './in-memory-key-provider.ts';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isSegError(error)) return error.error_code;
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('InMemoryKeyProvider', () => {
  it('implements KeyProvider under its id', () => {
    const provider: KeyProvider = new InMemoryKeyProvider();
    expect(provider).toBeInstanceOf(InMemoryKeyProvider);
    expect(KeyProviderId).toBe(Symbol.for('seg.ports.KeyProvider'));
  });

  describe('#generate_data_key', () => {
    it('issues a fresh 32-byte key wrapped under the default master key', async () => {
      const provider = new InMemoryKeyProvider();
      const a = await provider.generate_data_key();
      const b = await provider.generate_data_key();
      expect(a.key_id).toBe('local-master');
      expect(a.plaintext).toHaveLength(32);
      expect(a.ciphertext).toHaveLength(12 + 32 + 16);
      expect(a.plaintext).not.toEqual(b.plaintext);
      expect(Buffer.from(a.ciphertext).includes(Buffer.from(a.plaintext))).toBe(false);
    });

    it('is SEG_NOT_FOUND for an unknown master key', async () => {
      expect(await codeOf(new InMemoryKeyProvider().generate_data_key('nope'))).toBe('SEG_NOT_FOUND');
    });
  });

  describe('#decrypt_data_key', () => {
    it('unwraps a data key under the master key that wrapped it', async () => {
      const provider = new InMemoryKeyProvider({ default_key_id: 'k1', key_ids: ['k2'] });
      const key = await provider.generate_data_key('k2');
      expect(key.key_id).toBe('k2');
      expect(await provider.decrypt_data_key('k2', key.ciphertext)).toEqual(key.plaintext);
    });

    it('is SEG_INVALID_ARGUMENT for a tampered, truncated or foreign wrapped key', async () => {
      const provider = new InMemoryKeyProvider({ key_ids: ['other'] });
      const key = await provider.generate_data_key();
      const tampered = key.ciphertext.slice();
      tampered[20] = (tampered[20] ?? 0) ^ 1;
      expect(await codeOf(provider.decrypt_data_key('local-master', tampered))).toBe('SEG_INVALID_ARGUMENT');
      expect(await codeOf(provider.decrypt_data_key('local-master', key.ciphertext.slice(0, 20)))).toBe(
        'SEG_INVALID_ARGUMENT',
      );
      expect(await codeOf(provider.decrypt_data_key('other', key.ciphertext))).toBe('SEG_INVALID_ARGUMENT');
      expect(await codeOf(new InMemoryKeyProvider().decrypt_data_key('local-master', key.ciphertext))).toBe(
        'SEG_INVALID_ARGUMENT',
      );
      expect(await codeOf(provider.decrypt_data_key('missing', key.ciphertext))).toBe('SEG_NOT_FOUND');
    });
  });
});
