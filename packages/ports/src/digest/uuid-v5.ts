import { hash } from 'node:crypto';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * RFC 9562 UUID version 5 (SHA-1, name-based) of `name` (UTF-8) in `namespace` (a UUID string), in
 * lowercase. Deterministic: the same namespace and name always give the same UUID (finding ids, run ids,
 * plan ids are derived with it, so a retried operation gets the same ids). Throws a `TypeError` when
 * `namespace` is not a UUID.
 */
export function uuidV5(namespace: string, name: string): string {
  if (!UUID_PATTERN.test(namespace)) throw new TypeError(`namespace is not a UUID: ${namespace}`);
  const ns = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  const digest = hash('sha1', Buffer.concat([ns, Buffer.from(name, 'utf8')]), 'buffer');
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
