import { describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import { decodeCursor, encodeCursor, pageAfter } from './cursor.ts';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isSegError(error)) return error.error_code;
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('cursor', () => {
  describe('#encodeCursor', () => {
    it('is url-safe and round-trips any key, including non-ASCII ones', () => {
      for (const key of ['', 'urn:asset:aws:bucket:b1', 'urn:asset:other:doc:é/ü?&=', '🙂'.repeat(20)]) {
        const cursor = encodeCursor(key);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeCursor(cursor)).toBe(key);
      }
    });
  });

  describe('#decodeCursor', () => {
    it('rejects what it did not make with SEG_INVALID_ARGUMENT', () => {
      expect(codeOf(() => decodeCursor(''))).toBe('SEG_INVALID_ARGUMENT');
      expect(codeOf(() => decodeCursor('a+b/'))).toBe('SEG_INVALID_ARGUMENT');
      expect(codeOf(() => decodeCursor(btoa('c2:key').replaceAll('=', '')))).toBe('SEG_INVALID_ARGUMENT');
      // Valid base64url, but not UTF-8.
      expect(codeOf(() => decodeCursor('_-8'))).toBe('SEG_INVALID_ARGUMENT');
    });
  });

  describe('#pageAfter', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];

    it('pages with no duplicates or gaps and no cursor on the last page', () => {
      const first = pageAfter(items, (x) => x, null, 2);
      const second = pageAfter(items, (x) => x, first.next_cursor, 2);
      const third = pageAfter(items, (x) => x, second.next_cursor, 2);
      expect([first.items, second.items, third.items]).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
      expect(third.next_cursor).toBeUndefined();
      expect(pageAfter(items, (x) => x, null, 5)).toEqual({ items });
      expect(pageAfter([], (x: string) => x, undefined, undefined)).toEqual({ items: [] });
    });

    it('continues after a key that has since disappeared', () => {
      expect(pageAfter(['a', 'c', 'e'], (x) => x, encodeCursor('b'), 10).items).toEqual(['c', 'e']);
      expect(pageAfter(['a'], (x) => x, encodeCursor('z'), 10).items).toEqual([]);
    });
  });
});
