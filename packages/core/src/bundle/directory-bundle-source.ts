import { readdir, readFile, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { SegError } from '@neurocipher/seg-contracts';
import type { BundleRef, BundleSource } from '@neurocipher/seg-ports';
import { MANIFEST_FILE } from './bundle-layout.ts';

/**
 * Reads every file under one bundle directory, by `/`-separated relative path. Symbolic links are refused
 * (a link could point outside the signed tree). Throws `SEG_POLICY_LOAD_FAILED` when unreadable.
 */
export async function readBundleDirectory(dir: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  async function walk(rel: string): Promise<void> {
    const entries = await readdir(join(dir, rel), { withFileTypes: true });
    for (const entry of entries) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isSymbolicLink()) {
        throw new SegError({
          error_code: 'SEG_POLICY_LOAD_FAILED',
          message: `bundle file ${path} is a symbolic link`,
          details: { path },
        });
      }
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) out.set(path, new Uint8Array(await readFile(join(dir, path))));
    }
  }
  try {
    await walk('');
  } catch (cause) {
    if (cause instanceof SegError) throw cause;
    throw new SegError({
      error_code: 'SEG_POLICY_LOAD_FAILED',
      message: `bundle directory ${dir} cannot be read`,
      cause,
    });
  }
  return out;
}

/** Options of {@link DirectoryBundleSource}. */
export interface DirectoryBundleSourceOptions {
  /** A directory whose sub-directories are bundles (`<root>/<id>/manifest.json`), e.g. the repo's `bundles/`. */
  root: string;
}

/**
 * A {@link BundleSource} over a directory of bundle directories. A bundle is found by the id and version
 * its manifest.json declares (the directory name does not matter); the bytes are delivered unverified —
 * verification is the engine's job.
 */
export class DirectoryBundleSource implements BundleSource {
  readonly #root: string;

  constructor(options: DirectoryBundleSourceOptions) {
    this.#root = options.root;
  }

  async #index(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let entries;
    try {
      entries = await readdir(this.#root, { withFileTypes: true });
    } catch (cause) {
      throw new SegError({
        error_code: 'SEG_POLICY_LOAD_FAILED',
        message: `bundle root ${this.#root} cannot be read`,
        cause,
      });
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const manifestPath = join(this.#root, entry.name, MANIFEST_FILE);
      try {
        if (!(await lstat(manifestPath)).isFile()) continue;
        const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
          id?: unknown;
          version?: unknown;
        };
        if (typeof manifest.id === 'string' && typeof manifest.version === 'string') {
          out.set(`${manifest.id}@${manifest.version}`, join(this.#root, entry.name));
        }
      } catch {
        // A directory without a readable manifest is not a bundle.
      }
    }
    return out;
  }

  /** Every bundle under the root, sorted by id then version. */
  async list(): Promise<BundleRef[]> {
    const refs = [...(await this.#index()).keys()].map((key) => {
      const at = key.lastIndexOf('@');
      return { id: key.slice(0, at), version: key.slice(at + 1) };
    });
    return refs.sort((a, b) => (a.id === b.id ? (a.version < b.version ? -1 : 1) : a.id < b.id ? -1 : 1));
  }

  /** Every file of the bundle `ref`; `SEG_NOT_FOUND` when no directory declares that id and version. */
  async read(ref: BundleRef): Promise<ReadonlyMap<string, Uint8Array>> {
    const dir = (await this.#index()).get(`${ref.id}@${ref.version}`);
    if (dir === undefined) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `bundle ${ref.id}@${ref.version} not found under ${this.#root}`,
        details: { bundle_id: ref.id, version: ref.version },
      });
    }
    return readBundleDirectory(dir);
  }
}
