// SEG bundle tooling: `npm run bundle -- <verb> <bundle dir> [options]` (docs/bundles.md).
// Verbs: fmt, check, test, build, sign, verify, opa-bundle. Exit status 1 with the SegError code on any failure.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { isSegError, SegError } from '@neurocipher/seg-contracts';
import {
  bundleVectors,
  CHECKSUMS_FILE,
  keyIdOf,
  opaSourceTree,
  parseManifest,
  parseTrustedKeys,
  readBundleDirectory,
  renderChecksums,
  runVectors,
  SIGNATURE_FILE,
  signChecksums,
  snakeId,
  trustedKeyFrom,
  verifyBundle,
  WasmEngine,
  WASM_FILE,
  wasmEntrypoints,
  mergeBundleData,
  type BundleManifest,
} from '@neurocipher/seg-core';
import { mustOpa, restrictedCapabilities, runOpa, tempDir, writeTree } from './lib/opa.ts';
import { renderVectorTests } from './lib/rego-tests.ts';
import { readTarGz } from './lib/tar.ts';

const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '../..');
/** Default development signing key: generated on first `sign`, ignored by git, never a production key. */
const DEV_KEY = join(repoRoot, '.seg/keys/bundle-dev-ed25519.pem');
/** Committed public keys CI trusts for the committed bundles (development keys only). */
const DEV_TRUSTED_KEYS = join(repoRoot, 'tools/bundle/trusted-keys.json');

function fail(code: SegError['error_code'], message: string): never {
  throw new SegError({ error_code: code, message });
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined) fail('SEG_INVALID_ARGUMENT', `${name} needs a value`);
  return value;
}

async function loadSource(
  dir: string,
): Promise<{ files: Map<string, Uint8Array>; manifest: BundleManifest }> {
  if (!existsSync(join(dir, 'manifest.json'))) fail('SEG_INVALID_ARGUMENT', `${dir} has no manifest.json`);
  const files = await readBundleDirectory(dir);
  return { files, manifest: parseManifest(files.get('manifest.json')!) };
}

/** Writes the OPA source tree (policies, generated aggregator, merged data.json) to a temp dir. */
function stage(manifest: BundleManifest, files: ReadonlyMap<string, Uint8Array>): ReturnType<typeof tempDir> {
  const dir = tempDir('seg-bundle-stage-');
  writeTree(dir.path, opaSourceTree(manifest, files));
  return dir;
}

function fmt(dir: string, args: string[]): void {
  const policies = join(dir, 'policies');
  if (args.includes('--write')) {
    mustOpa(['fmt', '-w', policies], 'SEG_SCHEMA_VIOLATION', 'opa fmt -w');
    return;
  }
  const run = runOpa(['fmt', '--fail', '-l', policies]);
  if (run.status !== 0)
    fail(
      'SEG_SCHEMA_VIOLATION',
      `opa fmt --fail: not formatted (fix with: npm run bundle -- fmt ${dir} --write):\n${(run.stdout + run.stderr).trim()}`,
    );
  console.log(`fmt: ${dir}: every policy is formatted`);
}

function structureProblems(manifest: BundleManifest, files: ReadonlyMap<string, Uint8Array>): string[] {
  const problems: string[] = [];
  const policyFiles = [...files.keys()].filter((p) => /^policies\/.+\.rego$/.test(p));
  for (const control of manifest.controls) {
    const path = `policies/${snakeId(control.id)}.rego`;
    const text = files.get(path) ? new TextDecoder().decode(files.get(path)) : undefined;
    if (text === undefined) problems.push(`control ${control.id}: ${path} is missing`);
    else if (!new RegExp(`^package seg\\.controls\\.${snakeId(control.id)}$`, 'm').test(text))
      problems.push(`${path} must declare package seg.controls.${snakeId(control.id)}`);
  }
  for (const path of policyFiles) {
    if (!manifest.controls.some((c) => path === `policies/${snakeId(c.id)}.rego`))
      problems.push(`${path} is not a control listed in manifest.json`);
  }
  let vectors;
  try {
    vectors = bundleVectors(files);
  } catch (error) {
    return [...problems, (error as Error).message];
  }
  for (const control of manifest.controls) {
    const file = vectors.get(control.id);
    const results = new Set(file?.vectors.map((v) => v.expected.result) ?? []);
    if (!file || file.vectors.length < 3)
      problems.push(`control ${control.id}: tests/${control.id}.json needs at least 3 vectors`);
    else if (
      !results.has('pass') ||
      !results.has('fail') ||
      !(results.has('error') || results.has('not_applicable'))
    ) {
      problems.push(`control ${control.id}: vectors need a pass, a fail and an error or not_applicable case`);
    }
  }
  return problems;
}

async function check(dir: string): Promise<void> {
  const { files, manifest } = await loadSource(dir);
  const problems = structureProblems(manifest, files);
  if (problems.length) fail('SEG_POLICY_LOAD_FAILED', `bundle structure:\n  ${problems.join('\n  ')}`);
  const staged = stage(manifest, files);
  const capsDir = tempDir('seg-bundle-caps-');
  try {
    const caps = join(capsDir.path, 'capabilities.json');
    writeFileSync(caps, JSON.stringify(restrictedCapabilities()));
    mustOpa(
      ['check', '--strict', '--capabilities', caps, staged.path],
      'SEG_POLICY_LOAD_FAILED',
      'opa check --strict (capabilities forbid time.now_ns, http.send, rand.*, net.*, uuid.*, opa.runtime)',
    );
  } finally {
    staged.dispose();
    capsDir.dispose();
  }
  console.log(
    `check: ${dir}: ${manifest.controls.length} controls compile under the restricted capabilities`,
  );
}

/** Compiles the bundle to wasm in a temp dir; returns policy.wasm. */
function compileWasm(manifest: BundleManifest, files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const staged = stage(manifest, files);
  const out = tempDir('seg-bundle-build-');
  try {
    const caps = join(out.path, 'capabilities.json');
    writeFileSync(caps, JSON.stringify(restrictedCapabilities()));
    const args = ['build', '-t', 'wasm', '--capabilities', caps, '-o', join(out.path, 'bundle.tar.gz')];
    for (const ep of wasmEntrypoints(manifest)) args.push('-e', ep);
    // Relative to the staged tree: file names are embedded in the wasm, and must not depend on the temp dir.
    mustOpa([...args, '.'], 'SEG_POLICY_LOAD_FAILED', 'opa build -t wasm', staged.path);
    const wasm = readTarGz(readFileSync(join(out.path, 'bundle.tar.gz'))).get('policy.wasm');
    if (!wasm) fail('SEG_POLICY_LOAD_FAILED', 'opa build produced no policy.wasm');
    return wasm;
  } finally {
    staged.dispose();
    out.dispose();
  }
}

async function build(dir: string): Promise<void> {
  const { files, manifest } = await loadSource(dir);
  const wasm = compileWasm(manifest, files);
  mkdirSync(join(dir, 'build'), { recursive: true });
  writeFileSync(join(dir, WASM_FILE), wasm);
  console.log(
    `build: ${dir}: ${WASM_FILE} (${wasm.length} bytes, entrypoints ${wasmEntrypoints(manifest).length})`,
  );
}

async function test(dir: string): Promise<void> {
  const { files, manifest } = await loadSource(dir);
  const vectors = bundleVectors(files);
  // 1. Our engine: the same wasm the bundle ships, compiled fresh from these sources.
  const engine = await WasmEngine.create({
    wasm: compileWasm(manifest, files),
    dataJson: JSON.stringify(mergeBundleData(files)),
    workers: 0,
  });
  const outcomes = await runVectors(manifest, vectors, engine);
  await engine.close();
  const wasmFailures = outcomes.filter((o) => !o.ok);
  // 2. opa test (topdown): expectations, and equality with what wasm returned.
  const staged = stage(manifest, files);
  let opaFailures: string[] = [];
  let opaCount = 0;
  try {
    for (const file of vectors.values()) {
      writeFileSync(
        join(staged.path, `seg_vectors_${snakeId(file.control_id)}_test.rego`),
        renderVectorTests(
          file,
          outcomes.filter((o) => o.control_id === file.control_id),
        ),
      );
    }
    const run = runOpa(['test', '--format=json', staged.path]);
    let results: Array<{ package: string; name: string; fail?: boolean; error?: unknown }>;
    try {
      results = JSON.parse(run.stdout);
    } catch {
      fail('SEG_POLICY_LOAD_FAILED', `opa test failed:\n${(run.stdout + run.stderr).trim()}`);
    }
    opaCount = results.length;
    opaFailures = results
      .filter((r) => r.fail || r.error)
      .map((r) => `${r.package}.${r.name}${r.error ? `: ${JSON.stringify(r.error)}` : ''}`);
  } finally {
    staged.dispose();
  }
  console.log(
    `test: ${dir}: wasm engine ${outcomes.length - wasmFailures.length}/${outcomes.length} vectors pass; opa test ${opaCount - opaFailures.length}/${opaCount} (expect + parity with wasm) pass`,
  );
  if (wasmFailures.length || opaFailures.length || outcomes.length === 0) {
    fail(
      'SEG_POLICY_LOAD_FAILED',
      [
        ...wasmFailures.map((o) => `wasm: ${o.control_id} / ${o.name}: ${o.problem}`),
        ...opaFailures.map((f) => `opa test: ${f}`),
        ...(outcomes.length === 0 ? ['no vectors'] : []),
      ].join('\n'),
    );
  }
}

function devKey(keyPath: string | undefined): string {
  if (keyPath) return readFileSync(keyPath, 'utf8');
  if (!existsSync(DEV_KEY)) {
    mkdirSync(dirname(DEV_KEY), { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(DEV_KEY, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(DEV_KEY.replace(/\.pem$/, '.pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    console.log(`sign: generated a development key ${DEV_KEY} (not for production)`);
  }
  return readFileSync(DEV_KEY, 'utf8');
}

async function sign(dir: string, args: string[]): Promise<void> {
  await build(dir);
  const files = await readBundleDirectory(dir);
  const checksums = renderChecksums(files);
  const signature = signChecksums(
    new TextEncoder().encode(checksums),
    devKey(option(args, '--key') ?? process.env.SEG_BUNDLE_SIGNING_KEY),
  );
  writeFileSync(join(dir, CHECKSUMS_FILE), checksums);
  writeFileSync(join(dir, SIGNATURE_FILE), signature);
  const keyId = (JSON.parse(signature) as { key_id: string }).key_id;
  console.log(`sign: ${dir}: ${checksums.split('\n').length - 1} files, key ${keyId}`);
}

async function verify(dir: string, args: string[]): Promise<void> {
  const keysFile = option(args, '--trusted-keys') ?? DEV_TRUSTED_KEYS;
  const keys = parseTrustedKeys(readFileSync(keysFile, 'utf8'));
  const files = await readBundleDirectory(dir);
  const verified = verifyBundle(files, keys);
  // The signed wasm must be what these signed sources compile to.
  const rebuilt = compileWasm(verified.manifest, verified.files);
  if (Buffer.compare(Buffer.from(rebuilt), Buffer.from(verified.files.get(WASM_FILE)!)) !== 0) {
    fail(
      'SEG_POLICY_LOAD_FAILED',
      `${WASM_FILE} is not what the signed sources compile to; run: npm run bundle -- sign ${dir}`,
    );
  }
  console.log(
    `verify: ${dir}: ${verified.manifest.id}@${verified.manifest.version} signed by ${verified.signer.keyId}${verified.signer.label ? ` (${verified.signer.label})` : ''}; ${verified.files.size} files match CHECKSUMS; ${WASM_FILE} reproduces`,
  );
}

async function opaBundle(dir: string, args: string[]): Promise<void> {
  const out = option(args, '--out') ?? fail('SEG_INVALID_ARGUMENT', 'opa-bundle needs --out <file.tar.gz>');
  const keyPath = option(args, '--key') ?? DEV_KEY;
  const { files, manifest } = await loadSource(dir);
  const staged = stage(manifest, files);
  try {
    mustOpa(
      ['build', '-b', staged.path, '--signing-key', keyPath, '--signing-alg', 'EdDSA', '-o', resolve(out)],
      'SEG_POLICY_LOAD_FAILED',
      'opa build --signing-alg EdDSA',
    );
  } finally {
    staged.dispose();
  }
  const pub = trustedKeyFrom(readFileSync(keyPath.replace(/\.pem$/, '.pub.pem'), 'utf8'));
  console.log(
    `opa-bundle: ${out} signed (EdDSA, key ${keyIdOf(pub.publicKey)}); serve with: opa run --server -b ${out} --verification-key <pub.pem> --signing-alg EdDSA`,
  );
}

async function main(argv: string[]): Promise<void> {
  const [verb, dirArg, ...rest] = argv;
  if (!verb || !dirArg)
    fail(
      'SEG_INVALID_ARGUMENT',
      'usage: npm run bundle -- <fmt|check|test|build|sign|verify|opa-bundle> <bundle dir> [options]',
    );
  const dir = resolve(dirArg);
  switch (verb) {
    case 'fmt':
      return fmt(dir, rest);
    case 'check':
      return check(dir);
    case 'test':
      return test(dir);
    case 'build':
      return build(dir);
    case 'sign':
      return sign(dir, rest);
    case 'verify':
      return verify(dir, rest);
    case 'opa-bundle':
      return opaBundle(dir, rest);
    default:
      fail('SEG_INVALID_ARGUMENT', `unknown verb ${verb}`);
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  const e = isSegError(error)
    ? error
    : new SegError({
        error_code: 'SEG_INTERNAL',
        message: (error as Error).message ?? String(error),
        cause: error,
      });
  console.error(`seg bundle: ${e.error_code}: ${e.message}`);
  process.exitCode = 1;
}
