import { encodeBase64 } from '../encoding/base64.ts';

/** A decoded PEM block. */
export interface PemBlock {
  /** The label between `-----BEGIN ` and `-----`, e.g. `PUBLIC KEY`. */
  label: string;
  /** The DER bytes. */
  der: Uint8Array;
}

/** PEM text of DER bytes: 64-character lines and a final newline, as OpenSSL and pyca write it. */
export function encodePem(label: string, der: Uint8Array): string {
  const body = encodeBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${body.join('\n')}\n-----END ${label}-----\n`;
}

/** The first PEM block of `text`, or `undefined` when there is none or its body is not base64. */
export function decodePem(text: string): PemBlock | undefined {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!match) return undefined;
  const body = (match[2] as string).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) return undefined;
  return { label: match[1] as string, der: new Uint8Array(Buffer.from(body, 'base64')) };
}

/** True when `bytes` starts with `prefix`. */
export function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((b, i) => bytes[i] === b);
}
