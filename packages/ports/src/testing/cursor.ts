import { MAX_PAGE_SIZE, SegError } from '@neurocipher/seg-contracts';

// A cursor is base64url of `c1:<last key>`: opaque to callers, stable (the same cursor always means
// "after this key"), and recognisably ours, so anything else is rejected as malformed.
const CURSOR_PREFIX = 'c1:';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The opaque cursor that continues a listing after `key`. */
export function encodeCursor(key: string): string {
  const bytes = new TextEncoder().encode(CURSOR_PREFIX + key);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function malformed(cursor: string): SegError {
  return new SegError({
    error_code: 'SEG_INVALID_ARGUMENT',
    message: 'malformed page cursor',
    details: { cursor_length: cursor.length },
  });
}

/** The key a cursor continues after. Throws `SEG_INVALID_ARGUMENT` for a cursor this module did not make. */
export function decodeCursor(cursor: string): string {
  if (!BASE64URL.test(cursor)) throw malformed(cursor);
  let text: string;
  try {
    const binary = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message: 'malformed page cursor', cause });
  }
  if (!text.startsWith(CURSOR_PREFIX)) throw malformed(cursor);
  return text.slice(CURSOR_PREFIX.length);
}

/** One page of a keyed listing. */
export interface KeyedPage<T> {
  items: T[];
  /** Absent on the last page. */
  next_cursor?: string;
}

/**
 * The page after `cursor` of `items`, which must be sorted by strictly increasing `keyOf`. Because a
 * cursor names the last key returned rather than a position, items added or removed while pages are read
 * neither repeat nor shift the items that were there throughout.
 */
export function pageAfter<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  cursor: string | null | undefined,
  limit: number | null | undefined,
): KeyedPage<T> {
  const size = limit ?? MAX_PAGE_SIZE;
  let start = 0;
  if (cursor !== null && cursor !== undefined) {
    const after = decodeCursor(cursor);
    // Binary search for the first key greater than `after`.
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyOf(items[mid] as T) <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const slice = items.slice(start, start + size);
  const last = slice.at(-1);
  if (start + size < items.length && last !== undefined)
    return { items: slice, next_cursor: encodeCursor(keyOf(last)) };
  return { items: slice };
}
