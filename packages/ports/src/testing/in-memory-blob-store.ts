import { MAX_PAGE_SIZE, SegError } from '@neurocipher/seg-contracts';
import { assertBlobKey } from '../storage/blob-store.ts';
import type { BlobKeyPage, BlobPutOptions, BlobStore } from '../storage/blob-store.ts';
import { pageAfter } from '../paging/keyset-page.ts';

interface StoredBlob {
  body: Uint8Array;
  content_type: string | undefined;
}

/**
 * A {@link BlobStore} in a map. Keys are checked like the real stores' (`/`-separated, relative, no empty,
 * `.` or `..` segment); bytes are copied in and out, so callers cannot change a stored object.
 */
export class InMemoryBlobStore implements BlobStore {
  readonly #blobs = new Map<string, StoredBlob>();

  async put(key: string, body: Uint8Array, options: BlobPutOptions = {}): Promise<void> {
    assertBlobKey(key);
    if (options.if_absent === true && this.#blobs.has(key)) {
      throw new SegError({
        error_code: 'SEG_CONFLICT',
        message: 'a blob already exists under key',
        retryable: false,
        details: { key },
      });
    }
    this.#blobs.set(key, { body: body.slice(), content_type: options.content_type });
  }

  async get(key: string): Promise<Uint8Array> {
    assertBlobKey(key);
    const blob = this.#blobs.get(key);
    if (blob === undefined)
      throw new SegError({ error_code: 'SEG_NOT_FOUND', message: 'no blob under key', details: { key } });
    return blob.body.slice();
  }

  async exists(key: string): Promise<boolean> {
    assertBlobKey(key);
    return this.#blobs.has(key);
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    this.#blobs.delete(key);
  }

  async list(
    prefix: string,
    page: { cursor?: string | null; limit?: number | null } = {},
  ): Promise<BlobKeyPage> {
    const limit = page.limit ?? MAX_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: `page limit must be an integer from 1 to ${MAX_PAGE_SIZE}`,
        details: { limit },
      });
    }
    const keys = [...this.#blobs.keys()].filter((key) => key.startsWith(prefix)).sort(compareKeys);
    const result = pageAfter(keys, (key) => key, page.cursor, limit);
    return result.next_cursor === undefined
      ? { keys: result.items }
      : { keys: result.items, next_cursor: result.next_cursor };
  }

  /** The content type given when `key` was stored (a test helper, not part of the port). */
  content_type(key: string): string | undefined {
    return this.#blobs.get(key)?.content_type;
  }
}

// Plain code-unit order, which is what `<` in pageAfter compares; S3 orders by UTF-8 bytes, which agrees
// for the ASCII keys SEG writes.
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
