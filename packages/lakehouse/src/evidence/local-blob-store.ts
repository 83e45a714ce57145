import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { SegError } from '@neurocipher/seg-contracts';
import { assertBlobKey } from '@neurocipher/seg-ports';
import type { BlobKeyPage, BlobPutOptions, BlobStore } from '@neurocipher/seg-ports';

/** Options of {@link LocalBlobStore}. */
export interface LocalBlobStoreOptions {
  /** Root directory of the store (the embedded default is `./.seg/blobs`). */
  root: string;
}

/**
 * {@link BlobStore} on a local directory. Writes go to a temporary file that is fsynced and renamed into
 * place (then the directory is fsynced), so readers see the old object or the whole new one.
 */
export class LocalBlobStore implements BlobStore {
  readonly #root: string;

  /** Creates the store over a directory (created on first write). */
  constructor(options: LocalBlobStoreOptions) {
    this.#root = options.root;
  }

  /**
   * Atomically stores bytes under a key. With `if_absent`, the final step is a hard link, which fails
   * when the key exists: `SEG_CONFLICT`, and the stored bytes stay as they were.
   */
  async put(key: string, body: Uint8Array, options: BlobPutOptions = {}): Promise<void> {
    assertBlobKey(key);
    const path = join(this.#root, key);
    const dir = dirname(path);
    const tmp = join(dir, `.tmp-${randomUUID()}`);
    try {
      await mkdir(dir, { recursive: true });
      const h = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        await h.writeFile(body);
        await h.sync();
      } finally {
        await h.close();
      }
      if (options.if_absent === true) {
        try {
          await link(tmp, path);
        } finally {
          await rm(tmp, { force: true });
        }
      } else {
        await rename(tmp, path);
      }
      const d = await open(dir, constants.O_RDONLY);
      await d.sync();
      await d.close();
    } catch (cause) {
      await rm(tmp, { force: true });
      if ((cause as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new SegError({
          error_code: 'SEG_CONFLICT',
          message: 'a blob already exists under key',
          retryable: false,
          details: { key },
        });
      }
      throw new SegError({
        error_code: 'SEG_EVIDENCE_WRITE_FAILED',
        message: `blob write failed: ${key}`,
        cause,
      });
    }
  }

  /** Reads the bytes under a key; `SEG_NOT_FOUND` when absent. */
  async get(key: string): Promise<Uint8Array> {
    assertBlobKey(key);
    try {
      return await readFile(join(this.#root, key));
    } catch (cause) {
      throw new SegError({ error_code: 'SEG_NOT_FOUND', message: `no blob ${key}`, cause });
    }
  }

  /** Whether a key exists. */
  async exists(key: string): Promise<boolean> {
    assertBlobKey(key);
    return stat(join(this.#root, key)).then(
      () => true,
      () => false,
    );
  }

  /** Deletes a key (idempotent). */
  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await rm(join(this.#root, key), { force: true });
  }

  /** Keys under a prefix in lexicographic order, at most `limit` (default and max 1,000) per page. */
  async list(
    prefix: string,
    page: { cursor?: string | null; limit?: number | null } = {},
  ): Promise<BlobKeyPage> {
    const limit = Math.min(page.limit ?? 1000, 1000);
    // Only the folder the prefix names is walked (`plans/7d1c/` walks `<root>/plans/7d1c`), not the store.
    const base = join(this.#root, ...prefix.split('/').slice(0, -1));
    let all: string[];
    try {
      all = (await readdir(base, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile() && !e.name.startsWith('.tmp-'))
        .map((e) => relative(this.#root, join(e.parentPath, e.name)).split(sep).join('/'));
    } catch {
      all = [];
    }
    const keys = all
      .filter((k) => k.startsWith(prefix) && (page.cursor ? k > page.cursor : true))
      .sort()
      .slice(0, limit + 1);
    const more = keys.length > limit;
    const out = keys.slice(0, limit);
    return more ? { keys: out, next_cursor: out.at(-1) } : { keys: out };
  }
}
