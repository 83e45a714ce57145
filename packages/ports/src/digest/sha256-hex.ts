import { hash } from 'node:crypto';

/**
 * The sha256 of `data` as 64 lowercase hex characters; a string is hashed as its UTF-8 bytes. The one
 * implementation in SEG (content addresses of evidence, checksums, fingerprints, keyids all use it). Pure
 * and synchronous (`node:crypto`); for data that arrives in parts, hash incrementally with `createHash`.
 */
export function sha256Hex(data: Uint8Array | string): string {
  return hash('sha256', data, 'hex');
}
