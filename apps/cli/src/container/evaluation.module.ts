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
import { readUserFile } from '../cli/file-errors.ts';
import type { CliConfig } from '../config/cli-config.ts';
import { CliConfigId, EvaluatorId } from './ids.ts';

/**
 * The grammar of a bundle reference: `<id>` or `<id>@<version>`. The id is 1 to 64 of `a-z 0-9 . _ -`
 * starting with a letter or digit (the manifest's id grammar, bounded); the version is a semantic version
 * (`MAJOR.MINOR.PATCH`, optional `-prerelease` and `+build` of dot-separated `0-9 A-Z a-z -`).
 */
export const BUNDLE_REF_PATTERN =
  /^[a-z0-9][a-z0-9._-]{0,63}(?:@(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?$/;

/** What {@link BUNDLE_REF_PATTERN} asks for, in words (error messages). */
export const BUNDLE_REF_GRAMMAR =
  '<id> or <id>@<version>: id of a-z 0-9 . _ - (at most 64, starting with a letter or digit), version MAJOR.MINOR.PATCH';

/** Splits a bundle reference; `SEG_INVALID_ARGUMENT` when it does not follow {@link BUNDLE_REF_PATTERN}. */
export function parseBundleRef(ref: string): { id: string; version?: string } {
  if (!BUNDLE_REF_PATTERN.test(ref)) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `bundle ${JSON.stringify(ref)} is not a bundle reference: ${BUNDLE_REF_GRAMMAR}`,
      details: { bundle: ref },
    });
  }
  const at = ref.indexOf('@');
  return at === -1 ? { id: ref } : { id: ref.slice(0, at), version: ref.slice(at + 1) };
}

/** Reads the trusted bundle keys named by the config; `SEG_INVALID_ARGUMENT` when the file is unusable. */
export async function loadTrustedKeys(config: CliConfig): Promise<ReturnType<typeof parseTrustedKeys>> {
  return parseTrustedKeys(await readUserFile('trusted keys file', config.trusted_keys));
}

/**
 * Resolves `<id>` or `<id>@<version>` ({@link BUNDLE_REF_PATTERN}) against the bundles folder, the latest
 * version present for a bare id. `SEG_INVALID_ARGUMENT` for a malformed reference,
 * `SEG_POLICY_LOAD_FAILED` when no such bundle is there.
 */
export async function resolveBundleRef(
  source: DirectoryBundleSource,
  wanted: string,
): Promise<{ id: string; version: string }> {
  const { id, version } = parseBundleRef(wanted);
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
