import { describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import { BlobStoreId } from '../storage/blob-store.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { InMemoryBlobStore } from './in-memory-blob-store.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isSegError(error)) return error.error_code;
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('InMemoryBlobStore', () => {
  it('implements BlobStore under its id', () => {
    const store: BlobStore = new InMemoryBlobStore();
    expect(store).toBeInstanceOf(InMemoryBlobStore);
    expect(BlobStoreId).toBe(Symbol.for('seg.ports.BlobStore'));
  });

  describe('#put', () => {
    it('stores a copy, replaces atomically, and is idempotent for the same bytes', async () => {
      const store = new InMemoryBlobStore();
      const body = bytes('v1');
      await store.put('a/b.json', body, { content_type: 'application/json' });
      body[0] = 0;
      expect(await store.get('a/b.json')).toEqual(bytes('v1'));
      await store.put('a/b.json', bytes('v1'));
      expect(await store.get('a/b.json')).toEqual(bytes('v1'));
      await store.put('a/b.json', bytes('v2'));
      expect(await store.get('a/b.json')).toEqual(bytes('v2'));
      expect(store.content_type('a/b.json')).toBeUndefined();
    });

    it('with if_absent creates a new key but rejects an existing one with SEG_CONFLICT, keeping the bytes', async () => {
      const store = new InMemoryBlobStore();
      await store.put('a/new.json', bytes('first'), { if_absent: true });
      expect(await store.get('a/new.json')).toEqual(bytes('first'));
      expect(await codeOf(store.put('a/new.json', bytes('second'), { if_absent: true }))).toBe(
        'SEG_CONFLICT',
      );
      expect(await store.get('a/new.json')).toEqual(bytes('first'));
      await store.put('a/new.json', bytes('third'), { if_absent: false });
      expect(await store.get('a/new.json')).toEqual(bytes('third'));
    });

    it('rejects malformed keys with SEG_INVALID_ARGUMENT', async () => {
      const store = new InMemoryBlobStore();
      for (const key of ['', '/abs', 'a/../b', 'a//b', './a', 'a\\b', 'a/']) {
        expect(await codeOf(store.put(key, bytes('x')))).toBe('SEG_INVALID_ARGUMENT');
      }
    });
  });

  describe('#get', () => {
    it('is SEG_NOT_FOUND for a missing key and returns a copy', async () => {
      const store = new InMemoryBlobStore();
      expect(await codeOf(store.get('missing'))).toBe('SEG_NOT_FOUND');
      await store.put('k', bytes('abc'), { content_type: 'text/plain' });
      const out = await store.get('k');
      out[0] = 0;
      expect(await store.get('k')).toEqual(bytes('abc'));
      expect(store.content_type('k')).toBe('text/plain');
    });
  });

  describe('#exists and #delete', () => {
    it('deletes idempotently', async () => {
      const store = new InMemoryBlobStore();
      await store.put('k', bytes('x'));
      expect(await store.exists('k')).toBe(true);
      await store.delete('k');
      await store.delete('k');
      expect(await store.exists('k')).toBe(false);
    });
  });

  describe('#list', () => {
    it('lists keys under a prefix in lexicographic order, paged with no duplicates or gaps', async () => {
      const store = new InMemoryBlobStore();
      const keys = Array.from(
        { length: 2500 },
        (_, i) => `sha256/${String((i * 7919) % 2500).padStart(4, '0')}`,
      );
      for (const key of keys) await store.put(key, bytes(key));
      await store.put('other/x', bytes('x'));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list('sha256/', { cursor: cursor ?? null });
        expect(page.keys.length).toBeLessThanOrEqual(1000);
        seen.push(...page.keys);
        cursor = page.next_cursor;
        pages += 1;
      } while (cursor !== undefined);
      expect(pages).toBe(3);
      expect(seen).toEqual([...keys].sort());
    });

    it('gives the same page for the same cursor', async () => {
      const store = new InMemoryBlobStore();
      for (const key of ['a', 'b', 'c', 'd']) await store.put(key, bytes(key));
      const first = await store.list('', { limit: 2 });
      expect(first).toEqual({ keys: ['a', 'b'], next_cursor: expect.any(String) });
      const second = await store.list('', { cursor: first.next_cursor ?? null, limit: 2 });
      expect(await store.list('', { cursor: first.next_cursor ?? null, limit: 2 })).toEqual(second);
      expect(second).toEqual({ keys: ['c', 'd'] });
    });

    it('rejects a malformed cursor or limit with SEG_INVALID_ARGUMENT', async () => {
      const store = new InMemoryBlobStore();
      expect(await codeOf(store.list('', { cursor: '%%%' }))).toBe('SEG_INVALID_ARGUMENT');
      expect(await codeOf(store.list('', { limit: 1001 }))).toBe('SEG_INVALID_ARGUMENT');
      expect(await codeOf(store.list('', { limit: 0.5 }))).toBe('SEG_INVALID_ARGUMENT');
    });
  });
});
