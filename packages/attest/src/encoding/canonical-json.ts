import canonicalize from 'canonicalize';
import { utf8 } from './bytes.ts';

/**
 * RFC 8785 (JCS) canonical JSON text of a value: sorted keys, no whitespace, ECMAScript number
 * form. Throws on values JSON cannot carry (undefined at top level, functions, cycles).
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

/** UTF-8 bytes of {@link canonicalJson}. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return utf8(canonicalJson(value));
}
