import { SegError } from '@neurocipher/seg-contracts';

// A cursor is base64url of `c1:<last key>`: opaque to callers, stable (the same cursor always means
// "after this key"), and recognisably ours, so anything else is rejected as malformed.
const CURSOR_PREFIX = 'c1:';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function malformed(cursor: string, cause?: unknown): SegError {
  return new SegError({
    error_code: 'SEG_INVALID_ARGUMENT',
    message: 'malformed page cursor',
    details: { cursor_length: cursor.length },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The opaque, URL-safe cursor that continues a keyset listing after `key` (see {@link pageAfter}). */
export function encodeKeysetCursor(key: string): string {
  const bytes = new TextEncoder().encode(CURSOR_PREFIX + key);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/**
 * The key a cursor continues after. Throws `SEG_INVALID_ARGUMENT` for any cursor
 * {@link encodeKeysetCursor} did not make.
 */
export function decodeKeysetCursor(cursor: string): string {
  if (!BASE64URL.test(cursor)) throw malformed(cursor);
  let text: string;
  try {
    const binary = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw malformed(cursor, cause);
  }
  if (!text.startsWith(CURSOR_PREFIX)) throw malformed(cursor);
  return text.slice(CURSOR_PREFIX.length);
}
