import { SegError } from '@neurocipher/seg-contracts';
import type { PortId } from '../ids/port-id.ts';

/** One page of keys from {@link BlobStore.list}. */
export interface BlobKeyPage {
  keys: string[];
  /** Opaque; absent on the last page. */
  next_cursor?: string | undefined;
}

/** Options of {@link BlobStore.put}. */
export interface BlobPutOptions {
  content_type?: string;
  /**
   * Create only: when an object already exists under the key, `put` stores nothing and rejects with
   * `SEG_CONFLICT` (not retryable). Stores make the check and the write one atomic step where the backend
   * allows it (S3 `If-None-Match: *`); a store that cannot says so in its own documentation.
   */
  if_absent?: boolean;
}

/**
 * Object storage for evidence blobs, table files and published attestations (DESIGN.md §2, §7): a local
 * directory by default, S3 in `adapter-aws`. Keys are `/`-separated relative paths without `..`.
 *
 * Writes are atomic: a reader sees the old object or the whole new one, never a part. `put` of the same
 * key and bytes is idempotent, except with `if_absent` (see {@link BlobPutOptions.if_absent}). `list` is
 * paged (at most 1,000 keys a page), in lexicographic key order.
 *
 * Errors: `SEG_NOT_FOUND` from `get` for a missing key, `SEG_INVALID_ARGUMENT` for a malformed key,
 * `SEG_EVIDENCE_WRITE_FAILED` (retryable) when a write fails, `SEG_ADAPTER_UNAVAILABLE` (retryable) when
 * the store cannot be reached, `SEG_CONFLICT` from `put` with `if_absent` when the key exists.
 */
export interface BlobStore {
  /** Stores `body` under `key`, replacing any previous object atomically. */
  put(key: string, body: Uint8Array, options?: BlobPutOptions): Promise<void>;
  /** The bytes under `key`. */
  get(key: string): Promise<Uint8Array>;
  /** Whether `key` exists. */
  exists(key: string): Promise<boolean>;
  /** Deletes `key`; deleting a missing key is not an error (idempotent). */
  delete(key: string): Promise<void>;
  /** Keys that start with `prefix`, in lexicographic order, one page at a time. */
  list(prefix: string, page?: { cursor?: string | null; limit?: number | null }): Promise<BlobKeyPage>;
}

/**
 * Checks a key against the {@link BlobStore} key rule: a non-empty `/`-separated relative path with no
 * empty, `.` or `..` segment and no backslash. Throws `SEG_INVALID_ARGUMENT` otherwise. Every
 * implementation calls it, so a key valid in one store is valid in all.
 */
export function assertBlobKey(key: string): void {
  const bad =
    typeof key !== 'string' ||
    key.length === 0 ||
    key.startsWith('/') ||
    key.includes('\\') ||
    key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
  if (bad) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: 'malformed blob key',
      details: { key },
    });
  }
}

/** Inversion-of-control id of {@link BlobStore}. */
export const BlobStoreId: PortId<BlobStore> = Symbol.for('seg.ports.BlobStore');
