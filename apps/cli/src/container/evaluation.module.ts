import { readFile } from 'node:fs/promises';
import { ContainerModule } from 'inversify';
import { SegError } from '@neurocipher/seg-contracts';
import type { InventoryPort } from '@neurocipher/seg-ports';
import { InventoryPortId } from '@neurocipher/seg-ports';
import {
  DirectoryBundleSource,
  Evaluator,
  parseTrustedKeys,
  readVerifiedBundle,
} from '@neurocipher/seg-core';
import type { LoadedBundle } from '@neurocipher/seg-core';
import type { CliConfig } from '../config/cli-config.ts';
import { CliConfigId, EvaluatorId } from './ids.ts';

/** Reads the trusted bundle keys named by the config; `SEG_INVALID_ARGUMENT` when the file is unusable. */
export async function loadTrustedKeys(config: CliConfig): Promise<ReturnType<typeof parseTrustedKeys>> {
  let text: string;
  try {
    text = await readFile(config.trusted_keys, 'utf8');
  } catch (cause) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `trusted keys file ${config.trusted_keys} cannot be read`,
      cause,
    });
  }
  return parseTrustedKeys(text);
}

/** Resolves `<id>` or `<id>@<version>` against the bundles folder; `SEG_POLICY_LOAD_FAILED` when absent. */
export async function resolveBundleRef(
  source: DirectoryBundleSource,
  wanted: string,
): Promise<{ id: string; version: string }> {
  const [id, version] = wanted.split('@') as [string, string | undefined];
  const refs = (await source.list()).filter(
    (r) => r.id === id && (version === undefined || r.version === version),
  );
  refs.sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
  const ref = refs.at(-1);
  if (!ref) {
    throw new SegError({
      error_code: 'SEG_POLICY_LOAD_FAILED',
      message: `bundle ${wanted} is not in the bundles folder`,
      details: { bundle: wanted },
    });
  }
  return ref;
}

/** The engine of a scan and the verified bundle it evaluates (controls, frameworks, digest). */
export interface ScanEngine {
  evaluator: Evaluator;
  bundle: LoadedBundle;
}

/**
 * Binds {@link EvaluatorId} to the wasm engine over the configured, signed bundle and the bound inventory,
 * with the verified bundle itself (read and verified once more here for its metadata).
 */
export function evaluationModule(): ContainerModule {
  return new ContainerModule((options) => {
    options
      .bind<ScanEngine>(EvaluatorId)
      .toResolvedValue(
        async (config: CliConfig, inventory: InventoryPort): Promise<ScanEngine> => {
          const bundleSource = new DirectoryBundleSource({ root: config.bundles_dir });
          const ref = await resolveBundleRef(bundleSource, config.bundle);
          const trustedKeys = await loadTrustedKeys(config);
          const bundle = await readVerifiedBundle(bundleSource, ref, trustedKeys);
          const evaluator = new Evaluator({ bundleSource, trustedKeys, bundles: [ref], inventory });
          await evaluator.load();
          return { evaluator, bundle };
        },
        [CliConfigId, InventoryPortId],
      )
      .inSingletonScope();
  });
}
