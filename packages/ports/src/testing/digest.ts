// Hex and WebCrypto key helpers of the in-memory implementations. The digests themselves (`sha256Hex`,
// `uuidV5`) are the package's main ones, in `../digest/`.

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** A WebCrypto key (`CryptoKey`), named through the global value since the `DOM` lib is not loaded. */
export type WebCryptoKey = InstanceType<typeof globalThis.CryptoKey>;
