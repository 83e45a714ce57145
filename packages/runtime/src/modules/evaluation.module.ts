import { ContainerModule } from 'inversify';
import {
  DirectoryBundleSource,
  Evaluator,
  parseTrustedKeys,
  readVerifiedBundle,
  resolveBundleRef,
} from '@neurocipher/seg-core';
import type { LoadedBundle } from '@neurocipher/seg-core';
import { BundleSourceId, EvaluationPortId, InventoryPortId } from '@neurocipher/seg-ports';
import type { BundleSource, EvaluationPort, InventoryPort } from '@neurocipher/seg-ports';
import type { SegConfig } from '../config/seg-config.ts';
import type { Resources } from '../engine/resources.ts';
import { readUserFile } from '../files/user-files.ts';
import { ResourcesId, ScanEngineId, SegConfigId } from '../ids.ts';

/** Reads the trusted bundle keys named by the config; `SEG_INVALID_ARGUMENT` when the file is unusable. */
export async function loadTrustedKeys(
  config: Pick<SegConfig, 'trusted_keys'>,
): Promise<ReturnType<typeof parseTrustedKeys>> {
  return parseTrustedKeys(await readUserFile('trusted keys file', config.trusted_keys));
}

/** The engine of a scan and the verified bundle it evaluates (controls, frameworks, digest). */
export interface ScanEngine {
  evaluator: Evaluator;
  bundle: LoadedBundle;
}

/**
 * Binds `BundleSourceId` to the configured bundles folder, {@link ScanEngineId} to the wasm engine over
 * the configured, signed bundle (`<id>` resolves to its latest version there) and the bound inventory,
 * with the verified bundle itself, and `EvaluationPortId` to that engine. The engine is closed with the
 * engine (and may be released earlier by the run service).
 */
export function evaluationModule(): ContainerModule {
  return new ContainerModule((options) => {
    options
      .bind<BundleSource>(BundleSourceId)
      .toResolvedValue(
        (config: SegConfig) => new DirectoryBundleSource({ root: config.bundles_dir }),
        [SegConfigId],
      )
      .inSingletonScope();
    options
      .bind<ScanEngine>(ScanEngineId)
      .toResolvedValue(
        async (
          config: SegConfig,
          resources: Resources,
          bundleSource: BundleSource,
          inventory: InventoryPort,
        ): Promise<ScanEngine> => {
          const ref = await resolveBundleRef(bundleSource, config.bundle);
          const trustedKeys = await loadTrustedKeys(config);
          const bundle = await readVerifiedBundle(bundleSource, ref, trustedKeys);
          const evaluator = new Evaluator({ bundleSource, trustedKeys, bundles: [ref], inventory });
          resources.hold(evaluator, () => evaluator.close());
          await evaluator.load();
          return { evaluator, bundle };
        },
        [SegConfigId, ResourcesId, BundleSourceId, InventoryPortId],
      )
      .inSingletonScope();
    options
      .bind<EvaluationPort>(EvaluationPortId)
      .toResolvedValue((engine: ScanEngine) => engine.evaluator, [ScanEngineId])
      .inSingletonScope();
  });
}
