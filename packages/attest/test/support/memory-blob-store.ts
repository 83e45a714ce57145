import { SegError } from '@neurocipher/seg-contracts';
import type { BlobStore } from '@neurocipher/seg-ports';

/** A small in-memory BlobStore for attest tests; `failPuts` makes every put fail. */
export function memoryBlobStore(
  options: { failPuts?: boolean } = {},
): BlobStore & { objects: Map<string, Uint8Array> } {
  const objects = new Map<string, Uint8Array>();
  return {
    objects,
    async put(key, body) {
      if (options.failPuts)
        throw new SegError({ error_code: 'SEG_EVIDENCE_WRITE_FAILED', message: 'store is down' });
      objects.set(key, body.slice());
    },
    async get(key) {
      const body = objects.get(key);
      if (!body)
        throw new SegError({ error_code: 'SEG_NOT_FOUND', message: 'no such key', details: { key } });
      return body.slice();
    },
    async exists(key) {
      return objects.has(key);
    },
    async delete(key) {
      objects.delete(key);
    },
    async list(prefix) {
      return { keys: [...objects.keys()].filter((k) => k.startsWith(prefix)).sort() };
    },
  } satisfies BlobStore & { objects: Map<string, Uint8Array> };
}
