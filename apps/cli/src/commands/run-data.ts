import type { ControlSpec, Finding, RunSummary } from '@neurocipher/seg-contracts';
import {
  DirectoryBundleSource,
  controlSpecOf,
  frameworksOf,
  parseManifest,
  resolveBundleRef,
} from '@neurocipher/seg-core';
import type { IcebergFindingStore } from '@neurocipher/seg-lakehouse';
import type { FrameworkRefs } from '@neurocipher/seg-reports';
import type { SegConfig } from '@neurocipher/seg-runtime';
import { usageError } from './shared.ts';

/**
 * Control specs and framework mappings of the configured bundle, read from its manifest for display
 * (titles, severities, frameworks). Evaluation never uses this path: it loads only verified bundles.
 */
export async function bundleMetadata(
  config: SegConfig,
): Promise<{ controls: ControlSpec[]; frameworks: Record<string, FrameworkRefs> }> {
  const source = new DirectoryBundleSource({ root: config.bundles_dir });
  const ref = await resolveBundleRef(source, config.bundle);
  const files = await source.read(ref);
  const manifest = parseManifest(files.get('manifest.json') as Uint8Array);
  return {
    controls: manifest.controls.map((c) => controlSpecOf(c, manifest.id)),
    frameworks: Object.fromEntries(manifest.controls.map((c) => [c.id, frameworksOf(c)])),
  };
}

/**
 * The findings of one committed run (the latest when `runId` is absent) with the summary of every
 * committed run of the tenant, oldest first, from the `runs` table. Only that run's data files are read;
 * a run without a `runs` row (a commit that died midway) is never shown: `--run` with its id is
 * `SEG_NOT_FOUND`.
 */
export async function loadRun(
  store: IcebergFindingStore,
  org_id: string,
  runId: string | undefined,
): Promise<{ run: RunSummary; findings: Finding[]; history: RunSummary[] }> {
  const history = await store.runs(org_id);
  const run = runId === undefined ? history.at(-1) : await store.run(org_id, runId);
  if (!run) {
    throw usageError(`tenant ${org_id} has no committed run yet: run seg scan first`, { org_id });
  }
  const findings = (await store.runFindings(org_id, run.run_id)).map((s) => s.finding);
  return { run, findings, history };
}
