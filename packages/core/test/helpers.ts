// Test helpers: signed copies of real bundles under temp dirs, ephemeral keys, and wasm builds with the real opa.
import { generateKeyPairSync } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  opaSourceTree,
  parseManifest,
  readBundleDirectory,
  renderChecksums,
  signChecksums,
  trustedKeyFrom,
  wasmEntrypoints,
} from '../src/index.ts';
import type { TrustedKey } from '@neurocipher/seg-attest';

export const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '../../..');
export const bundlesRoot = join(repoRoot, 'bundles');
export const opa = process.env.SEG_OPA ?? join(repoRoot, '.tools/bin/opa');

export interface TestKey {
  privatePem: string;
  publicPem: string;
  trusted: TrustedKey;
}

export function newKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privatePem, publicPem, trusted: trustedKeyFrom(publicPem) };
}

export function tempRoot(prefix = 'seg-core-test-'): { path: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

/** Re-signs a bundle directory in place with `key` (CHECKSUMS + SIGNATURE over its current files). */
export async function signDir(dir: string, key: TestKey): Promise<void> {
  rmSync(join(dir, 'CHECKSUMS'), { force: true });
  rmSync(join(dir, 'SIGNATURE'), { force: true });
  const checksums = renderChecksums(await readBundleDirectory(dir));
  writeFileSync(join(dir, 'CHECKSUMS'), checksums);
  writeFileSync(join(dir, 'SIGNATURE'), signChecksums(new TextEncoder().encode(checksums), key.privatePem));
}

/** Copies a committed bundle to `<root>/<name>` and signs the copy with `key`. */
export async function signedCopy(bundle: string, root: string, key: TestKey, name = bundle): Promise<string> {
  const dir = join(root, name);
  cpSync(join(bundlesRoot, bundle), dir, { recursive: true });
  rmSync(join(dir, 'project.json'), { force: true });
  await signDir(dir, key);
  return dir;
}

function untar(buf: Uint8Array): Map<string, Uint8Array> {
  const tar = gunzipSync(buf);
  const out = new Map<string, Uint8Array>();
  let off = 0;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const name = new TextDecoder().decode(h.subarray(0, 100)).replace(/\0.*$/s, '').replace(/^\/+/, '');
    const size = parseInt(
      new TextDecoder().decode(h.subarray(124, 136)).replace(/\0.*$/s, '').trim() || '0',
      8,
    );
    out.set(name, new Uint8Array(tar.subarray(off + 512, off + 512 + size)));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

function run(args: string[], cwd?: string): string {
  const r = spawnSync(opa, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`opa ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Writes the OPA source tree of a bundle directory into `out` (policies, aggregator, data.json). */
export async function stageOpaTree(dir: string, out: string): Promise<void> {
  const files = await readBundleDirectory(dir);
  const manifest = parseManifest(files.get('manifest.json')!);
  for (const [path, bytes] of opaSourceTree(manifest, files)) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), bytes);
  }
}

/** Compiles a bundle directory's sources with `opa build -t wasm` into its build/policy.wasm. */
export async function buildWasmInto(dir: string): Promise<void> {
  const files = await readBundleDirectory(dir);
  const manifest = parseManifest(files.get('manifest.json')!);
  const work = tempRoot('seg-core-build-');
  try {
    const stage = join(work.path, 'stage');
    await stageOpaTree(dir, stage);
    const args = ['build', '-t', 'wasm', '-o', join(work.path, 'b.tar.gz')];
    for (const ep of wasmEntrypoints(manifest)) args.push('-e', ep);
    run([...args, '.'], stage);
    mkdirSync(join(dir, 'build'), { recursive: true });
    writeFileSync(
      join(dir, 'build/policy.wasm'),
      untar(readFileSync(join(work.path, 'b.tar.gz'))).get('policy.wasm')!,
    );
  } finally {
    work.dispose();
  }
}

/** Builds OPA's own signed bundle (EdDSA `.signatures.json`) of a bundle directory's sources. */
export async function buildOpaSignedBundle(dir: string, key: TestKey, out: string): Promise<void> {
  const work = tempRoot('seg-core-opabundle-');
  try {
    const stage = join(work.path, 'stage');
    await stageOpaTree(dir, stage);
    writeFileSync(join(work.path, 'key.pem'), key.privatePem);
    run(
      ['build', '-b', '.', '--signing-key', join(work.path, 'key.pem'), '--signing-alg', 'EdDSA', '-o', out],
      stage,
    );
  } finally {
    work.dispose();
  }
}
