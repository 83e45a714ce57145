import { randomUUID } from 'node:crypto';
import { SegError } from '@neurocipher/seg-contracts';
import type {
  AppendResult,
  Asset,
  ControlSpec,
  EvalRequest,
  EvidenceObj,
  EvidencePointer,
  Finding,
  RunSummary,
  Scope,
} from '@neurocipher/seg-contracts';
import { systemClock } from '@neurocipher/seg-ports';
import type { Clock, FindingIngestPort, InventoryPort, Redactor } from '@neurocipher/seg-ports';
import type { AssetDocument, DetailedEvalResult, EvaluateOptions } from '../evaluation/evaluator.ts';
import { RESULTS } from '../evaluation/findings.ts';
import { SecretRedactor } from '../redaction/secret-redactor.ts';
import { EVIDENCE_INDEX_MEDIA_TYPE, evidenceIndex } from './evidence-sink.ts';
import type { EvidenceSink, StoredEvidenceRef } from './evidence-sink.ts';
import type { RunAttester } from './run-attester.ts';
import type { PolicyBundleDigest } from './run-controls.ts';
import type { CommittedFilesSource, RunMaterial } from './run-material.ts';
import type { RunProgressListener } from './run-progress.ts';

/** The part of the engine a run uses: evaluation over pre-fetched documents (`Evaluator` has it). */
export interface RunEvaluator {
  evaluateDocuments(
    request: EvalRequest,
    documents: readonly AssetDocument[],
    options?: EvaluateOptions,
  ): Promise<DetailedEvalResult>;
  /**
   * Releases the engine's resources (worker threads); the evaluator loads again on its next use. When
   * present and {@link RunServiceOptions.releaseEngine} is set, called once evaluation is over, so its
   * memory is free before the commit.
   */
  close?(): Promise<void>;
}

/** Options of {@link RunService}. */
export interface RunServiceOptions<A = unknown> {
  /** Lists the scope's assets (paged) and reads their configs. */
  inventory: InventoryPort;
  evaluator: RunEvaluator;
  /** Commits the run (one snapshot per table) and acknowledges it; absent: evaluate only, store nothing. */
  ingest?: FindingIngestPort;
  /** Stores evidence bodies (redacted, canonical, content-addressed); required with `ingest`. */
  evidence?: EvidenceSink;
  /** Names the files each commit produced, so the attestation pins them (else only snapshot ids). */
  committedFiles?: CommittedFilesSource;
  /**
   * Removes secrets from finding messages and from asset names and properties before they are committed
   * or returned (evaluation sees the assets as listed). Default: a {@link SecretRedactor} of this run
   * service. Evidence bodies are redacted by the evidence sink.
   */
  redactor?: Redactor;
  /** Signs the committed run; needs `ingest`. */
  attester?: RunAttester<A>;
  /** Time source of the run's `started_at` and `ended_at`. */
  clock?: Clock;
  /** Assets per evaluation call (default 5,000): memory holds about one chunk of configs at a time. */
  chunkSize?: number;
  /** Assets per inventory page (default 1,000, the port's maximum). */
  pageSize?: number;
  /** Concurrent `get_config` calls (default 16). */
  configConcurrency?: number;
  /** Concurrent evidence writes (default 16). */
  evidenceConcurrency?: number;
  /** Calls `evaluator.close()` when evaluation is over, before the commit (default false). */
  releaseEngine?: boolean;
}

/** One run: what to evaluate, where, and at which instant. */
export interface RunRequest {
  scope: Scope;
  /** Specs of the controls to evaluate (ids, target kinds), committed with the run. */
  controls: readonly ControlSpec[];
  /** The bundles the evaluator serves, pinned by digest in the attestation. */
  policy_bundles: readonly PolicyBundleDigest[];
  /** `input.now` of every policy and the findings' timestamps (RFC 3339). */
  now: string;
  /** Point in time of the configs read (`get_config(ref, at)`); the latest capture when null or absent. */
  at?: string | null;
  /** The run id; a fresh UUID by default (fingerprints do not depend on it, finding ids do). */
  run_id?: string;
}

/** What a run did. */
export interface RunOutcome<A = unknown> {
  run: RunSummary;
  /** Every finding, in chunk order (each chunk sorted by control id then asset URN); committed pointers. */
  findings: Finding[];
  /** The assets evaluated, in inventory order. */
  assets: Asset[];
  /** The commit, or null when the run had no `ingest`. */
  commit: AppendResult | null;
  /** Evidence stored for the run: blobs cited by findings, how many redaction re-addressed, the index. */
  evidence: {
    blobs: number;
    readdressed: number;
    index: { sha256: string; media_type: string; size_bytes: number } | null;
  };
  /** What the attestation pins besides the summary, or null when nothing was committed. */
  material: RunMaterial | null;
  /** The attester's result, or null without an attester. */
  attestation: A | null;
}

interface ChunkEvidence {
  findings: Finding[];
  /** The chunk's assets, redacted in place in the run's list once the chunk is evaluated. */
  assets: { list: Asset[]; start: number; end: number };
  bodies: ReadonlyMap<string, string>;
  capturedAt: ReadonlyMap<string, string>;
}

function invalid(message: string): SegError {
  return new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message });
}

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
}

/**
 * The main job (DESIGN.md §5) over the ports: lists the scope's assets of the kinds the controls target,
 * evaluates them chunk by chunk under one run id (configs read per chunk and dropped after it), stores
 * each chunk's evidence bodies as blobs while the next chunk evaluates (pointers re-addressed when
 * redaction changed a body), then commits the findings, evidence, assets, controls and the run in one
 * snapshot per table, acknowledges it, and attests the run summary, the bundle digests, the files each
 * table commit produced and the run's evidence index. Progress is reported per phase in assets.
 */
export class RunService<A = unknown> {
  readonly #o: RunServiceOptions<A>;
  readonly #clock: Clock;
  readonly #redactor: Redactor;

  /** Checks the composition: `evidence` is required with `ingest`, and `attester` needs `ingest`. */
  constructor(options: RunServiceOptions<A>) {
    if (options.ingest && !options.evidence)
      throw invalid('a run that commits needs an evidence sink: every committed pointer must resolve');
    if (options.attester && !options.ingest) throw invalid('only a committed run can be attested');
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#redactor = options.redactor ?? new SecretRedactor();
  }

  /** Runs the job once; every failure is a `SegError` from the port or engine that failed. */
  async run(request: RunRequest, progress: RunProgressListener = () => undefined): Promise<RunOutcome<A>> {
    const runId = request.run_id ?? randomUUID();
    const startedAt = this.#clock.now().toISOString();
    const controlIds = [...new Set(request.controls.map((c) => c.id))].sort();
    const kinds = [...new Set(request.controls.flatMap((c) => c.target_kinds))].sort();

    const assets = await this.#inventory(request.scope, kinds, progress);

    const findings: Finding[] = [];
    const evidence = new Map<string, EvidenceObj>();
    const counts: Record<string, number> = {};
    let readdressed = 0;
    const store = this.#o.ingest ? this.#o.evidence : undefined;
    // Runs once a chunk's bodies are stored: pointers re-addressed, evidence rows gathered, findings kept.
    // Findings come back from the engine's threads with their own copy of every string: the few values
    // repeated across a run (control, version, result, severity, instant, media type) are kept once.
    const shared = new Map<string, string>();
    const share = (text: string): string => {
      const seen = shared.get(text);
      if (seen !== undefined) return seen;
      shared.set(text, text);
      return text;
    };
    const compact = (finding: Finding): void => {
      finding.control_id = share(finding.control_id);
      finding.control_version = share(finding.control_version);
      finding.result = share(finding.result) as Finding['result'];
      finding.severity = share(finding.severity) as Finding['severity'];
      finding.created_at = share(finding.created_at);
      finding.updated_at = share(finding.updated_at);
      for (const pointer of finding.evidence) pointer.media_type = share(pointer.media_type);
    };
    const settle = (chunk: ChunkEvidence, remap: ReadonlyMap<string, string>, sizes: Map<string, number>) => {
      for (const finding of chunk.findings) compact(finding);
      if (!store) {
        for (const finding of chunk.findings) findings.push(finding);
        return;
      }
      for (const finding of chunk.findings) {
        if (remap.size > 0 && finding.evidence.some((p) => remap.has(p.hash))) {
          finding.evidence = dedupe(
            finding.evidence.map((p) => (remap.has(p.hash) ? { ...p, hash: remap.get(p.hash)! } : p)),
          );
        }
        for (const pointer of finding.evidence) {
          let row = evidence.get(pointer.hash);
          if (!row) {
            row = {
              hash: pointer.hash,
              media_type: pointer.media_type,
              size_bytes: sizes.get(pointer.hash) ?? null,
              finding_ids: [],
              captured_at: chunk.capturedAt.get(finding.asset.urn) ?? null,
            };
            evidence.set(pointer.hash, row);
          }
          row.finding_ids.push(finding.id);
        }
        findings.push(finding);
      }
    };
    const storeChunk = async (chunk: ChunkEvidence): Promise<void> => {
      await this.#redactChunk(chunk);
      const remap = new Map<string, string>();
      const sizes = new Map<string, number>();
      if (store) {
        const media = new Map<string, string>();
        for (const f of chunk.findings)
          for (const p of f.evidence) if (!media.has(p.hash)) media.set(p.hash, p.media_type);
        const stored = (hash: string, ref: StoredEvidenceRef): void => {
          sizes.set(ref.hash, ref.size_bytes);
          if (ref.hash !== hash) {
            remap.set(hash, ref.hash);
            readdressed += 1;
          }
        };
        const entries = [...chunk.bodies];
        const itemOf = ([hash, body]: readonly [string, string]) => ({
          body: JSON.parse(body) as unknown,
          media_type: media.get(hash) ?? 'application/json',
        });
        if (store.putMany && entries.length > 0) {
          const refs = await store.putMany(entries.map(itemOf));
          if (refs.length !== entries.length) {
            throw new SegError({
              error_code: 'SEG_EVIDENCE_WRITE_FAILED',
              message: `the evidence sink stored ${refs.length} of ${entries.length} bodies`,
              retryable: true,
            });
          }
          entries.forEach(([hash], i) => stored(hash, refs[i]!));
        } else {
          await pool(entries, this.#o.evidenceConcurrency ?? 16, async (entry) => {
            const item = itemOf(entry);
            stored(entry[0], await store.put(item.body, item.media_type));
          });
        }
      }
      settle(chunk, remap, sizes);
    };

    // Evaluation in chunks under one run id (finding ids = UUIDv5(run, fingerprint), chunk-independent).
    // A chunk's evidence is written while the next chunk is read and evaluated; at most one is pending,
    // and a chunk counts as evaluated once its evidence is stored.
    const chunkSize = Math.max(1, this.#o.chunkSize ?? 5000);
    const evalRequest: EvalRequest = { scope: request.scope, control_ids: controlIds };
    progress({ phase: 'evaluate', done: 0, total: assets.length });
    let pending: Promise<void> | null = null;
    let pendingEnd = 0;
    const awaitPending = async (): Promise<void> => {
      const waiting = pending;
      pending = null;
      if (waiting === null) return;
      await waiting;
      progress({ phase: 'evaluate', done: pendingEnd, total: assets.length });
    };
    try {
      for (let start = 0; start < assets.length; start += chunkSize) {
        const part = assets.slice(start, start + chunkSize);
        const documents = await this.#documents(part, request.at ?? null);
        const { result, evidenceBodies } = await this.#o.evaluator.evaluateDocuments(evalRequest, documents, {
          run_id: runId,
          now: request.now,
        });
        for (const [k, v] of Object.entries(result.run.counts)) counts[k] = (counts[k] ?? 0) + v;
        const capturedAt = new Map(documents.map((d) => [d.asset.ref.urn, d.config.captured_at]));
        await awaitPending();
        const next = storeChunk({
          findings: result.findings,
          assets: { list: assets, start, end: start + part.length },
          bodies: evidenceBodies,
          capturedAt,
        });
        next.catch(() => undefined); // awaited by awaitPending; this only keeps it from counting as unhandled
        pending = next;
        pendingEnd = start + part.length;
      }
      await awaitPending();
    } finally {
      // On failure, let the evidence writes in flight finish before the error leaves the run.
      await (pending as Promise<void> | null)?.catch(() => undefined);
    }
    if (this.#o.releaseEngine) await this.#o.evaluator.close?.();
    for (const result of RESULTS) counts[result] ??= 0;
    const run: RunSummary = {
      run_id: runId,
      scope: request.scope,
      started_at: startedAt,
      ended_at: this.#clock.now().toISOString(),
      controls: controlIds,
      counts,
    };

    const outcome: RunOutcome<A> = {
      run,
      findings,
      assets,
      commit: null,
      evidence: { blobs: evidence.size, readdressed, index: null },
      material: null,
      attestation: null,
    };
    const ingest = this.#o.ingest;
    if (!ingest || !store) return outcome;

    // The evidence index: one more blob, listing every evidence hash the committed findings cite.
    const rows = [...evidence.values()];
    evidence.clear();
    if (rows.length > 0) {
      const stored = await store.put(
        evidenceIndex(
          runId,
          rows.map((r) => r.hash),
        ),
        EVIDENCE_INDEX_MEDIA_TYPE,
      );
      outcome.evidence.index = {
        sha256: stored.hash,
        media_type: EVIDENCE_INDEX_MEDIA_TYPE,
        size_bytes: stored.size_bytes,
      };
      rows.push({
        hash: stored.hash,
        media_type: EVIDENCE_INDEX_MEDIA_TYPE,
        size_bytes: stored.size_bytes,
        finding_ids: [],
        captured_at: null,
      });
    }

    progress({ phase: 'commit', done: 0, total: assets.length });
    const commit = await ingest.commit(findings, rows, {
      run,
      assets,
      controls: [...request.controls],
    });
    rows.length = 0;
    await ingest.ack(runId);
    outcome.commit = commit;
    progress({ phase: 'commit', done: assets.length, total: assets.length });

    const material: RunMaterial = {
      policy_bundles: request.policy_bundles.map((b) => ({ ...b, digest: { ...b.digest } })),
      tables: this.#o.committedFiles
        ? await this.#o.committedFiles.committedFiles(commit)
        : commit.tables.map((t) => ({ table: t.table, snapshot_id: t.snapshot_id, data_files: [] })),
      evidence: outcome.evidence.index
        ? [{ sha256: outcome.evidence.index.sha256, media_type: EVIDENCE_INDEX_MEDIA_TYPE }]
        : [],
    };
    outcome.material = material;
    if (this.#o.attester) outcome.attestation = await this.#o.attester.attest(run, material);
    return outcome;
  }

  // Redacts a chunk's finding messages and its assets' names and properties (URNs, kinds and times are
  // identifiers and stay): one redactor call for each, distinct strings examined once.
  async #redactChunk(chunk: ChunkEvidence): Promise<void> {
    const messages = await this.#redactor.redact(chunk.findings.map((f) => f.message));
    chunk.findings.forEach((f, i) => (f.message = messages[i]!.value));
    const { list, start, end } = chunk.assets;
    const part = list.slice(start, end);
    const redacted = await this.#redactor.redact(
      part.map((a) => ({ name: a.name, properties: a.properties })),
    );
    part.forEach((asset, i) => {
      const r = redacted[i]!;
      if (r.redactions.length === 0) return;
      list[start + i] = { ...asset, name: r.value.name, properties: r.value.properties };
    });
  }

  // Every page of the listing (a stable, URN-ordered listing), reported as it grows.
  async #inventory(scope: Scope, kinds: readonly string[], progress: RunProgressListener): Promise<Asset[]> {
    const assets: Asset[] = [];
    let cursor: string | null | undefined = null;
    progress({ phase: 'inventory', done: 0, total: null });
    do {
      const page = await this.#o.inventory.list_assets(scope, kinds, null, {
        cursor,
        limit: this.#o.pageSize ?? 1000,
      });
      for (const asset of page.assets) assets.push(asset);
      progress({ phase: 'inventory', done: assets.length, total: null });
      cursor = page.next_cursor;
    } while (cursor !== null && cursor !== undefined);
    progress({ phase: 'inventory', done: assets.length, total: assets.length });
    return assets;
  }

  async #documents(part: readonly Asset[], at: string | null): Promise<AssetDocument[]> {
    const documents: AssetDocument[] = new Array(part.length);
    const indexed = part.map((asset, i) => [asset, i] as const);
    await pool(indexed, this.#o.configConcurrency ?? 16, async ([asset, i]) => {
      documents[i] = { asset, config: await this.#o.inventory.get_config(asset.ref, at) };
    });
    return documents;
  }
}

// One pointer per hash: two bodies that differed only in what redaction removed become one blob.
function dedupe(pointers: readonly EvidencePointer[]): EvidencePointer[] {
  const byHash = new Map<string, EvidencePointer>();
  for (const pointer of pointers) if (!byHash.has(pointer.hash)) byHash.set(pointer.hash, pointer);
  return [...byHash.values()];
}
