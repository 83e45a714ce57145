// SEG bundle tooling: `npm run bundle -- <verb> <bundle dir> [options]` (docs/bundles.md).
// Verbs: fmt, check, test, build, sign, verify, opa-bundle. Exit status 1 with the SegError code on any failure.
// A thin front end over BundleBuilder (@neurocipher/seg-core), the one implementation `seg bundle` uses too;
// what is only the repository's lives here: the development key and the committed trusted-keys file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { isSegError, SegError } from '@neurocipher/seg-contracts';
import {
  BundleBuilder,
  bundleKind,
  loadBundleSource,
  OpaCli,
  parseTrustedKeys,
  signingKeyId,
  WASM_FILE,
  type BundleProblem,
} from '@neurocipher/seg-core';

const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '../..');
/** Default development signing key: generated on first `sign`, ignored by git, never a production key. */
const DEV_KEY = join(repoRoot, '.seg/keys/bundle-dev-ed25519.pem');
/** Committed public keys CI trusts for the committed bundles (development keys only). */
const DEV_TRUSTED_KEYS = join(repoRoot, 'tools/bundle/trusted-keys.json');

const builder = new BundleBuilder({
  // SEG_OPA comes from tools/env.sh (npm run bundle runs under tools/with-env); else opa on PATH.
  opa: new OpaCli({ binary: process.env.SEG_OPA ?? 'opa', missingHint: 'run: bash tools/bootstrap' }),
});

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

async function fmt(dir: string, args: string[]): Promise<void> {
  if (args.includes('--write')) {
    await builder.formatWrite(dir);
    return;
  }
  const report = await builder.formatCheck(dir);
  if (!report.ok)
    fail(
      'SEG_SCHEMA_VIOLATION',
      `opa fmt --fail: not formatted (fix with: npm run bundle -- fmt ${dir} --write):\n${report.output}`,
    );
  console.log(`fmt: ${dir}: every policy is formatted`);
}

function problemText(problems: readonly BundleProblem[]): string {
  return problems.map((p) => p.message).join('\n');
}

async function check(dir: string): Promise<void> {
  const source = await loadBundleSource(dir);
  const report = await builder.check(source);
  if (!report.ok) fail('SEG_POLICY_LOAD_FAILED', problemText(report.problems));
  const what =
    bundleKind(source.manifest) === 'gates'
      ? 'the gates policy compiles'
      : `${report.controls} controls compile`;
  console.log(`check: ${dir}: ${what} under the restricted capabilities`);
}

async function build(dir: string): Promise<void> {
  const source = await loadBundleSource(dir);
  const wasm = await builder.writeWasm(source);
  console.log(`build: ${dir}: ${WASM_FILE} (${wasm.bytes} bytes, entrypoints ${wasm.entrypoints})`);
}

async function test(dir: string): Promise<void> {
  const report = await builder.test(await loadBundleSource(dir));
  const total = report.vectors.length + report.gateVectors.length;
  const wasmOk = [...report.vectors, ...report.gateVectors].filter((o) => o.ok).length;
  const opaFailures = report.opaTests.filter((t) => !t.ok);
  console.log(
    `test: ${dir}: wasm engine ${wasmOk}/${total} vectors pass; opa test ${report.opaTests.length - opaFailures.length}/${report.opaTests.length} (expect + parity with wasm) pass`,
  );
  if (!report.ok) {
    fail(
      'SEG_POLICY_LOAD_FAILED',
      [
        ...report.vectors.filter((o) => !o.ok).map((o) => `wasm: ${o.control_id} / ${o.name}: ${o.problem}`),
        ...report.gateVectors
          .filter((o) => !o.ok)
          .map((o) => `wasm: tests/${o.file}.json / ${o.name}: ${o.problem}`),
        ...opaFailures.map((t) => `opa test: ${t.test}${t.error ? `: ${t.error}` : ''}`),
        ...(total === 0 ? ['no vectors'] : []),
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
  const privateKeyPem = devKey(option(args, '--key') ?? process.env.SEG_BUNDLE_SIGNING_KEY);
  const report = await builder.sign(dir, { privateKeyPem });
  console.log(
    `build: ${dir}: ${WASM_FILE} (${report.wasm.bytes} bytes, entrypoints ${report.wasm.entrypoints})`,
  );
  console.log(`sign: ${dir}: ${report.files} files, key ${report.keyId}`);
}

async function verify(dir: string, args: string[]): Promise<void> {
  const keysFile = option(args, '--trusted-keys') ?? DEV_TRUSTED_KEYS;
  const verified = await builder.verify(dir, parseTrustedKeys(readFileSync(keysFile, 'utf8')));
  console.log(
    `verify: ${dir}: ${verified.manifest.id}@${verified.manifest.version} signed by ${verified.signer.keyid}${verified.signer.label ? ` (${verified.signer.label})` : ''}; ${verified.files.size} files match CHECKSUMS; ${WASM_FILE} reproduces`,
  );
}

async function opaBundle(dir: string, args: string[]): Promise<void> {
  const out = option(args, '--out') ?? fail('SEG_INVALID_ARGUMENT', 'opa-bundle needs --out <file.tar.gz>');
  const keyPath = option(args, '--key') ?? DEV_KEY;
  await builder.opaBundle(dir, { out, signingKeyFile: keyPath });
  console.log(
    `opa-bundle: ${out} signed (EdDSA, key ${signingKeyId(readFileSync(keyPath, 'utf8'))}); serve with: opa run --server -b ${out} --verification-key <pub.pem> --signing-alg EdDSA`,
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
