import { randomUUID } from 'node:crypto';
import { SegError, instantText, makeEvent } from '@neurocipher/seg-contracts';
import type {
  AppendResult,
  Asset,
  ControlSpec,
  EvalRequest,
  EvidenceObj,
  EventType,
  Finding,
  RunSummary,
  Scope,
  SegEventInput,
} from '@neurocipher/seg-contracts';
import type { RunMaterial } from '@neurocipher/seg-attest';
import { mapBounded, systemClock } from '@neurocipher/seg-ports';
import type {
  Clock,
  EventBus,
  EvidenceSink,
  FindingIngestPort,
  InventoryPort,
  Redactor,
} from '@neurocipher/seg-ports';
import type { AssetDocument, DraftEvalResult, EvaluateOptions } from '../evaluation/evaluator.ts';
import type { DraftFinding } from '../evaluation/findings.ts';
import { sealFindings } from '../evaluation/seal-findings.ts';
import { SecretRedactor } from '../redaction/secret-redactor.ts';
import { EVIDENCE_INDEX_MEDIA_TYPE, evidenceIndex } from './evidence-index.ts';
import type { RunAttester } from './run-attester.ts';
import type { PolicyBundleDigest } from './run-controls.ts';
import { RunLedger } from './run-ledger.ts';
import type { CommittedFilesSource } from './run-material.ts';
import type { RunProgressListener } from './run-progress.ts';

/** The part of the engine a run uses: evaluation over pre-fetched documents (`Evaluator` has it). */
export interface RunEvaluator {
  /** Evaluates the documents; the findings come back as drafts that cite the evidence bodies they saw. */
  evaluateDocuments(
    request: EvalRequest,
    documents: readonly AssetDocument[],
    options?: EvaluateOptions,
  ): Promise<DraftEvalResult>;
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
  /**
   * Where every evidence body the findings cite goes (redacted, hashed once, stored; the pointers are
   * what it returns); required with `ingest`. A run without `ingest` stores nothing, so its findings cite
   * no evidence.
   */
  evidence?: EvidenceSink;
  /** Names the files each commit produced, so the attestation pins them (else only snapshot ids). */
  committedFiles?: CommittedFilesSource;
  /**
   * Reads a committed run back (`IcebergFindingStore.run`). When a commit is a replay (a redelivered run),
   * the run's outcome, attestation and `seg.run.completed` carry the run as first committed, not this
   * attempt's start and end times.
   */
  committed?: { run(org_id: string, run_id: string): Promise<RunSummary> };
  /**
   * Removes secrets from finding messages and from asset names and properties before they are committed
   * or returned (evaluation sees the assets as listed). Default: a {@link SecretRedactor} of this run
   * service. Evidence bodies are redacted by the evidence sink.
   */
  redactor?: Redactor;
  /** Signs the committed run; needs `ingest`. */
  attester?: RunAttester<A>;
  /**
   * Hears `seg.run.started` when a run begins and `seg.run.completed` when it is over (after the commit,
   * acknowledgement and attestation), each keyed `<type>/<run id>` so a retried run is announced once.
   */
  events?: EventBus;
  /** Time source of the run's `started_at` and `ended_at` and of the events. */
  clock?: Clock;
  /** Assets per evaluation call (default 5,000): memory holds about one chunk of configs at a time. */
  chunkSize?: number;
  /** Assets per inventory page (default 1,000, the port's maximum). */
  pageSize?: number;
  /** Concurrent `get_config` calls (default 16). */
  configConcurrency?: number;
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
  /** Evidence stored for the run: how many blobs the findings cite, and the evidence index. */
  evidence: {
    blobs: number;
    index: { sha256: string; media_type: string; size_bytes: number } | null;
  };
  /** What the attestation pins besides the summary, or null when nothing was committed. */
  material: RunMaterial | null;
  /** The attester's result, or null without an attester. */
  attestation: A | null;
}

/** A run as it begins: its id, start and what it evaluates. */
interface RunStart {
  request: RunRequest;
  runId: string;
  startedAt: string;
  controlIds: string[];
  /** The asset kinds the controls target, sorted. */
  kinds: string[];
}

/** One evaluated chunk of the run's assets, its evidence not stored yet. */
interface EvaluatedChunk {
  findings: DraftFinding[];
  start: number;
  end: number;
  /** Capture time of each asset's config, by URN. */
  capturedAt: ReadonlyMap<string, string>;
}

function invalid(message: string): SegError {
  return new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message });
}

/**
 * The main job (DESIGN.md §5) over the ports: lists the scope's assets of the kinds the controls target,
 * evaluates them chunk by chunk under one run id (configs read per chunk and dropped after it), stores
 * each chunk's evidence through the evidence sink while the next chunk evaluates (the findings' pointers
 * are what the sink returns), stores the run's evidence index, commits the findings, evidence, assets,
 * controls and the run in one snapshot per table, acknowledges it, and attests the run summary, the
 * bundle digests, the files each table commit produced and the evidence index. Progress is reported per
 * phase in assets; `seg.run.started` and `seg.run.completed` go to the event bus when one is given.
 */
export class RunService<A = unknown> {
  readonly #o: RunServiceOptions<A>;
  readonly #clock: Clock;
  readonly #redactor: Redactor;
  /** Where this service stores evidence: only a run that commits stores any. */
  readonly #sink: EvidenceSink | undefined;

  /** Checks the composition: `evidence` is required with `ingest`, and `attester` needs `ingest`. */
  constructor(options: RunServiceOptions<A>) {
    if (options.ingest && !options.evidence)
      throw invalid('a run that commits needs an evidence sink: every committed pointer must resolve');
    if (options.attester && !options.ingest) throw invalid('only a committed run can be attested');
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#redactor = options.redactor ?? new SecretRedactor();
    this.#sink = options.ingest ? options.evidence : undefined;
  }

  /** Runs the job once; every failure is a `SegError` from the port or engine that failed. */
  async run(request: RunRequest, progress: RunProgressListener = () => undefined): Promise<RunOutcome<A>> {
    const start = this.#begin(request);
    await this.#announce('seg.run.started', start.runId, request.scope, {
      run_id: start.runId,
      scope: request.scope,
      control_ids: start.controlIds,
    });
    const assets = await this.#inventory(request.scope, start.kinds, progress);
    const ledger = await this.#evaluate(start, assets, progress);
    const outcome = this.#outcome(start, ledger, assets);
    const ingest = this.#o.ingest;
    if (ingest && this.#sink) {
      const rows = await this.#indexEvidence(start.runId, ledger, outcome, this.#sink);
      outcome.commit = await this.#commit(ingest, outcome, rows, request.controls, progress);
      await ingest.ack(start.runId);
      if (outcome.commit.replayed && this.#o.committed)
        outcome.run = await this.#o.committed.run(request.scope.org_id, start.runId);
      outcome.material = await this.#material(request, outcome);
      outcome.attestation = (await this.#o.attester?.attest(outcome.run, outcome.material)) ?? null;
    }
    await this.#announce('seg.run.completed', start.runId, request.scope, { run: outcome.run });
    return outcome;
  }

  #begin(request: RunRequest): RunStart {
    return {
      request,
      runId: request.run_id ?? randomUUID(),
      startedAt: instantText(this.#clock.now()),
      controlIds: [...new Set(request.controls.map((c) => c.id))].sort(),
      kinds: [...new Set(request.controls.flatMap((c) => c.target_kinds))].sort(),
    };
  }

  // Publishes one of the run's events (exactly-once key `<type>/<run id>`) when an event bus is given.
  async #announce<T extends EventType>(
    type: T,
    runId: string,
    scope: Scope,
    data: SegEventInput<T>['data'],
  ): Promise<void> {
    if (!this.#o.events) return;
    const occurred_at = this.#clock.now().toISOString();
    await this.#o.events.publish(
      makeEvent<T>({ type, id: randomUUID(), org_id: scope.org_id, subject: runId, occurred_at, data }),
    );
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

  // Chunk by chunk under one run id (finding ids = UUIDv5(run, fingerprint), chunk-independent). A chunk's
  // evidence is stored while the next chunk is read and evaluated; at most one is pending, and a chunk
  // counts as evaluated once its evidence is stored. On failure, the write in flight finishes first.
  async #evaluate(start: RunStart, assets: Asset[], progress: RunProgressListener): Promise<RunLedger> {
    const ledger = new RunLedger();
    const size = Math.max(1, this.#o.chunkSize ?? 5000);
    const total = assets.length;
    progress({ phase: 'evaluate', done: 0, total });
    let pending: Promise<number> | null = null;
    const settle = async (): Promise<void> => {
      if (pending === null) return;
      const done = await pending;
      pending = null;
      progress({ phase: 'evaluate', done, total });
    };
    try {
      for (let from = 0; from < total; from += size) {
        const chunk = await this.#evaluateChunk(start, assets, from, Math.min(total, from + size), ledger);
        await settle();
        const stored: Promise<number> = this.#storeChunk(chunk, assets, ledger).then(() => chunk.end);
        stored.catch(() => undefined); // awaited by settle; this only keeps it from counting as unhandled
        pending = stored;
      }
      await settle();
    } finally {
      await (pending as Promise<number> | null)?.catch(() => undefined);
    }
    if (this.#o.releaseEngine) await this.#o.evaluator.close?.();
    return ledger;
  }

  async #evaluateChunk(
    start: RunStart,
    assets: readonly Asset[],
    from: number,
    to: number,
    ledger: RunLedger,
  ): Promise<EvaluatedChunk> {
    const at = start.request.at ?? null;
    const documents = await mapBounded(
      assets.slice(from, to),
      this.#o.configConcurrency ?? 16,
      async (asset): Promise<AssetDocument> => ({
        asset,
        config: await this.#o.inventory.get_config(asset.ref, at),
      }),
    );
    const request: EvalRequest = { scope: start.request.scope, control_ids: start.controlIds };
    const result = await this.#o.evaluator.evaluateDocuments(request, documents, {
      run_id: start.runId,
      now: start.request.now,
    });
    ledger.count(result.run.counts);
    const capturedAt = new Map(documents.map((d) => [d.asset.ref.urn, d.config.captured_at]));
    return { findings: result.findings, start: from, end: to, capturedAt };
  }

  // Redacts the chunk's messages and assets, stores its evidence through the sink and keeps the findings.
  async #storeChunk(chunk: EvaluatedChunk, assets: Asset[], ledger: RunLedger): Promise<void> {
    await this.#redactChunk(chunk, assets);
    ledger.add(await sealFindings(chunk.findings, this.#sink), chunk.capturedAt);
  }

  // Redacts a chunk's finding messages and its assets' names and properties (URNs, kinds and times are
  // identifiers and stay): one redactor call for each, distinct strings examined once.
  async #redactChunk(chunk: EvaluatedChunk, assets: Asset[]): Promise<void> {
    const messages = await this.#redactor.redact(chunk.findings.map((f) => f.message));
    chunk.findings.forEach((f, i) => (f.message = messages[i]!.value));
    const part = assets.slice(chunk.start, chunk.end);
    const redacted = await this.#redactor.redact(
      part.map((a) => ({ name: a.name, properties: a.properties })),
    );
    part.forEach((asset, i) => {
      const r = redacted[i]!;
      if (r.redactions.length === 0) return;
      assets[chunk.start + i] = { ...asset, name: r.value.name, properties: r.value.properties };
    });
  }

  #outcome(start: RunStart, ledger: RunLedger, assets: Asset[]): RunOutcome<A> {
    const run: RunSummary = {
      run_id: start.runId,
      scope: start.request.scope,
      started_at: start.startedAt,
      ended_at: instantText(this.#clock.now()),
      controls: start.controlIds,
      counts: ledger.counts(),
    };
    return {
      run,
      findings: ledger.findings,
      assets,
      commit: null,
      evidence: { blobs: ledger.blobs, index: null },
      material: null,
      attestation: null,
    };
  }

  // Stores the run's evidence index (one more blob, listing every hash the findings cite) and returns the
  // evidence rows to commit, the index's own row last.
  async #indexEvidence(
    runId: string,
    ledger: RunLedger,
    outcome: RunOutcome<A>,
    sink: EvidenceSink,
  ): Promise<EvidenceObj[]> {
    const rows = ledger.takeRows();
    if (rows.length === 0) return rows;
    const stored = await sink.put(
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
    return rows;
  }

  // One snapshot per table; the rows are dropped as soon as the commit has them.
  async #commit(
    ingest: FindingIngestPort,
    outcome: RunOutcome<A>,
    rows: EvidenceObj[],
    controls: readonly ControlSpec[],
    progress: RunProgressListener,
  ): Promise<AppendResult> {
    const total = outcome.assets.length;
    progress({ phase: 'commit', done: 0, total });
    const commit = await ingest.commit(outcome.findings, rows, {
      run: outcome.run,
      assets: outcome.assets,
      controls: [...controls],
    });
    rows.length = 0;
    progress({ phase: 'commit', done: total, total });
    return commit;
  }

  // What the attestation pins besides the summary: the bundles, each table commit's files, the index.
  async #material(request: RunRequest, outcome: RunOutcome<A>): Promise<RunMaterial> {
    const commit = outcome.commit!;
    const index = outcome.evidence.index;
    return {
      policy_bundles: request.policy_bundles.map((b) => ({ ...b, digest: { ...b.digest } })),
      tables: this.#o.committedFiles
        ? await this.#o.committedFiles.committedFiles(commit)
        : commit.tables.map((t) => ({ table: t.table, snapshot_id: t.snapshot_id, data_files: [] })),
      evidence: index ? [{ sha256: index.sha256, media_type: EVIDENCE_INDEX_MEDIA_TYPE }] : [],
    };
  }
}
