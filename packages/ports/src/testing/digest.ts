// Digests and name-based UUIDs over WebCrypto only: ports may import nothing but the contracts, so no
// `node:crypto` here.

const encoder = new TextEncoder();

function toBytes(data: Uint8Array | string): Uint8Array<ArrayBuffer> {
  if (typeof data === 'string') return encoder.encode(data);
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return copy;
}

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** The sha256 of `data` (a string is hashed as UTF-8) as 64 lowercase hex characters. */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', toBytes(data))));
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * RFC 9562 UUID version 5 (SHA-1, name-based) of `name` (UTF-8) in `namespace` (a UUID string).
 * Deterministic: the same namespace and name always give the same UUID. Throws a `TypeError` when
 * `namespace` is not a UUID.
 */
export async function uuidV5(namespace: string, name: string): Promise<string> {
  if (!UUID_PATTERN.test(namespace)) throw new TypeError(`namespace is not a UUID: ${namespace}`);
  const ns = namespace.replaceAll('-', '');
  const nameBytes = encoder.encode(name);
  const input = new Uint8Array(16 + nameBytes.byteLength);
  for (let i = 0; i < 16; i += 1) input[i] = Number.parseInt(ns.slice(i * 2, i * 2 + 2), 16);
  input.set(nameBytes, 16);
  const hash = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-1', input));
  const bytes = hash.slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = toHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A WebCrypto key (`CryptoKey`), named through the global value since the `DOM` lib is not loaded. */
export type WebCryptoKey = InstanceType<typeof globalThis.CryptoKey>;
