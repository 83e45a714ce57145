import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/temp-dir.ts';
import { LocalBlobStore } from './local-blob-store.ts';

describe('LocalBlobStore', () => {
  let dir: ReturnType<typeof tempDir>;
  let blobs: LocalBlobStore;

  beforeEach(() => {
    dir = tempDir();
    blobs = new LocalBlobStore({ root: dir.path });
  });
  afterEach(() => dir.remove());

  describe('#put', () => {
    it('replaces an existing object by default', async () => {
      await blobs.put('a/b', new Uint8Array([1]));
      await blobs.put('a/b', new Uint8Array([2]));
      expect([...(await blobs.get('a/b'))]).toEqual([2]);
    });

    it('with if_absent, creates a new key', async () => {
      await blobs.put('a/new', new Uint8Array([7]), { if_absent: true });
      expect([...(await blobs.get('a/new'))]).toEqual([7]);
    });

    it('with if_absent, refuses an existing key with SEG_CONFLICT and keeps its bytes', async () => {
      await blobs.put('a/b', new Uint8Array([1]));
      await expect(blobs.put('a/b', new Uint8Array([2]), { if_absent: true })).rejects.toMatchObject({
        error_code: 'SEG_CONFLICT',
        retryable: false,
      });
      expect([...(await blobs.get('a/b'))]).toEqual([1]);
      expect(readdirSync(join(dir.path, 'a')).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    });
  });
});
