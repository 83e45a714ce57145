import { SegError } from '@neurocipher/seg-contracts';

/** What an inventory cursor carries: the snapshot it pages, the listing it belongs to, and the last URN. */
export interface CursorState {
  /** Snapshot id. */
  s: string;
  /** Hash of the listing's parameters (scope, kinds, filters): a cursor only continues its own listing. */
  q: string;
  /** Last URN returned. */
  a: string;
}

const PREFIX = 'aws1.';

/** Encodes an opaque, URL-safe cursor. */
export function encodePageCursor(state: CursorState): string {
  return PREFIX + Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

function malformed(cause?: unknown): SegError {
  return new SegError({
    error_code: 'SEG_INVALID_ARGUMENT',
    message: 'malformed inventory page cursor',
    cause,
  });
}

/** Decodes a cursor; `SEG_INVALID_ARGUMENT` for anything this adapter did not make. */
export function decodePageCursor(cursor: string): CursorState {
  if (!cursor.startsWith(PREFIX)) throw malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch (cause) {
    throw malformed(cause);
  }
  const o = parsed as Partial<CursorState> | null;
  if (!o || typeof o.s !== 'string' || typeof o.q !== 'string' || typeof o.a !== 'string') throw malformed();
  return { s: o.s, q: o.q, a: o.a };
}
