import { SegError } from '@neurocipher/seg-contracts';
import type { BlobStore } from '@neurocipher/seg-ports';
import type { FileIO } from './file-io.ts';

/** Options of {@link BlobStoreFileIO}. */
export interface BlobStoreFileIOOptions {
  /** The object store that holds the warehouse files (S3 from `adapter-aws`, or any other). */
  blobs: BlobStore;
  /**
   * The URI that maps to the store's key root, such as `s3://bucket/warehouse` when the store's objects
   * live under `warehouse/` of `bucket`. A trailing `/` is optional. Use the same string as the catalog's
   * `warehouse` (or a parent of it).
   */
  uriPrefix: string;
}

/**
 * {@link FileIO} over any {@link BlobStore}: the URI `<uriPrefix>/<key>` is the blob `<key>`. This puts
 * the warehouse wherever the blob store is (S3 via `S3BlobStore` of `adapter-aws`), with the URIs that
 * other readers (pyiceberg, Spark) open directly.
 *
 * `writeNew` is a create-only `put` (`if_absent`): it rejects with `SEG_CONFLICT` when the file exists,
 * atomically on stores that support it (S3 `If-None-Match: *`). Durability is the store's: S3 has the
 * object durably once the PUT succeeds. A URI outside `uriPrefix` is `SEG_INVALID_ARGUMENT`.
 */
export class BlobStoreFileIO implements FileIO {
  readonly #blobs: BlobStore;
  readonly #root: string;

  /** Creates the file IO for URIs under `uriPrefix`. */
  constructor(options: BlobStoreFileIOOptions) {
    this.#blobs = options.blobs;
    this.#root = options.uriPrefix.replace(/\/+$/, '');
    if (!/^[a-z][a-z0-9+.-]*:\/\/./i.test(this.#root)) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'uriPrefix must be an absolute URI such as s3://bucket/warehouse',
        details: { uriPrefix: options.uriPrefix },
      });
    }
  }

  /** The blob key of a file URI under the prefix. */
  keyOf(uri: string): string {
    if (!uri.startsWith(`${this.#root}/`) || uri.length === this.#root.length + 1) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'URI is outside the warehouse prefix of this file IO',
        details: { uri, prefix: this.#root },
      });
    }
    return uri.slice(this.#root.length + 1);
  }

  /** The file URI of a blob key. */
  uriOf(key: string): string {
    return `${this.#root}/${key}`;
  }

  /** Reads a whole file; `SEG_NOT_FOUND` when it does not exist. */
  async read(uri: string): Promise<Buffer> {
    const bytes = await this.#blobs.get(this.keyOf(uri));
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Writes a new file; `SEG_CONFLICT` when one exists under the URI. */
  async writeNew(uri: string, bytes: Uint8Array): Promise<void> {
    await this.#blobs.put(this.keyOf(uri), bytes, { if_absent: true });
  }

  /** Whether a file exists. */
  async exists(uri: string): Promise<boolean> {
    return this.#blobs.exists(this.keyOf(uri));
  }

  /** Deletes a file; a missing file is not an error. */
  async delete(uri: string): Promise<void> {
    await this.#blobs.delete(this.keyOf(uri));
  }

  /**
   * File URIs under a directory URI, recursively and sorted (every page of the store's listing). Like a
   * directory, `…/findings` lists `…/findings/…` but not `…/findings_old/…`.
   */
  async list(prefixUri: string): Promise<string[]> {
    const dir = prefixUri.replace(/\/+$/, '');
    const keyPrefix = dir === this.#root ? '' : `${this.keyOf(dir)}/`;
    const out: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#blobs.list(keyPrefix, { cursor: cursor ?? null });
      out.push(...page.keys.map((k) => this.uriOf(k)));
      cursor = page.next_cursor;
    } while (cursor !== undefined);
    return out.sort();
  }
}
