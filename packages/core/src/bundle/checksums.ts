import { SegError } from '@neurocipher/seg-contracts';
import { sha256Hex } from '@neurocipher/seg-ports';
import { isSignedPath } from './bundle-layout.ts';

function checkPath(path: string): void {
  if (
    path === '' ||
    path.startsWith('/') ||
    /[\n\r\\]/.test(path) ||
    path.split('/').some((s) => s === '..' || s === '.' || s === '')
  ) {
    throw new SegError({
      error_code: 'SEG_POLICY_LOAD_FAILED',
      message: `bundle file path ${JSON.stringify(path)} is not a plain relative path`,
      details: { path },
    });
  }
}

/**
 * Renders CHECKSUMS for a bundle's files: one `<sha256 hex>  <path>` line per signed file (the
 * `sha256sum` format, so `sha256sum -c CHECKSUMS` checks it), sorted by path, LF line ends.
 */
export function renderChecksums(files: ReadonlyMap<string, Uint8Array>): string {
  const paths = [...files.keys()].filter(isSignedPath).sort();
  return paths
    .map((path) => {
      checkPath(path);
      return `${sha256Hex(files.get(path)!)}  ${path}\n`;
    })
    .join('');
}

/**
 * Parses CHECKSUMS into path → sha256. Throws `SEG_POLICY_LOAD_FAILED` on a malformed line, an unsorted
 * or duplicated path, so that only the canonical rendering is ever accepted.
 */
export function parseChecksums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!text.endsWith('\n')) {
    throw new SegError({
      error_code: 'SEG_POLICY_LOAD_FAILED',
      message: 'CHECKSUMS does not end with a newline',
    });
  }
  let previous = '';
  for (const line of text.slice(0, -1).split('\n')) {
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!match) {
      throw new SegError({
        error_code: 'SEG_POLICY_LOAD_FAILED',
        message: 'CHECKSUMS has a malformed line',
        details: { line: line.slice(0, 200) },
      });
    }
    const [, hash, path] = match as unknown as [string, string, string];
    checkPath(path);
    if (path <= previous) {
      throw new SegError({
        error_code: 'SEG_POLICY_LOAD_FAILED',
        message: 'CHECKSUMS paths are not sorted and unique',
        details: { path },
      });
    }
    previous = path;
    out.set(path, hash);
  }
  return out;
}
