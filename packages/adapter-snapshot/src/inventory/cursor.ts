import { SegError } from '@neurocipher/seg-contracts';

// A cursor is base64url of `snap1:<last urn returned>`: opaque to callers, stable (a snapshot never
// changes, and a cursor names a key, not a position), and recognisably ours.
const PREFIX = 'snap1:';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function malformed(cursor: string, cause?: unknown): SegError {
  return new SegError({
    error_code: 'SEG_INVALID_ARGUMENT',
    message: 'malformed page cursor',
    details: { cursor_length: cursor.length },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The opaque cursor that continues a listing after the asset `urn`. */
export function encodeCursor(urn: string): string {
  return Buffer.from(PREFIX + urn, 'utf8').toString('base64url');
}

/** The URN a cursor continues after; `SEG_INVALID_ARGUMENT` for any cursor {@link encodeCursor} did not make. */
export function decodeCursor(cursor: string): string {
  if (!BASE64URL.test(cursor)) throw malformed(cursor);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(cursor, 'base64url'));
  } catch (cause) {
    throw malformed(cursor, cause);
  }
  if (!text.startsWith(PREFIX) || text.length === PREFIX.length) throw malformed(cursor);
  return text.slice(PREFIX.length);
}
