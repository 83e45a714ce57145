import { resolve } from 'node:path';
import { Command } from 'commander';
import {
  DirectoryBundleSource,
  bundleVectors,
  instantiateWasm,
  parseManifest,
  readBundleDirectory,
  readVerifiedBundle,
  runVectors,
  verifyBundle,
} from '@neurocipher/seg-core';
import { loadTrustedKeys } from '../container/evaluation.module.ts';
import { EXIT_FINDINGS, EXIT_OK } from '../cli/exit-codes.ts';
import type { CliIo } from '../cli/io.ts';
import { configFor, notAvailableYet } from './shared.ts';
import type { GlobalOptions } from './shared.ts';

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
    .command('verify')
    .description('Verify a bundle folder: SIGNATURE by a trusted key, every CHECKSUMS entry, the manifest')
    .argument('<dir>', 'bundle folder')
    .addHelpText('after', '\nExample:\n  seg bundle verify bundles/cis-aws-foundations\n')
    .action(async (dir: string) => {
      const { config } = configFor(io, global());
      const files = await readBundleDirectory(resolve(io.cwd, dir));
      const verified = verifyBundle(files, await loadTrustedKeys(config));
      const manifest = parseManifest(files.get('manifest.json') as Uint8Array);
      io.stdout.write(
        `verified: ${manifest.id}@${manifest.version}, ${manifest.controls.length} controls, ` +
          `${verified.files.size} files, digest ${verified.digest}, signed by ${JSON.stringify(verified.signer.label ?? verified.signer.keyId)}\n`,
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
      const root = resolve(io.cwd, dir);
      const files = await readBundleDirectory(root);
      const manifest = parseManifest(files.get('manifest.json') as Uint8Array);
      const source = new DirectoryBundleSource({ root: resolve(root, '..') });
      const loaded = await readVerifiedBundle(
        source,
        { id: manifest.id, version: manifest.version },
        await loadTrustedKeys(config),
      );
      const engine = await instantiateWasm(loaded, 1);
      try {
        const outcomes = await runVectors(manifest, bundleVectors(files), engine);
        const failed = outcomes.filter((o) => !o.ok);
        for (const o of failed)
          io.stdout.write(`FAIL ${o.control_id} ${o.name}: ${o.problem ?? 'mismatch'}\n`);
        io.stdout.write(`${outcomes.length - failed.length} passed, ${failed.length} failed\n`);
        setExit(failed.length === 0 ? EXIT_OK : EXIT_FINDINGS);
      } finally {
        await engine.close();
      }
    });
  for (const verb of ['build', 'sign'] as const) {
    bundle
      .command(verb)
      .description(
        verb === 'build'
          ? 'Format-check, type-check, test and compile a bundle to wasm (needs the opa CLI)'
          : 'Write CHECKSUMS and SIGNATURE with a private key',
      )
      .argument('<dir>', 'bundle folder')
      .addHelpText('after', `\nExample:\n  seg bundle ${verb} bundles/cis-aws-foundations\n`)
      .action(async () => {
        throw notAvailableYet(
          `seg bundle ${verb}`,
          `the bundle ${verb} pipeline lives in tools/bundle (run: npm run bundle -- ${verb} <dir>); ` +
            '@neurocipher/seg-core does not export it yet',
        );
      });
  }
  return bundle;
}
