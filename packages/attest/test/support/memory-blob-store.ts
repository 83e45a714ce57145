import { SegError } from '@neurocipher/seg-contracts';
import type { BlobStore } from '@neurocipher/seg-ports';

/**
 * A small in-memory BlobStore for attest tests; `failPuts` makes every put fail. `if_absent` puts are
 * create-only (`SEG_CONFLICT` when the key exists), checked and stored in one step as a real store does.
 * With `jitter`, every call first waits a random number of event-loop turns, so concurrent writers
 * interleave as separate processes would.
 */
export function memoryBlobStore(
  options: { failPuts?: boolean; jitter?: boolean } = {},
): BlobStore & { objects: Map<string, Uint8Array> } {
  const objects = new Map<string, Uint8Array>();
  const turns = async () => {
    if (!options.jitter) return;
    for (let i = Math.floor(Math.random() * 4); i > 0; i--) await new Promise((r) => setImmediate(r));
  };
  return {
    objects,
    async put(key, body, putOptions = {}) {
      await turns();
      if (options.failPuts)
        throw new SegError({ error_code: 'SEG_EVIDENCE_WRITE_FAILED', message: 'store is down' });
      if (putOptions.if_absent === true && objects.has(key))
        throw new SegError({ error_code: 'SEG_CONFLICT', message: 'a blob already exists under key' });
      objects.set(key, body.slice());
    },
    async get(key) {
      await turns();
      const body = objects.get(key);
      if (!body)
        throw new SegError({ error_code: 'SEG_NOT_FOUND', message: 'no such key', details: { key } });
      return body.slice();
    },
    async exists(key) {
      await turns();
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
