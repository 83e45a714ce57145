import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/temp-dir.ts';
import { LocalKeyProvider } from './local-key-provider.ts';

describe('LocalKeyProvider', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  describe('#generate_data_key', () => {
    it('creates one key file (mode 0600) when many providers start at once, and all of them use it', async () => {
      const keyFile = join(dir.path, 'keys', 'master.key');
      const providers = Array.from({ length: 24 }, () => new LocalKeyProvider({ keyFile }));
      const keys = await Promise.all(providers.map((p) => p.generate_data_key()));
      expect(new Set(keys.map((k) => k.key_id)).size).toBe(1);
      expect(readFileSync(keyFile)).toHaveLength(32);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      // Every data key unwraps with every provider: they share the master key.
      for (const [i, key] of keys.entries()) {
        const other = providers[(i + 1) % providers.length]!;
        expect(Buffer.from(await other.decrypt_data_key(key.key_id, key.ciphertext))).toEqual(
          Buffer.from(key.plaintext),
        );
      }
    });

    it('names the key file it cannot read', async () => {
      const keyFile = join(dir.path, 'a-folder');
      mkdirSync(keyFile);
      await expect(new LocalKeyProvider({ keyFile }).generate_data_key()).rejects.toMatchObject({
        error_code: 'SEG_INVALID_ARGUMENT',
        details: { path: keyFile },
      });
    });
  });
});
