import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SegError } from '@neurocipher/seg-contracts';
import type { BlobKeyPage, BlobStore } from '@neurocipher/seg-ports';

function checkKey(key: string): void {
  if (!key || key.startsWith('/') || key.split('/').some((p) => p === '' || p === '..' || p === '.')) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: 'malformed blob key',
      details: { key },
    });
  }
}

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (!e.name.startsWith('.tmp-')) out.push(p);
  }
  return out;
}

/**
 * A minimal BlobStore on a local directory, for this package's tests only (adapter-aws may not import
 * the lakehouse's production `LocalBlobStore`). Atomic writes by rename; list is sorted and paged.
 */
export class LocalDirBlobStore implements BlobStore {
  readonly root: string;

  constructor(options: { root: string }) {
    this.root = options.root;
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    checkKey(key);
    const path = join(this.root, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    const tmp = join(dirname(path), `.tmp-${randomUUID()}`);
    await writeFile(tmp, body);
    await rename(tmp, path);
  }

  async get(key: string): Promise<Uint8Array> {
    checkKey(key);
    try {
      return new Uint8Array(await readFile(join(this.root, ...key.split('/'))));
    } catch (cause) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: 'no blob under this key',
        details: { key },
        cause,
      });
    }
  }

  async exists(key: string): Promise<boolean> {
    checkKey(key);
    return stat(join(this.root, ...key.split('/'))).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    await rm(join(this.root, ...key.split('/')), { force: true });
  }

  async list(
    prefix: string,
    page: { cursor?: string | null; limit?: number | null } = {},
  ): Promise<BlobKeyPage> {
    const limit = Math.min(page.limit ?? 1000, 1000);
    const all = (await walk(this.root))
      .map((p) => relative(this.root, p).split(sep).join('/'))
      .filter((k) => k.startsWith(prefix))
      .sort();
    const after = page.cursor ?? undefined;
    const rest = after === undefined ? all : all.filter((k) => k > after);
    const keys = rest.slice(0, limit);
    const last = keys.at(-1);
    return { keys, ...(rest.length > limit && last !== undefined ? { next_cursor: last } : {}) };
  }
}
