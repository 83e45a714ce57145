import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { UriSealer } from './envelope.ts';
import { LocalKeyProvider } from './local-key-provider.ts';

describe('UriSealer', () => {
  const keys = new LocalKeyProvider({ masterKey: randomBytes(32) });

  describe('#seal', () => {
    it('encrypts under a wrapped data key and opens again', async () => {
      const sealer = new UriSealer({ keys });
      const sealed = await sealer.seal('https://evidence.example.com/abc');
      expect(sealed).toMatch(/^seg-enc:v1:local%3A[0-9a-f]{16}:/);
      expect(sealed).not.toContain('evidence.example.com');
      expect(await new UriSealer({ keys }).open(sealed)).toBe('https://evidence.example.com/abc');
    });
  });

  describe('#open', () => {
    it('rejects a tampered ciphertext and a key wrapped by another master key', async () => {
      const sealed = await new UriSealer({ keys }).seal('https://x.example.com/');
      const parts = sealed.split(':');
      const ct = Buffer.from(parts[4]!, 'base64url');
      ct[ct.length - 1]! ^= 1;
      const tampered = [...parts.slice(0, 4), ct.toString('base64url')].join(':');
      await expect(new UriSealer({ keys }).open(tampered)).rejects.toMatchObject({
        error_code: 'SEG_INVALID_ARGUMENT',
      });
      const other = new LocalKeyProvider({ masterKey: randomBytes(32) });
      await expect(new UriSealer({ keys: other }).open(sealed)).rejects.toMatchObject({
        error_code: 'SEG_NOT_FOUND',
      });
    });
  });
});
