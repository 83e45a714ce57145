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

  describe('#list', () => {
    beforeEach(async () => {
      for (const key of [
        'plans/p1.json',
        'plans/p1/events/000001.json',
        'plans/p2.json',
        'sha256/ab/cd',
        'plansx',
      ])
        await blobs.put(key, new Uint8Array([1]));
    });

    it('lists keys under a folder prefix, sorted, and nothing beside it', async () => {
      expect((await blobs.list('plans/')).keys).toEqual([
        'plans/p1.json',
        'plans/p1/events/000001.json',
        'plans/p2.json',
      ]);
      expect((await blobs.list('plans/p1/')).keys).toEqual(['plans/p1/events/000001.json']);
    });

    it('matches a prefix that ends inside a name', async () => {
      expect((await blobs.list('plans/p1')).keys).toEqual(['plans/p1.json', 'plans/p1/events/000001.json']);
      expect((await blobs.list('plans')).keys).toEqual([
        'plans/p1.json',
        'plans/p1/events/000001.json',
        'plans/p2.json',
        'plansx',
      ]);
      expect((await blobs.list('nothing/here/')).keys).toEqual([]);
    });

    it('pages with a cursor', async () => {
      const first = await blobs.list('plans/', { limit: 2 });
      expect(first.keys).toEqual(['plans/p1.json', 'plans/p1/events/000001.json']);
      const second = await blobs.list('plans/', { limit: 2, cursor: first.next_cursor ?? null });
      expect(second).toEqual({ keys: ['plans/p2.json'] });
    });
  });
});
