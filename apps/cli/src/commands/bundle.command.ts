import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { isSegError } from '@neurocipher/seg-contracts';
import {
  BundleBuilder,
  DirectoryBundleSource,
  MANIFEST_FILE,
  OpaCli,
  bundleVectors,
  instantiateWasm,
  parseManifest,
  readBundleDirectory,
  readVerifiedBundle,
  runVectors,
  bundleKind,
  gateVectors,
  runGateVectors,
  signingKeyId,
  verifyBundle,
} from '@neurocipher/seg-core';
import type { BundleBuildReport, BundleProblem, VerifiedBundle } from '@neurocipher/seg-core';
import { loadTrustedKeys } from '@neurocipher/seg-runtime';
import { EXIT_FINDINGS, EXIT_OK } from '../cli/exit-codes.ts';
import { errorText } from '../cli/error-text.ts';
import { readUserFile } from '@neurocipher/seg-runtime';
import type { CliIo } from '../cli/io.ts';
import { configFor, usageError } from './shared.ts';
import type { GlobalOptions } from './shared.ts';

/** The variable naming the bundle signing key file when `--key` is not given. */
export const BUNDLE_SIGNING_KEY_ENV = 'SEG_BUNDLE_SIGNING_KEY';

interface SignOptions {
  key?: string;
}

interface VerifyOptions {
  reproduce?: boolean;
}

/** The opa CLI `seg` runs: `$SEG_OPA` (set by tools/env.sh), else `opa` on PATH. */
function opaCli(io: CliIo): OpaCli {
  const binary = io.env['SEG_OPA'] || 'opa';
  return new OpaCli({
    binary,
    missingHint: 'set SEG_OPA to the opa v1.22.3 binary, or run: bash tools/bootstrap (it installs opa)',
  });
}

/** Fails with a usage error (exit 2) when `dir` holds no manifest.json. */
async function bundleDir(io: CliIo, dir: string): Promise<string> {
  const root = resolve(io.cwd, dir);
  try {
    await access(join(root, MANIFEST_FILE));
  } catch {
    throw usageError(`${root} is not a bundle folder (no ${MANIFEST_FILE})`, { dir: root });
  }
  return root;
}

/** One problem as printed: `FAIL <step> <control> / <vector>: <message>`, continuation lines indented. */
function problemLine(p: BundleProblem): string {
  const where =
    p.control_id === undefined ? '' : ` ${p.control_id}${p.vector === undefined ? '' : ` / ${p.vector}`}`;
  return `FAIL ${p.step}${where}: ${p.message.replace(/\n/g, '\n    ')}\n`;
}

/** Runs the whole build, printing progress and problems; returns the report. */
async function runBuild(io: CliIo, root: string): Promise<BundleBuildReport> {
  const builder = new BundleBuilder({
    opa: opaCli(io),
    onProgress: (e) => io.stdout.write(`${e.step}: ${e.message}\n`),
  });
  const report = await builder.build(root);
  for (const problem of report.problems) io.stdout.write(problemLine(problem));
  return report;
}

/**
 * Reads the bundle signing key named by `--key`, else the config's `bundle_signing_key` (also set by
 * `$SEG_BUNDLE_SIGNING_KEY`); `SEG_INVALID_ARGUMENT` (exit 2) when neither is given or the file is
 * unusable. The key text is never printed.
 */
async function signingKey(
  io: CliIo,
  options: SignOptions,
  configured: string | null | undefined,
): Promise<{ pem: string; keyId: string }> {
  const path = options.key ?? configured ?? undefined;
  if (path === undefined || path === '') {
    throw usageError(
      `seg bundle sign needs an Ed25519 private key: --key <pkcs8.pem>, ${BUNDLE_SIGNING_KEY_ENV}=<file> ` +
        'or bundle_signing_key in the config file',
    );
  }
  const file = resolve(io.cwd, path);
  const pem = await readUserFile('bundle signing key', file);
  try {
    return { pem, keyId: signingKeyId(pem) };
  } catch (error) {
    if (isSegError(error)) throw usageError(`${error.message} (${file})`, { file });
    throw error;
  }
}

/** `seg bundle build|test|sign|verify` over a bundle folder. */
export function bundleCommand(
  io: CliIo,
  global: () => GlobalOptions,
  setExit: (code: number) => void,
): Command {
  const bundle = new Command('bundle').description(
    'Build, test, sign and verify policy bundles (SRG-001 layout)',
  );
  bundle
    .command('build')
    .description(
      'Format-check, strict-check (restricted capabilities), compile to wasm and run every vector through ' +
        'the wasm engine and opa test; writes build/policy.wasm when all pass, exit 1 when one fails (needs opa)',
    )
    .argument('<dir>', 'bundle folder')
    .addHelpText(
      'after',
      '\nThe opa CLI is $SEG_OPA, else opa on PATH (bash tools/bootstrap installs v1.22.3).\n' +
        '\nExample:\n  seg bundle build bundles/seg-custom\n',
    )
    .action(async (dir: string) => {
      configFor(io, global());
      const root = await bundleDir(io, dir);
      const report = await runBuild(io, root);
      const id = `${report.bundle.id}@${report.bundle.version}`;
      if (report.ok) {
        io.stdout.write(
          `built: ${id}: ${report.vectors.passed} vectors and ${report.opaTests.passed} opa tests pass\n`,
        );
        setExit(EXIT_OK);
      } else {
        io.stdout.write(
          `build failed: ${id}: ${report.problems.length} problem(s); build/policy.wasm not written\n`,
        );
        setExit(EXIT_FINDINGS);
      }
    });
  bundle
    .command('sign')
    .description(
      'Build the bundle (as seg bundle build), then write CHECKSUMS and an Ed25519 SIGNATURE; ' +
        'nothing is signed when the build fails (exit 1)',
    )
    .argument('<dir>', 'bundle folder')
    .option('--key <pem>', `Ed25519 private key, PKCS#8 PEM (default: $${BUNDLE_SIGNING_KEY_ENV})`)
    .addHelpText(
      'after',
      '\nTrust the signature by adding the public half to the trusted keys file (config trusted_keys).\n' +
        '\nExample:\n  seg bundle sign bundles/seg-custom --key ~/.seg/bundle-release-ed25519.pem\n',
    )
    .action(async (dir: string, options: SignOptions) => {
      const { config } = configFor(io, global());
      const root = await bundleDir(io, dir);
      const key = await signingKey(io, options, config.bundle_signing_key);
      const report = await runBuild(io, root);
      if (!report.ok) {
        io.stdout.write(
          `sign refused: ${report.bundle.id}@${report.bundle.version} does not build (${report.problems.length} problem(s)); nothing signed\n`,
        );
        setExit(EXIT_FINDINGS);
        return;
      }
      const builder = new BundleBuilder({
        opa: opaCli(io),
        onProgress: (e) => {
          if (e.step === 'sign') io.stdout.write(`${e.step}: ${e.message}\n`);
        },
      });
      const signed = await builder.sign(root, { privateKeyPem: key.pem });
      io.stdout.write(
        `signed: ${report.bundle.id}@${report.bundle.version}: ${signed.files} files, key ${signed.keyId}\n`,
      );
      setExit(EXIT_OK);
    });
  bundle
    .command('verify')
    .description(
      'Verify a bundle folder: SIGNATURE by a trusted key, every CHECKSUMS entry, the manifest; exit 1 when it does not verify',
    )
    .argument('<dir>', 'bundle folder')
    .option(
      '--reproduce',
      'also require build/policy.wasm to be what the signed sources compile to (needs opa)',
    )
    .addHelpText('after', '\nExample:\n  seg bundle verify bundles/cis-aws-foundations\n')
    .action(async (dir: string, options: VerifyOptions) => {
      const { config } = configFor(io, global());
      const root = await bundleDir(io, dir);
      const trusted = await loadTrustedKeys(config);
      let verified: VerifiedBundle;
      try {
        verified = options.reproduce
          ? await new BundleBuilder({ opa: opaCli(io) }).verify(root, trusted)
          : await verifyBundle(await readBundleDirectory(root), trusted);
      } catch (error) {
        // A readable bundle that does not verify is a verdict (exit 1), not a usage error.
        if (isSegError(error) && error.error_code === 'SEG_POLICY_LOAD_FAILED') {
          io.stderr.write(errorText(error, false));
          setExit(EXIT_FINDINGS);
          return;
        }
        throw error;
      }
      const { manifest } = verified;
      io.stdout.write(
        `verified: ${manifest.id}@${manifest.version}, ${manifest.controls.length} controls, ` +
          `${verified.files.size} files, digest ${verified.digest}, signed by ${JSON.stringify(verified.signer.label ?? verified.signer.keyid)}` +
          `${options.reproduce ? ', build/policy.wasm reproduces' : ''}\n`,
      );
      setExit(EXIT_OK);
    });
  bundle
    .command('test')
    .description("Run a signed bundle's test vectors through the wasm engine; exit 1 when one fails")
    .argument('<dir>', 'bundle folder')
    .addHelpText('after', '\nExample:\n  seg bundle test bundles/cis-aws-foundations\n')
    .action(async (dir: string) => {
      const { config } = configFor(io, global());
      const root = await bundleDir(io, dir);
      const files = await readBundleDirectory(root);
      const manifest = parseManifest(files.get(MANIFEST_FILE) as Uint8Array);
      const source = new DirectoryBundleSource({ root: resolve(root, '..') });
      const loaded = await readVerifiedBundle(
        source,
        { id: manifest.id, version: manifest.version },
        await loadTrustedKeys(config),
      );
      const engine = await instantiateWasm(loaded, 1);
      try {
        // A gates bundle's vectors are decisions (docs/bundles.md, "Gates bundles"), a control bundle's results.
        const outcomes =
          bundleKind(manifest) === 'gates'
            ? (await runGateVectors(gateVectors(files), engine)).map((o) => ({ ...o, label: o.file }))
            : (await runVectors(manifest, bundleVectors(files), engine)).map((o) => ({
                ...o,
                label: o.control_id,
              }));
        const failed = outcomes.filter((o) => !o.ok);
        for (const o of failed) io.stdout.write(`FAIL ${o.label} ${o.name}: ${o.problem ?? 'mismatch'}\n`);
        io.stdout.write(`${outcomes.length - failed.length} passed, ${failed.length} failed\n`);
        setExit(failed.length === 0 ? EXIT_OK : EXIT_FINDINGS);
      } finally {
        await engine.close();
      }
    });
  return bundle;
}
