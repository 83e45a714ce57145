import { describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import { encodeKeysetCursor } from './keyset-cursor.ts';
import { pageAfter } from './keyset-page.ts';

const same = (x: string) => x;

describe('pageAfter', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];

  it('pages with no duplicates or gaps and no cursor on the last page', () => {
    const first = pageAfter(items, same, null, 2);
    const second = pageAfter(items, same, first.next_cursor, 2);
    const third = pageAfter(items, same, second.next_cursor, 2);
    expect([first.items, second.items, third.items]).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(third.next_cursor).toBeUndefined();
    expect(pageAfter(items, same, null, 5)).toEqual({ items });
    expect(pageAfter([], same, undefined, undefined)).toEqual({ items: [] });
  });

  it('defaults to pages of MAX_PAGE_SIZE (1,000)', () => {
    const many = Array.from({ length: 2500 }, (_, i) => String(i).padStart(5, '0'));
    const first = pageAfter(many, same, null, null);
    expect(first.items).toHaveLength(1000);
    expect(pageAfter(many, same, first.next_cursor, undefined).items[0]).toBe('01000');
  });

  it('continues after a key that has since disappeared', () => {
    expect(pageAfter(['a', 'c', 'e'], same, encodeKeysetCursor('b'), 10).items).toEqual(['c', 'e']);
    expect(pageAfter(['a'], same, encodeKeysetCursor('z'), 10).items).toEqual([]);
  });

  it('pages only the kept items, and ends without a cursor when no kept item follows', () => {
    const letters = 'abcdefghij'.split('');
    const vowels = (x: string) => 'aeiou'.includes(x);
    const first = pageAfter(letters, same, null, 2, vowels);
    expect(first.items).toEqual(['a', 'e']);
    const second = pageAfter(letters, same, first.next_cursor, 2, vowels);
    // 'i' is the last vowel: no look-ahead match, so no cursor.
    expect(second).toEqual({ items: ['i'] });
    // A full page whose remaining items are all rejected carries no cursor either.
    expect(pageAfter(letters, same, null, 3, vowels)).toEqual({ items: ['a', 'e', 'i'] });
    expect(pageAfter(letters, same, null, 2, () => false)).toEqual({ items: [] });
  });

  it('continues after a cursor whose own item no longer matches the filter', () => {
    const page = pageAfter(['a', 'b', 'c', 'd'], same, encodeKeysetCursor('b'), 10, (x) => x !== 'b');
    expect(page.items).toEqual(['c', 'd']);
  });

  it('rejects a cursor it did not make with SEG_INVALID_ARGUMENT', () => {
    let caught: unknown;
    try {
      pageAfter(items, same, 'not a cursor', 2);
    } catch (error) {
      caught = error;
    }
    expect(isSegError(caught) && caught.error_code).toBe('SEG_INVALID_ARGUMENT');
  });
});
