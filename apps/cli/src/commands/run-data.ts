import type { ControlSpec, Finding, RunSummary } from '@neurocipher/seg-contracts';
import { DirectoryBundleSource, controlSpecOf, frameworksOf, parseManifest } from '@neurocipher/seg-core';
import type { IcebergFindingStore, StoredFinding } from '@neurocipher/seg-lakehouse';
import type { CliConfig } from '../config/cli-config.ts';
import { resolveBundleRef } from '../container/evaluation.module.ts';
import type { FrameworkRefs } from '../output/report-context.ts';
import { usageError } from './shared.ts';

/**
 * Control specs and framework mappings of the configured bundle, read from its manifest for display
 * (titles, severities, frameworks). Evaluation never uses this path: it loads only verified bundles.
 */
export async function bundleMetadata(
  config: CliConfig,
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

/** The tenant's runs, oldest first, as summaries derived from the committed findings. */
export function runsOf(stored: readonly StoredFinding[], org_id: string): RunSummary[] {
  const runs = new Map<
    string,
    { first: string; last: string; counts: Record<string, number>; controls: Set<string> }
  >();
  for (const s of stored) {
    const run = runs.get(s.run_id) ?? {
      first: s.committed_at,
      last: s.committed_at,
      counts: {},
      controls: new Set(),
    };
    run.counts[s.finding.result] = (run.counts[s.finding.result] ?? 0) + 1;
    run.controls.add(s.finding.control_id);
    if (s.finding.created_at < run.first) run.first = s.finding.created_at;
    if (s.committed_at > run.last) run.last = s.committed_at;
    runs.set(s.run_id, run);
  }
  return [...runs]
    .map(([run_id, r]) => ({
      run_id,
      scope: { org_id, tags: {} },
      started_at: r.first,
      ended_at: r.last,
      controls: [...r.controls].sort(),
      counts: r.counts,
    }))
    .sort((a, b) => (a.ended_at < b.ended_at ? -1 : a.ended_at > b.ended_at ? 1 : 0));
}

/** The findings of one run (the latest when `runId` is absent) with every run's summary. */
export async function loadRun(
  store: IcebergFindingStore,
  org_id: string,
  runId: string | undefined,
): Promise<{ run: RunSummary; findings: Finding[]; history: RunSummary[] }> {
  const stored = await store.findings({ org_id });
  const history = runsOf(stored, org_id);
  const run = runId === undefined ? history.at(-1) : history.find((r) => r.run_id === runId);
  if (!run) {
    throw usageError(
      runId === undefined
        ? `tenant ${org_id} has no committed run yet: run seg scan first`
        : `run ${runId} not found`,
      { org_id, run_id: runId ?? null },
    );
  }
  return { run, findings: stored.filter((s) => s.run_id === run.run_id).map((s) => s.finding), history };
}
