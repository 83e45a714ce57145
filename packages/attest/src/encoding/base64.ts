const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9\-_]*={0,2}$/;

/** Standard, padded base64 (RFC 4648 §4): the only form SEG writes into envelopes. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decodes standard or URL-safe base64 (DSSE verifiers must accept both), padded or not, and rejects
 * anything else (whitespace, mixed alphabets, impossible lengths) instead of skipping it the way
 * `Buffer.from(s, 'base64')` does. Returns `undefined` for malformed input.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  const standard = STANDARD.test(text);
  if (!standard && !URL_SAFE.test(text)) return undefined;
  const unpadded = text.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return undefined;
  if (text.length !== unpadded.length && text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(unpadded, standard ? 'base64' : 'base64url');
  // Reject non-canonical trailing bits: re-encoding must give back the same characters.
  const again = bytes.toString(standard ? 'base64' : 'base64url').replace(/=+$/, '');
  if (again !== unpadded) return undefined;
  return new Uint8Array(bytes);
}

/** Unpadded URL-safe base64 (RFC 4648 §5), as JWK uses. */
export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}
