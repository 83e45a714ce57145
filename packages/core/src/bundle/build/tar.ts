import { gunzipSync } from 'node:zlib';
import { SegError } from '@neurocipher/seg-contracts';

/**
 * Reads the regular files of a .tar.gz (as `opa build` writes it: ustar, absolute member names) into
 * path → bytes, with the leading `/` removed. A duplicate member is an error, so a second copy can never
 * shadow the first (`SEG_POLICY_LOAD_FAILED`).
 */
export function readTarGz(buf: Uint8Array): Map<string, Uint8Array> {
  const tar = gunzipSync(buf);
  const out = new Map<string, Uint8Array>();
  const decoder = new TextDecoder();
  let off = 0;
  let longName: string | null = null;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (a: number, b: number): string =>
      decoder.decode(header.subarray(a, b)).replace(/\0.*$/s, '');
    let name = field(0, 100);
    const prefix = field(345, 500);
    if (prefix) name = `${prefix}/${name}`;
    const size = parseInt(field(124, 136).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const body = tar.subarray(off + 512, off + 512 + size);
    if (type === 'L') {
      longName = decoder.decode(body).replace(/\0.*$/s, '');
    } else if (type === '0' || type === '\0') {
      const path = (longName ?? name).replace(/^\.?\/+/, '');
      longName = null;
      if (out.has(path)) {
        throw new SegError({
          error_code: 'SEG_POLICY_LOAD_FAILED',
          message: `duplicate tar member ${path}`,
          details: { path },
        });
      }
      out.set(path, new Uint8Array(body));
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
