import { MAX_PAGE_SIZE } from '@neurocipher/seg-contracts';
import { decodeKeysetCursor, encodeKeysetCursor } from './keyset-cursor.ts';

/** One page of a keyset listing. */
export interface KeyedPage<T> {
  /** At most the requested limit of items, in key order. */
  items: T[];
  /** Continues after the last item; absent on the last page. */
  next_cursor?: string;
}

/**
 * The page after `cursor` of the `items` that `keep` accepts (all when absent). `items` must be sorted by
 * strictly increasing `keyOf`. The cursor names the last key returned, not a position, so the start is a
 * binary search, items added or removed while pages are read neither repeat nor shift the items that were
 * there throughout, and the cursor's own item need not still exist or match. A page scans only as far as
 * its last kept item plus the look-ahead that decides whether another page follows (the last page carries
 * no cursor). `limit` defaults to `MAX_PAGE_SIZE`; a cursor this module did not make is
 * `SEG_INVALID_ARGUMENT`.
 */
export function pageAfter<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  cursor: string | null | undefined,
  limit: number | null | undefined,
  keep?: (item: T) => boolean,
): KeyedPage<T> {
  const size = limit ?? MAX_PAGE_SIZE;
  let start = 0;
  if (cursor !== null && cursor !== undefined) {
    const after = decodeKeysetCursor(cursor);
    // First key strictly greater than the cursor's.
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyOf(items[mid] as T) <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page: T[] = [];
  let i = start;
  for (; i < items.length && page.length < size; i += 1) {
    const item = items[i] as T;
    if (keep === undefined || keep(item)) page.push(item);
  }
  // Look ahead for one more kept item, so the last page carries no cursor.
  let more = false;
  for (let j = i; j < items.length; j += 1) {
    if (keep === undefined || keep(items[j] as T)) {
      more = true;
      break;
    }
  }
  const last = page.at(-1);
  return more && last !== undefined
    ? { items: page, next_cursor: encodeKeysetCursor(keyOf(last)) }
    : { items: page };
}
