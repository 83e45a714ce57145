import { randomUUID } from 'node:crypto';
import type {
  AppendResult,
  Asset,
  ControlSpec,
  EvidenceObj,
  EvidencePointer,
  Finding,
  RunSummary,
  Scope,
} from '@neurocipher/seg-contracts';
import type { InventoryPort } from '@neurocipher/seg-ports';
import type { AssetDocument, Evaluator, LoadedBundle, ManifestControl } from '@neurocipher/seg-core';
import type { IcebergFindingStore } from '@neurocipher/seg-lakehouse';
import type { FrameworkRefs } from '../output/report-context.ts';
import type { ScanProgress } from './scan-progress.ts';

/** Inputs of {@link runScan}. */
export interface ScanJobInput {
  inventory: InventoryPort;
  evaluator: Evaluator;
  /** The verified bundle the evaluator serves (its controls and digest). */
  bundle: LoadedBundle;
  /** Where the run is committed; absent for `--no-commit`. */
  store?: IcebergFindingStore;
  scope: Scope;
  /** `input.now` of the policies. */
  now: string;
  /** Point in time of the configs (`get_config(ref, at)`); the latest capture when null or absent. */
  at?: string | null;
  progress: ScanProgress;
  /** Run id; a fresh UUID by default (finding fingerprints stay stable across runs). */
  run_id?: string;
  /** Assets per evaluation call, so progress advances (default 5,000). */
  chunk?: number;
}

/** What a scan produced. */
export interface ScanOutcome {
  run: RunSummary;
  findings: Finding[];
  evidence: EvidencePointer[];
  controls: ControlSpec[];
  frameworks: Record<string, FrameworkRefs>;
  assets: Asset[];
  commit: AppendResult | null;
  /** The verified bundles evaluated, with the digest of their CHECKSUMS. */
  bundles: Array<{ id: string; version: string; digest: { sha256: string } }>;
}

/** A bundle manifest control as the §7 `ControlSpec`. */
export function controlSpecOf(control: ManifestControl, bundleId: string): ControlSpec {
  return {
    id: control.id,
    version: control.version,
    title: control.title,
    benchmark: control.benchmark,
    description: control.description ?? '',
    inputs: control.inputs ?? {},
    target_kinds: [...control.target_kinds],
    policy_bundle: bundleId,
    severity: control.severity,
    rationale: control.rationale ?? null,
    remediation_guidance: control.remediation_guidance ?? null,
  };
}

/** Framework references of a manifest control as strings (`{cis_aws_v3: "2.1.1"}`). */
export function frameworksOf(control: ManifestControl): FrameworkRefs {
  const raw = control.frameworks ?? {};
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((name) => [String(name), '']));
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
}

/**
 * One scan, composed from the ports: the inventory's pages (kinds the bundle targets) and configs, the
 * engine over chunks of assets under one run id, then one commit of the run to the finding store.
 */
export async function runScan(input: ScanJobInput): Promise<ScanOutcome> {
  const controls = new Map<string, ControlSpec>();
  const frameworks: Record<string, FrameworkRefs> = {};
  const { ref, verified } = input.bundle;
  const bundles = [{ id: ref.id, version: ref.version, digest: { sha256: verified.digest } }];
  for (const [id, control] of [...input.bundle.controls].sort(([a], [b]) => (a < b ? -1 : 1))) {
    controls.set(id, controlSpecOf(control, ref.id));
    frameworks[id] = frameworksOf(control);
  }
  const kinds = [...new Set([...controls.values()].flatMap((c) => c.target_kinds))].sort();
  const runId = input.run_id ?? randomUUID();
  const startedAt = new Date().toISOString();

  // Inventory: every page of assets first (a stable listing), then configs chunk by chunk, each chunk
  // evaluated and dropped before the next is read, so memory holds one chunk of configs at a time.
  const assets: Asset[] = [];
  let cursor: string | null | undefined = null;
  input.progress.start('inventory', 0);
  do {
    const page = await input.inventory.list_assets(input.scope, kinds, null, { cursor, limit: 1000 });
    assets.push(...page.assets);
    input.progress.update(assets.length);
    cursor = page.next_cursor;
  } while (cursor !== null && cursor !== undefined);

  // Evaluation in chunks under one run id: finding ids are UUIDv5(run, fingerprint), chunk-independent.
  const chunk = input.chunk ?? 5000;
  const request = { scope: input.scope, control_ids: [...controls.keys()].sort() };
  const findings: Finding[] = [];
  const evidence = new Map<string, EvidencePointer>();
  const counts: Record<string, number> = {};
  input.progress.start('evaluate', assets.length);
  for (let start = 0; start === 0 || start < assets.length; start += chunk) {
    const part = assets.slice(start, start + chunk);
    const documents: AssetDocument[] = new Array(part.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < part.length) {
        const i = next++;
        const asset = part[i] as Asset;
        documents[i] = { asset, config: await input.inventory.get_config(asset.ref, input.at ?? null) };
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const { result } = await input.evaluator.evaluateDocuments(request, documents, {
      run_id: runId,
      now: input.now,
    });
    findings.push(...result.findings);
    for (const e of result.evidence) evidence.set(e.hash, e);
    for (const [k, v] of Object.entries(result.run.counts)) counts[k] = (counts[k] ?? 0) + v;
    input.progress.update(Math.min(start + chunk, assets.length));
    if (assets.length === 0) break;
  }
  const run: RunSummary = {
    run_id: runId,
    scope: input.scope,
    started_at: startedAt,
    ended_at: new Date().toISOString(),
    controls: request.control_ids,
    counts,
  };

  let commit: AppendResult | null = null;
  if (input.store) {
    input.progress.start('commit', assets.length);
    const byHash = new Map<string, string[]>();
    for (const f of findings)
      for (const e of f.evidence) byHash.set(e.hash, [...(byHash.get(e.hash) ?? []), f.id]);
    const evidenceObjs: EvidenceObj[] = [...evidence.values()].map((e) => ({
      ...e,
      finding_ids: byHash.get(e.hash) ?? [],
    }));
    commit = await input.store.commit(findings, evidenceObjs, {
      run,
      assets,
      controls: [...controls.values()],
    });
    await input.store.ack(runId);
    input.progress.update(assets.length);
  }
  input.progress.stop();
  return {
    run,
    findings,
    evidence: [...evidence.values()],
    controls: [...controls.values()],
    frameworks,
    assets,
    commit,
    bundles,
  };
}
