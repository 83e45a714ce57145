import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FileIO } from './file-io.ts';

/** Converts a `file:` URI or plain absolute path to a filesystem path. */
export function localPath(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

/** Converts an absolute filesystem path to a `file:` URI without a trailing slash. */
export function fileUri(path: string): string {
  return pathToFileURL(path).href.replace(/\/$/, '');
}

async function fsyncDir(dir: string): Promise<void> {
  const h = await open(dir, constants.O_RDONLY);
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** {@link FileIO} on the local filesystem: exclusive create, fsync of file and directory. */
export class LocalFileIO implements FileIO {
  /** Reads a file. */
  async read(uri: string): Promise<Buffer> {
    return readFile(localPath(uri));
  }

  /**
   * Writes a new file with O_EXCL, then fsyncs it and its directory, and first the entries of any
   * directories created for it, so the whole path survives a crash.
   */
  async writeNew(uri: string, bytes: Uint8Array): Promise<void> {
    const path = localPath(uri);
    const dir = dirname(path);
    const created = await mkdir(dir, { recursive: true });
    if (created !== undefined) {
      const chain: string[] = [];
      for (let d = dir; d !== dirname(created); d = dirname(d)) chain.push(d);
      for (const d of [dirname(created), ...chain.reverse()]) await fsyncDir(d);
    }
    const h = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      await h.writeFile(bytes);
      await h.sync();
    } finally {
      await h.close();
    }
    await fsyncDir(dir);
  }

  /** Whether the file exists. */
  async exists(uri: string): Promise<boolean> {
    try {
      await stat(localPath(uri));
      return true;
    } catch {
      return false;
    }
  }

  /** Removes a file if present. */
  async delete(uri: string): Promise<void> {
    await rm(localPath(uri), { force: true });
  }

  /** Lists files under a directory URI, recursively. */
  async list(prefixUri: string): Promise<string[]> {
    const root = localPath(prefixUri);
    let entries: string[];
    try {
      entries = (await readdir(root, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name));
    } catch {
      return [];
    }
    return entries.map(fileUri).sort();
  }
}
