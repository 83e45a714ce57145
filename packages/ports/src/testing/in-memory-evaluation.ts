import {
  ResultSchema,
  SegError,
  isSegError,
  parseControlSpec,
  parseEvalRequest,
  parseEvalResult,
} from '@neurocipher/seg-contracts';
import type {
  Asset,
  ConfigDoc,
  ControlSpec,
  EvalRequest,
  EvalResult,
  EvidencePointer,
  Finding,
  Result,
  ValidationReport,
} from '@neurocipher/seg-contracts';
import type { EvaluationPort } from '../evaluation/evaluation-port.ts';
import type { InventoryPort } from '../inventory/inventory-port.ts';
import { systemClock } from '../time/clock.ts';
import type { Clock } from '../time/clock.ts';
import { sha256Hex } from '../digest/sha256-hex.ts';
import { uuidV5 } from '../digest/uuid-v5.ts';

/** What a control predicate returns for one asset. */
export interface PredicateOutcome {
  result: Result;
  message: string;
}

/**
 * A control as a plain function of one asset, its config, the control's `inputs` and the evaluation time
 * (RFC 3339). It may throw, or return an invalid outcome: the pair then gets an `error` finding.
 */
export type ControlPredicate = (
  asset: Asset,
  config: ConfigDoc,
  params: Readonly<Record<string, unknown>>,
  now: string,
) => PredicateOutcome | Promise<PredicateOutcome>;

/** One control known to an {@link InMemoryEvaluation}: its metadata and its predicate. */
export interface InMemoryControl {
  spec: ControlSpec;
  evaluate: ControlPredicate;
}

/** Options of {@link InMemoryEvaluation}. */
export interface InMemoryEvaluationOptions {
  /** Where assets and configs come from. */
  inventory: InventoryPort;
  controls: readonly InMemoryControl[];
  /** The evaluation time passed to predicates and stamped on findings. */
  clock?: Clock;
  /** The run id of each `evaluate` call; a random UUID by default. Fix it to test idempotency. */
  new_run_id?: () => string;
}

const ADAPTER_CODES = new Set(['SEG_ADAPTER_TIMEOUT', 'SEG_ADAPTER_UNAVAILABLE']);

/**
 * An {@link EvaluationPort} whose controls are predicates instead of signed OPA bundles, for tests of the
 * packages around the evaluator. It keeps the real contract where it can: findings are sorted by control
 * id then URN whatever the inventory order; `fingerprint` is sha256 hex of `${org_id}\n${control_id}\n${urn}`
 * and `id` the UUIDv5 of the run id and the fingerprint; an unknown control id is `SEG_POLICY_LOAD_FAILED`
 * before anything runs; a predicate that throws, or an asset without a config, gives an `error` finding;
 * adapter errors from the inventory pass through. Each evaluated config is cited as evidence by the sha256
 * of its JSON. A control applies to the assets whose kind is in its `target_kinds` (every kind when empty).
 */
export class InMemoryEvaluation implements EvaluationPort {
  readonly #inventory: InventoryPort;
  readonly #controls: ReadonlyMap<string, InMemoryControl>;
  readonly #clock: Clock;
  readonly #newRunId: () => string;

  constructor(options: InMemoryEvaluationOptions) {
    this.#inventory = options.inventory;
    this.#controls = new Map(
      options.controls.map((control) => [
        control.spec.id,
        { ...control, spec: parseControlSpec(control.spec) },
      ]),
    );
    this.#clock = options.clock ?? systemClock;
    this.#newRunId = options.new_run_id ?? (() => globalThis.crypto.randomUUID());
  }

  async evaluate(request: EvalRequest): Promise<EvalResult> {
    const parsed = parseEvalRequest(request);
    const missing = parsed.control_ids.filter((id) => !this.#controls.has(id));
    if (missing.length > 0) {
      throw new SegError({
        error_code: 'SEG_POLICY_LOAD_FAILED',
        message: `no policy for controls: ${missing.join(', ')}`,
        details: { control_ids: missing },
      });
    }
    const runId = parsed.run_id ?? this.#newRunId();
    // The evaluation instant comes from the request when it gives one (EvalRequest 1.1.0).
    const startedAt = parsed.now ?? this.#clock.now().toISOString();
    const assets = await this.#assets(parsed);
    const controls = [...new Set(parsed.control_ids)]
      .sort()
      .map((id) => this.#controls.get(id) as InMemoryControl);
    const findings: Finding[] = [];
    const evidence = new Map<string, EvidencePointer>();
    const counts: Record<string, number> = { pass: 0, warn: 0, fail: 0, error: 0, not_applicable: 0 };
    for (const control of controls) {
      const kinds = new Set(control.spec.target_kinds);
      for (const asset of assets) {
        if (kinds.size > 0 && !kinds.has(asset.kind)) continue;
        const outcome = await this.#run(control, asset, startedAt);
        if (outcome.evidence !== null) evidence.set(outcome.evidence.hash, outcome.evidence);
        const fingerprint = sha256Hex(`${parsed.scope.org_id}\n${control.spec.id}\n${asset.ref.urn}`);
        findings.push({
          id: uuidV5(runId, fingerprint),
          control_id: control.spec.id,
          control_version: control.spec.version,
          asset: { urn: asset.ref.urn },
          result: outcome.result,
          severity: control.spec.severity,
          message: outcome.message,
          evidence: outcome.evidence === null ? [] : [outcome.evidence],
          created_at: startedAt,
          updated_at: startedAt,
          fingerprint,
        });
        counts[outcome.result] = (counts[outcome.result] ?? 0) + 1;
      }
    }
    return parseEvalResult({
      run: {
        run_id: runId,
        scope: parsed.scope,
        started_at: startedAt,
        ended_at: this.#clock.now().toISOString(),
        controls: controls.map((control) => control.spec.id),
        counts,
      },
      findings,
      evidence: [...evidence.values()].sort((a, b) => (a.hash < b.hash ? -1 : 1)),
    });
  }

  async validate_control(control: ControlSpec): Promise<ValidationReport> {
    const spec = parseControlSpec(control);
    const known = this.#controls.get(spec.id);
    const checks = [
      {
        name: 'policy_present',
        ok: known !== undefined,
        message: known === undefined ? 'no predicate for this control id' : null,
      },
      {
        name: 'version_matches',
        ok: known?.spec.version === spec.version,
        message:
          known === undefined || known.spec.version === spec.version
            ? null
            : `loaded version is ${known.spec.version}`,
      },
      {
        name: 'target_kinds',
        ok: spec.target_kinds.length > 0,
        message: spec.target_kinds.length > 0 ? null : 'no target kinds declared',
      },
    ];
    return {
      control_id: spec.id,
      control_version: spec.version,
      valid: checks.every((check) => check.ok),
      checks,
    };
  }

  async #assets(request: EvalRequest): Promise<Asset[]> {
    const listed =
      request.assets === undefined || request.assets === null
        ? null
        : new Set(request.assets.map((ref) => ref.urn));
    const assets: Asset[] = [];
    let cursor: string | null | undefined = null;
    do {
      const page = await this.#inventory.list_assets(request.scope, [], request.since ?? null, { cursor });
      for (const asset of page.assets) if (listed === null || listed.has(asset.ref.urn)) assets.push(asset);
      cursor = page.next_cursor;
    } while (cursor !== undefined && cursor !== null);
    return assets.sort((a, b) => (a.ref.urn < b.ref.urn ? -1 : 1));
  }

  async #run(
    control: InMemoryControl,
    asset: Asset,
    now: string,
  ): Promise<PredicateOutcome & { evidence: EvidencePointer | null }> {
    let config: ConfigDoc;
    try {
      config = await this.#inventory.get_config(asset.ref, now);
    } catch (error) {
      if (isSegError(error) && ADAPTER_CODES.has(error.error_code)) throw error;
      return { result: 'error', message: `no config: ${describe(error)}`, evidence: null };
    }
    const evidence: EvidencePointer = {
      hash: sha256Hex(JSON.stringify(config)),
      media_type: 'application/json',
    };
    try {
      const outcome = await control.evaluate(asset, config, control.spec.inputs, now);
      const result = ResultSchema.safeParse(outcome.result);
      if (!result.success || typeof outcome.message !== 'string') {
        return { result: 'error', message: 'control returned an invalid outcome', evidence };
      }
      return { result: result.data, message: outcome.message, evidence };
    } catch (error) {
      return { result: 'error', message: `control failed: ${describe(error)}`, evidence };
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
