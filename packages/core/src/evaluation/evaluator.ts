import { availableParallelism } from 'node:os';
import {
  isSegError,
  parseEvalRequest,
  SegError,
  type Asset,
  type ConfigDoc,
  type ControlSpec,
  type EvalRequest,
  type EvalResult,
  type Result,
  type RunSummary,
  type ValidationCheck,
  type ValidationReport,
} from '@neurocipher/seg-contracts';
import type { TrustedKey } from '@neurocipher/seg-attest';
import { canonicalJson } from '@neurocipher/seg-attest';
import {
  mapBounded,
  systemClock,
  uuidV5,
  type BundleRef,
  type BundleSource,
  type Clock,
  type EvaluationPort,
  type EvidenceSink,
  type InventoryPort,
} from '@neurocipher/seg-ports';
import { AGGREGATE_ENTRYPOINT, controlEntrypoint } from '../bundle/bundle-layout.ts';
import { defaultInputs, inputErrors, type ManifestControl } from '../bundle/manifest.ts';
import { wasmEntrypoints } from '../bundle/opa-layout.ts';
import { bundleVectors, runVectors } from '../validation/vectors.ts';
import { instantiateWasm, readVerifiedBundle, type LoadedBundle } from './bundle-loader.ts';
import {
  buildFindings,
  checkedResult,
  isPreparedBatch,
  RESULTS,
  RUN_ID_NAMESPACE,
  type ControlResult,
  type DraftFinding,
  type FindingContext,
} from './findings.ts';
import { OpaServerEngine, type PolicyEngine } from './policy-engine.ts';
import { sealFindings } from './seal-findings.ts';

/** Which engine evaluates: in-process wasm (default) or an OPA server (remote mode). */
export type EngineChoice =
  | {
      kind: 'wasm';
      /** Worker threads for large scopes; `auto` (default) = every core. */
      workers?: number | 'auto';
      /** Scopes with at least this many assets use the worker pool (default 2,000). */
      parallelThreshold?: number;
    }
  | {
      kind: 'opa-server';
      /** Base URL of `opa run --server`, loaded with the same bundle in OPA's signed format. */
      url: string;
    };

/** Options of {@link Evaluator}. */
export interface EvaluatorOptions {
  /** Where bundles are read from. */
  bundleSource: BundleSource;
  /** Public keys allowed to sign bundles. A bundle signed by any other key is refused. */
  trustedKeys: readonly TrustedKey[];
  /** The bundles (id and version) this evaluator serves; their control ids must not overlap. */
  bundles: readonly BundleRef[];
  /** Source of assets and configs for {@link Evaluator.evaluate}; not needed for {@link Evaluator.evaluateDocuments}. */
  inventory?: InventoryPort;
  /**
   * Where {@link Evaluator.evaluate} stores the evidence its findings cite (redacted, hashed once, stored);
   * without one the findings it returns cite no evidence. {@link Evaluator.evaluateDocuments} leaves
   * storing to its caller.
   */
  evidence?: EvidenceSink;
  /** Time source for `input.now` and run timestamps when the call does not give `now`. */
  clock?: Clock;
  /** The tenant's params per control id, merged over each control's default inputs and validated. */
  params?: Readonly<Record<string, Record<string, unknown>>>;
  /** Engine; default `{kind: 'wasm', workers: 'auto'}`. */
  engine?: EngineChoice;
  /** Assets per aggregator call (default 200). */
  batchSize?: number;
  /** Asset kinds known to the schema registry; `validate_control` reports kinds outside it. */
  knownKinds?: readonly string[];
  /** Concurrent `get_config` calls (default 16). */
  configConcurrency?: number;
}

/** Diagnostic counters of an {@link Evaluator}. */
export interface EvaluatorStats {
  /** Aggregator calls made (one per batch, plus one per asset when a batch is retried asset by asset). */
  aggregatorCalls: number;
  /** Of those, calls evaluated in the worker pool. */
  pooledCalls: number;
  /** Assets whose aggregator call failed and whose controls were evaluated one by one. */
  isolatedAssets: number;
}

/** Per-call options of {@link Evaluator.evaluate}. */
export interface EvaluateOptions {
  /**
   * The run id; default the request's `run_id`, else UUIDv5 of the request and `now`, so a retried request
   * gets the same finding ids.
   */
  run_id?: string;
  /** The evaluation instant handed to policies as `input.now` (RFC 3339); default the request's, else the clock's. */
  now?: string;
}

/** An asset with its config, as fetched by the caller. */
export interface AssetDocument {
  asset: Asset;
  config: ConfigDoc;
}

/**
 * An evaluation before its evidence is stored: the run summary and every finding as a draft, citing the
 * evidence bodies it saw (`sealFindings` stores them and makes the pointers).
 */
export interface DraftEvalResult {
  run: RunSummary;
  /** Sorted by control id, then asset URN. */
  findings: DraftFinding[];
}

interface BundleState extends LoadedBundle {
  engine: PolicyEngine;
}

interface Resolved {
  bundle: BundleState;
  control: ManifestControl;
  params: Record<string, unknown>;
}

interface Pair {
  controlId: string;
  result: ControlResult;
}

const encoder = new TextEncoder();

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function assetInput(asset: Asset): Record<string, unknown> {
  return {
    ref: { urn: asset.ref.urn },
    kind: asset.kind,
    provider: asset.provider,
    name: asset.name ?? null,
    properties: asset.properties ?? {},
  };
}

/**
 * The evaluation engine behind {@link EvaluationPort}: loads signed bundles by id and version (refusing any
 * that does not verify, before instantiating anything), evaluates every applicable control over batches of
 * assets with one aggregator call per batch, and turns results into deterministic findings.
 */
export class Evaluator implements EvaluationPort {
  readonly #options: EvaluatorOptions;
  readonly #clock: Clock;
  #loading: Promise<Map<string, BundleState>> | null = null;
  #instantiations = 0;
  readonly #stats: EvaluatorStats = { aggregatorCalls: 0, pooledCalls: 0, isolatedAssets: 0 };

  constructor(options: EvaluatorOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Counters since construction: aggregator calls, those run in the worker pool, assets isolated after a fault. */
  get stats(): Readonly<EvaluatorStats> {
    return { ...this.#stats };
  }

  /** How many policy instances this evaluator created on its own thread (diagnostics; tamper tests use it). */
  get instantiations(): number {
    return this.#instantiations;
  }

  #workers(): number {
    const engine = this.#options.engine ?? { kind: 'wasm' };
    if (engine.kind !== 'wasm') return 0;
    return engine.workers === undefined || engine.workers === 'auto'
      ? availableParallelism()
      : engine.workers;
  }

  async #engineFor(bundle: LoadedBundle): Promise<PolicyEngine> {
    const engine = this.#options.engine ?? { kind: 'wasm' };
    switch (engine.kind) {
      case 'wasm':
        this.#instantiations += 1;
        return instantiateWasm(bundle, this.#workers());
      case 'opa-server':
        return new OpaServerEngine({
          url: engine.url,
          entrypoints: wasmEntrypoints(bundle.verified.manifest),
        });
    }
  }

  /**
   * Reads, verifies and instantiates every configured bundle (once; later calls reuse them). Throws
   * `SEG_POLICY_LOAD_FAILED` if any bundle is missing or does not verify — then nothing is instantiated.
   */
  async load(): Promise<void> {
    await this.#load();
  }

  #load(): Promise<Map<string, BundleState>> {
    this.#loading ??= (async () => {
      const loaded: LoadedBundle[] = [];
      for (const ref of this.#options.bundles) {
        loaded.push(
          await readVerifiedBundle(this.#options.bundleSource, ref, this.#options.trustedKeys, {
            kind: 'controls',
          }),
        );
      }
      const byControl = new Map<string, BundleState>();
      for (const bundle of loaded) {
        const state: BundleState = { ...bundle, engine: await this.#engineFor(bundle) };
        for (const id of bundle.controls.keys()) {
          if (byControl.has(id)) {
            throw new SegError({
              error_code: 'SEG_POLICY_LOAD_FAILED',
              message: `control ${id} is defined by two bundles`,
              details: { control_id: id },
            });
          }
          byControl.set(id, state);
        }
      }
      return byControl;
    })();
    this.#loading.catch(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  /** Stops worker threads. The evaluator can be loaded again afterwards. */
  async close(): Promise<void> {
    const loading = this.#loading;
    this.#loading = null;
    if (!loading) return;
    const states = new Set((await loading.catch(() => new Map<string, BundleState>())).values());
    await Promise.all([...states].map((s) => s.engine.close()));
  }

  /**
   * Evaluates `request.control_ids` over the assets the inventory lists for the request's scope, and
   * stores the evidence the findings cite through the `evidence` sink (none cited without one).
   */
  async evaluate(request: EvalRequest, options: EvaluateOptions = {}): Promise<EvalResult> {
    const req = parseEvalRequest(request);
    const resolved = await this.#resolve(req.control_ids);
    const kinds = [...new Set([...resolved.values()].flatMap((r) => r.control.target_kinds))].sort();
    const documents = await this.#collect(req, kinds, options.now ?? req.now ?? null);
    const drafts = await this.#run(req, resolved, documents, options);
    const { findings } = await sealFindings(drafts.findings, this.#options.evidence);
    const evidence = [...new Map(findings.flatMap((f) => f.evidence).map((p) => [p.hash, p])).values()].sort(
      (a, b) => (a.hash < b.hash ? -1 : 1),
    );
    return { run: drafts.run, findings, evidence };
  }

  /** Evaluates over pre-fetched assets and configs (no inventory call). `request.assets`, if set, filters them. */
  async evaluateDocuments(
    request: EvalRequest,
    documents: readonly AssetDocument[],
    options: EvaluateOptions = {},
  ): Promise<DraftEvalResult> {
    const req = parseEvalRequest(request);
    const resolved = await this.#resolve(req.control_ids);
    const wanted = req.assets ? new Set(req.assets.map((a) => a.urn)) : null;
    return this.#run(
      req,
      resolved,
      documents.filter((d) => wanted === null || wanted.has(d.asset.ref.urn)),
      options,
    );
  }

  async #resolve(controlIds: readonly string[]): Promise<Map<string, Resolved>> {
    const byControl = await this.#load();
    const out = new Map<string, Resolved>();
    for (const id of [...new Set(controlIds)].sort()) {
      const bundle = byControl.get(id);
      if (!bundle) {
        throw new SegError({
          error_code: 'SEG_INVALID_ARGUMENT',
          message: `control ${id} is not in any loaded bundle`,
          details: { control_id: id },
        });
      }
      const control = bundle.controls.get(id)!;
      const params = { ...defaultInputs(control), ...(this.#options.params?.[id] ?? {}) };
      const errors = inputErrors(control, params);
      if (errors !== null) {
        throw new SegError({
          error_code: 'SEG_INVALID_ARGUMENT',
          message: `params of control ${id} are invalid: ${errors}`,
          details: { control_id: id },
        });
      }
      out.set(id, { bundle, control, params });
    }
    return out;
  }

  async #collect(req: EvalRequest, kinds: string[], at: string | null): Promise<AssetDocument[]> {
    const inventory = this.#options.inventory;
    if (!inventory) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'no inventory configured; use evaluateDocuments with pre-fetched configs',
      });
    }
    const wanted = req.assets ? new Set(req.assets.map((a) => a.urn)) : null;
    const assets: Asset[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await inventory.list_assets(req.scope, kinds, req.since ?? null, {
        cursor: cursor ?? null,
        limit: 1000,
      });
      for (const asset of page.assets) if (wanted === null || wanted.has(asset.ref.urn)) assets.push(asset);
      cursor = page.next_cursor;
    } while (cursor);
    return mapBounded(assets, this.#options.configConcurrency ?? 16, async (asset) => ({
      asset,
      config: await inventory.get_config(asset.ref, at),
    }));
  }

  async #run(
    req: EvalRequest,
    resolved: Map<string, Resolved>,
    documents: readonly AssetDocument[],
    options: EvaluateOptions,
  ): Promise<DraftEvalResult> {
    const startedAt = this.#clock.now().toISOString();
    const now = options.now ?? req.now ?? startedAt;
    const runId =
      options.run_id ?? req.run_id ?? uuidV5(RUN_ID_NAMESPACE, canonicalJson({ request: req, now }));
    const tenant = req.scope.org_id;

    // Order-independence: one document per URN, sorted by URN.
    const byUrn = new Map<string, AssetDocument>();
    for (const doc of documents) {
      const urn = doc.asset.ref.urn;
      const seen = byUrn.get(urn);
      if (seen && canonicalJson(seen) !== canonicalJson(doc)) {
        throw new SegError({
          error_code: 'SEG_INVALID_ARGUMENT',
          message: `asset ${urn} appears twice with different content`,
          details: { urn },
        });
      }
      byUrn.set(urn, doc);
    }
    const docs = [...byUrn.values()].sort((a, b) =>
      a.asset.ref.urn < b.asset.ref.urn ? -1 : a.asset.ref.urn > b.asset.ref.urn ? 1 : 0,
    );

    const findings: DraftFinding[] = [];
    const bundles = new Set([...resolved.values()].map((r) => r.bundle));
    for (const bundle of bundles) {
      const controls = [...resolved.values()].filter((r) => r.bundle === bundle);
      // Findings are built as each batch returns (in the worker itself on the pool), while the workers
      // evaluate the next batches.
      const ctx: FindingContext = {
        runId,
        tenant,
        now,
        controls: Object.fromEntries(
          controls.map((r) => [r.control.id, { version: r.control.version, severity: r.control.severity }]),
        ),
      };
      const accept = (built: DraftFinding[]): void => {
        for (const f of built) findings.push(f);
      };
      await this.#evaluateBundle(
        bundle,
        controls,
        docs,
        now,
        ctx,
        (docIndex, results) => {
          const doc = docs[docIndex]!;
          accept(buildFindings(ctx, doc.asset.ref, doc.config.body, results));
        },
        accept,
      );
    }
    findings.sort((a, b) =>
      a.control_id === b.control_id
        ? a.asset.urn < b.asset.urn
          ? -1
          : 1
        : a.control_id < b.control_id
          ? -1
          : 1,
    );
    const counts: Record<string, number> = Object.fromEntries(RESULTS.map((r) => [r, 0]));
    for (const f of findings) counts[f.result] = (counts[f.result] ?? 0) + 1;
    return {
      run: {
        run_id: runId,
        scope: req.scope,
        started_at: startedAt,
        ended_at: this.#clock.now().toISOString(),
        controls: [...resolved.keys()],
        counts,
      },
      findings,
    };
  }

  /** Evaluates one bundle's controls over the documents; returns, per document index, its control results. */
  async #evaluateBundle(
    bundle: BundleState,
    controls: Resolved[],
    docs: readonly AssetDocument[],
    now: string,
    ctx: FindingContext,
    sink: (docIndex: number, pairs: Pair[]) => void,
    accept: (built: DraftFinding[]) => void,
  ): Promise<void> {
    const params: Record<string, unknown> = {};
    for (const c of controls) params[c.control.id] = c.params;
    const items: Array<{ index: number; controls: string[] }> = [];
    docs.forEach((doc, index) => {
      const applicable = controls
        .filter((c) => c.control.target_kinds.includes(doc.asset.kind))
        .map((c) => c.control.id);
      if (applicable.length > 0) items.push({ index, controls: applicable });
    });
    // The transpose of items[].controls for one batch: control id -> indices of its items.
    const byControl = (batch: ReadonlyArray<{ controls: string[] }>): string => {
      const map: Record<string, number[]> = {};
      batch.forEach((item, i) => {
        for (const cid of item.controls) (map[cid] ??= []).push(i);
      });
      return JSON.stringify(map);
    };
    // The one serialisation of an asset's input, done when its batch is sent.
    const itemJson = (item: { index: number; controls: string[] }): string => {
      const doc = docs[item.index]!;
      return JSON.stringify({
        asset: assetInput(doc.asset),
        config: doc.config.body,
        controls: item.controls,
      });
    };
    const prefix = `{"now":${JSON.stringify(now)},"params":${JSON.stringify(params)},"items":[`;
    const batchSize = Math.max(1, this.#options.batchSize ?? 200);
    const engineChoice = this.#options.engine ?? { kind: 'wasm' };
    const parallel =
      engineChoice.kind === 'wasm' &&
      this.#workers() > 0 &&
      items.length >= (engineChoice.parallelThreshold ?? 2000);
    const batches: Array<typeof items> = [];
    for (let i = 0; i < items.length; i += batchSize) batches.push(items.slice(i, i + batchSize));

    const runBatch = async (batch: typeof items, inParallel: boolean): Promise<void> => {
      let rows: unknown;
      let failure: string | undefined;
      try {
        this.#stats.aggregatorCalls += 1;
        if (inParallel) this.#stats.pooledCalls += 1;
        rows = await bundle.engine.evaluate(
          AGGREGATE_ENTRYPOINT,
          encoder.encode(`${prefix}${batch.map(itemJson).join(',')}],"by_control":${byControl(batch)}}`),
          inParallel ? { parallel: true, prepare: ctx } : {},
        );
        if (
          isPreparedBatch(rows)
            ? rows.prepared.length !== batch.length
            : !Array.isArray(rows) || rows.length !== batch.length
        )
          failure = 'aggregator returned a malformed batch result';
      } catch (error) {
        // The engine itself is unreachable (remote mode): fail the call, do not blame the controls.
        if (isSegError(error) && error.retryable) throw error;
        failure = (error as Error).message;
      }
      if (failure === undefined && isPreparedBatch(rows)) {
        for (const built of rows.prepared) accept(built);
        return;
      }
      if (failure === undefined) {
        batch.forEach((item, i) => sink(item.index, this.#pairs(item.controls, (rows as unknown[])[i])));
        return;
      }
      if (batch.length > 1) {
        // Isolate the fault: each asset on its own, so one bad pair cannot take its neighbours with it.
        for (const item of batch) await runBatch([item], false);
        return;
      }
      this.#stats.isolatedAssets += 1;
      sink(
        batch[0]!.index,
        await this.#isolate(bundle, docs[batch[0]!.index]!, batch[0]!.controls, params, now),
      );
    };
    if (parallel) {
      // A bounded number of batches in flight: inputs are built and results turned into findings on this
      // thread while the workers evaluate, without holding every batch in memory at once.
      await mapBounded(batches, this.#workers() * 2, (b) => runBatch(b, true));
    } else {
      for (const b of batches) await runBatch(b, false);
    }
  }

  #pairs(controlIds: readonly string[], row: unknown): Pair[] {
    const values = row !== null && typeof row === 'object' ? (row as Record<string, unknown>) : {};
    return controlIds.map((controlId) => ({ controlId, result: checkedResult(values[controlId]) }));
  }

  /** One asset whose aggregator call failed: each control through its own entrypoint, faults become `error`. */
  async #isolate(
    bundle: BundleState,
    doc: AssetDocument,
    controlIds: string[],
    params: Record<string, unknown>,
    now: string,
  ): Promise<Pair[]> {
    const out: Pair[] = [];
    for (const controlId of controlIds) {
      const input = {
        asset: assetInput(doc.asset),
        config: doc.config.body,
        params: params[controlId] ?? {},
        now,
      };
      try {
        const value = await bundle.engine.evaluate(
          controlEntrypoint(controlId),
          encoder.encode(JSON.stringify(input)),
        );
        out.push({ controlId, result: checkedResult(value) });
      } catch (error) {
        if (isSegError(error) && error.retryable) throw error;
        out.push({
          controlId,
          result: {
            result: 'error' satisfies Result,
            message: truncate(`control evaluation failed: ${(error as Error).message}`),
            evidence: [],
          },
        });
      }
    }
    return out;
  }

  /**
   * Checks that a control can run (spec §6.2). Never throws for a problem with the control: every check and
   * its outcome is in the report, `valid` only when all passed.
   */
  async validate_control(control: ControlSpec): Promise<ValidationReport> {
    const checks: ValidationCheck[] = [];
    const report = (): ValidationReport => ({
      control_id: control.id,
      control_version: control.version,
      valid: checks.length > 0 && checks.every((c) => c.ok),
      checks,
    });
    const add = (name: string, ok: boolean, message?: string): boolean => {
      checks.push({ name, ok, ...(message === undefined ? {} : { message }) });
      return ok;
    };

    // 1. Bundle present and verified: a configured bundle with that id, else any version the source holds.
    const refs = this.#options.bundles.filter((b) => b.id === control.policy_bundle);
    try {
      for (const ref of await this.#options.bundleSource.list()) {
        if (ref.id === control.policy_bundle && !refs.some((r) => r.version === ref.version)) refs.push(ref);
      }
    } catch {
      // The configured refs are still tried below.
    }
    let bundle: LoadedBundle | undefined;
    const problems: string[] = [];
    for (const ref of refs) {
      try {
        const candidate = await readVerifiedBundle(
          this.#options.bundleSource,
          ref,
          this.#options.trustedKeys,
        );
        if (candidate.controls.get(control.id)?.version === control.version) {
          bundle = candidate;
          break;
        }
        problems.push(`${ref.id}@${ref.version} has no control ${control.id}@${control.version}`);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    if (
      !add(
        'bundle_verified',
        bundle !== undefined,
        bundle
          ? `${bundle.ref.id}@${bundle.ref.version} signed by ${bundle.verified.signer.keyid}`
          : problems.join('; ') || `bundle ${control.policy_bundle} not found`,
      )
    ) {
      return report();
    }
    const entry = bundle!.controls.get(control.id)!;
    const mismatches = (['title', 'benchmark', 'severity'] as const).filter((k) => entry[k] !== control[k]);
    if (canonicalJson([...entry.target_kinds].sort()) !== canonicalJson([...control.target_kinds].sort()))
      mismatches.push('target_kinds' as never);
    add(
      'manifest_matches',
      mismatches.length === 0,
      mismatches.length ? `differs from the manifest in ${mismatches.join(', ')}` : undefined,
    );

    // 2. Entrypoint exists (in the compiled module).
    let engine: PolicyEngine | undefined;
    let ownEngine: PolicyEngine | undefined;
    try {
      const loaded = await this.#load().catch(() => null);
      const state = loaded?.get(control.id);
      if (state && state.verified.digest === bundle!.verified.digest) engine = state.engine;
      else engine = ownEngine = await this.#engineFor(bundle!);
      const missing = [];
      for (const ep of [controlEntrypoint(control.id), AGGREGATE_ENTRYPOINT])
        if (!(await engine.hasEntrypoint(ep))) missing.push(ep);
      add(
        'entrypoint_exists',
        missing.length === 0,
        missing.length ? `missing ${missing.join(', ')}` : controlEntrypoint(control.id),
      );
    } catch (error) {
      add('entrypoint_exists', false, (error as Error).message);
    }

    // 3. Target kinds known (to the schema registry of normalized configs, given as `knownKinds`).
    const known = this.#options.knownKinds;
    const unknown = known ? control.target_kinds.filter((k) => !known.includes(k)) : control.target_kinds;
    add(
      'target_kinds_known',
      known !== undefined && control.target_kinds.length > 0 && unknown.length === 0,
      known === undefined
        ? 'no kind registry configured (EvaluatorOptions.knownKinds)'
        : unknown.length
          ? `unknown kinds: ${unknown.join(', ')}`
          : undefined,
    );

    // 4. Inputs valid under the control's schema (defaults, then the tenant's params, then the spec's inputs).
    const params = {
      ...defaultInputs(entry),
      ...(this.#options.params?.[control.id] ?? {}),
      ...control.inputs,
    };
    const errors = inputErrors(entry, params);
    add('inputs_valid', errors === null, errors ?? undefined);

    // 5. Vectors pass (at least 3).
    if (engine) {
      try {
        const vectors = bundleVectors(bundle!.verified.files);
        const outcomes = await runVectors(bundle!.verified.manifest, vectors, engine, control.id);
        const failed = outcomes.filter((o) => !o.ok);
        add(
          'vectors_pass',
          outcomes.length >= 3 && failed.length === 0,
          failed.length
            ? failed.map((o) => `${o.name}: ${o.problem}`).join('; ')
            : `${outcomes.length} vectors passed${outcomes.length < 3 ? ' (at least 3 required)' : ''}`,
        );
      } catch (error) {
        add('vectors_pass', false, (error as Error).message);
      }
    } else {
      add('vectors_pass', false, 'no engine to run the vectors');
    }
    await ownEngine?.close();
    return report();
  }
}
