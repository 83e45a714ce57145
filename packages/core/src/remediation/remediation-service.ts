// The remediation workflow (spec §6.3, §15) over a provider's steps: names and records a plan with its
// dry-run preview, applies it step by step under a timeout with the exact pre-state of each step captured
// first, compensates the steps already done when one fails, and rolls an applied plan back. A provider
// only plans and changes (`RemediationStepPort`); everything here is the same for every provider.
import { randomUUID } from 'node:crypto';
import {
  SegError,
  isSegError,
  makeEvent,
  parseFinding,
  parseRemediationPlan,
  parseWindow,
} from '@neurocipher/seg-contracts';
import type {
  ApplyChangeResult,
  ApplyResult,
  EvidencePointer,
  Finding,
  Mode,
  RemediationPlan,
  RollbackResult,
  Window,
} from '@neurocipher/seg-contracts';
import { canonicalJson } from '@neurocipher/seg-attest';
import {
  DEFAULT_RETRY_POLICY,
  InMemoryPlanRecordStore,
  assertPlanId,
  jsonDiff,
  putJsonEvidence,
  readJsonEvidence,
  retrying,
  sha256Hex,
  systemClock,
  unknownPlan,
  uuidV5,
} from '@neurocipher/seg-ports';
import type {
  BlastRadius,
  Clock,
  DiffEntry,
  EventBus,
  EvidenceSink,
  PlanDraft,
  PlanEvent,
  PlanRecord,
  PlanRecordStore,
  PreStateRecord,
  RemediationPort,
  RemediationStepPort,
  RetryPolicy,
  StepOp,
} from '@neurocipher/seg-ports';

/** The dry-run preview of a plan: before/after of the normalized config, blast radius and risk. */
export interface RemediationPreview {
  plan_id: string;
  control_id: string;
  asset: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  diff: DiffEntry[];
  blast_radius: BlastRadius;
  estimated_risk: RemediationPlan['estimated_risk'];
  automation: 'auto' | 'approval';
  /** Steps whose rollback is not an exact inverse, with what rollback does instead. */
  inexact_rollback: { step_index: number; note: string }[];
  /** The asset's tags when planned (guardrails tell production by them). */
  asset_tags?: Record<string, string>;
}

/** Options of {@link RemediationService}. */
export interface RemediationServiceOptions {
  /** The provider's steps (the AWS adapter's `AwsRemediationSteps`, say). */
  steps: RemediationStepPort;
  /**
   * Where dry-run previews and apply/rollback records (with their captured pre-states) go: the evidence
   * sink, which redacts, canonicalises, hashes and stores every body.
   */
  evidence: EvidenceSink;
  /**
   * Where plans, their captured pre-states and their apply/rollback log are kept. Default: in memory; a
   * `BlobPlanRecordStore` makes them durable, so another process can apply or roll back.
   */
  plans?: PlanRecordStore;
  /** Timeout of one step attempt (capture + change), in ms; default 60,000. */
  stepTimeoutMs?: number;
  /**
   * Retries of a step (and of a compensation) that failed with a retryable error (a throttle, the provider
   * unreachable, a timeout): `attempts` in all, the first included (default 3), exponential backoff from
   * `base_ms` (100) to `max_ms` (2,000) with full jitter. Every attempt captures again first, so a change
   * that landed before its answer was lost is seen, not made twice.
   */
  retry?: { attempts?: number; base_ms?: number; max_ms?: number };
  /** Source of the jitter, in [0, 1) (default `Math.random`; fixed in tests). */
  random?: () => number;
  clock?: Clock;
  /**
   * Where `seg.plan.created` (a plan first recorded) and `seg.plan.applied` (an apply that succeeded) go,
   * for the tenant `org_id` whose plans these are. Without it nothing is announced.
   */
  events?: { bus: EventBus; org_id: string } | undefined;
}

/** Namespace of plan ids (UUIDv5 of the DNS namespace and `seg.neurocipher.aws.plan`, as ever). */
const PLAN_ID_NAMESPACE = uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'seg.neurocipher.aws.plan');

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

function reason(err: unknown): string {
  if (isSegError(err)) return `${err.error_code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

// What a step's deadline resolves to.
const EXPIRED: unique symbol = Symbol('expired');

/**
 * Runs one step under its timeout. On timeout the step's signal aborts (a provider's calls stop and do not
 * retry), and the step is given a short grace to settle, so nothing it started can land after the
 * compensation that follows; the step then fails with `SEG_ADAPTER_TIMEOUT`, however the aborted call
 * ended.
 */
async function withTimeout<T>(
  ms: number,
  what: string,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const work = run(controller.signal);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<typeof EXPIRED>((resolve) => {
    timer = setTimeout(() => resolve(EXPIRED), ms);
  });
  let first: T | typeof EXPIRED;
  try {
    first = await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
  if (first !== EXPIRED) return first;
  controller.abort(new Error(`${what} timed out`));
  let grace: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    work.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => {
      grace = setTimeout(resolve, Math.max(5_000, ms));
    }),
  ]);
  clearTimeout(grace);
  throw new SegError({
    error_code: 'SEG_ADAPTER_TIMEOUT',
    message: `${what} exceeded its ${ms} ms step timeout`,
    retryable: true,
  });
}

/**
 * {@link RemediationPort} over a provider's {@link RemediationStepPort} (spec §6.3, §15, §21).
 *
 * `plan` has the provider draft the steps from the live config and records the plan with a dry-run
 * preview (before/after diff, blast radius, risk) as evidence; nothing changes. The plan id names what
 * the plan saw and does: planning the same finding against the same state gives the same plan (and its
 * record, pre-states and log), a changed state a new one. `apply` refuses a dry-run plan and one outside
 * its change window, then runs each step under the step timeout: it captures the exact state the step
 * changes, skips it if already as wanted (so a second apply is all `skipped`), records the pre-state
 * before changing anything, and keeps the provider's change id. A failing step has the steps before it
 * (and itself, if it had begun changing) restored: result `partial`. `rollback` of an applied plan
 * restores every captured pre-state; steps without an exact inverse say so.
 */
export class RemediationService implements RemediationPort {
  readonly #steps: RemediationStepPort;
  readonly #evidence: EvidenceSink;
  readonly #plans: PlanRecordStore;
  readonly #stepTimeout: number;
  readonly #clock: Clock;
  readonly #events: { bus: EventBus; org_id: string } | undefined;
  readonly #retry: RetryPolicy;
  readonly #random: () => number;

  constructor(options: RemediationServiceOptions) {
    this.#steps = options.steps;
    this.#evidence = options.evidence;
    this.#plans = options.plans ?? new InMemoryPlanRecordStore();
    this.#stepTimeout = options.stepTimeoutMs ?? 60_000;
    this.#clock = options.clock ?? systemClock;
    this.#events = options.events;
    this.#retry = {
      attempts: Math.max(1, options.retry?.attempts ?? DEFAULT_RETRY_POLICY.attempts),
      base_ms: options.retry?.base_ms ?? DEFAULT_RETRY_POLICY.base_ms,
      max_ms: options.retry?.max_ms ?? DEFAULT_RETRY_POLICY.max_ms,
    };
    this.#random = options.random ?? Math.random;
  }

  /** The plan records (plan, pre-states, log) this service keeps. */
  get plans(): PlanRecordStore {
    return this.#plans;
  }

  /**
   * Plans `finding` (see the class). `options.admit` sees the plan and its draft before anything is
   * recorded and may refuse it by throwing (the gates of a tenant in rollout phase 0, say).
   */
  async plan(
    finding: Finding,
    mode: Mode,
    options: { admit?: (plan: RemediationPlan, draft: PlanDraft) => Promise<void> } = {},
  ): Promise<RemediationPlan> {
    const f = parseFinding(finding);
    const draft = await this.#steps.draft(f);
    const { before, steps } = draft;
    const observed = sha256Hex(canonicalJson({ before, steps: steps.map((s) => [s.action, s.params]) }));
    const id = uuidV5(PLAN_ID_NAMESPACE, `${f.id}|${draft.control_id}|${draft.asset}|${mode}|${observed}`);
    const plan = parseRemediationPlan({
      id,
      finding_id: f.id,
      mode,
      steps,
      estimated_risk: draft.estimated_risk,
      change_window: null,
      approvals_required: draft.approvals_required,
      created_at: this.#clock.now().toISOString(),
    });
    await options.admit?.(plan, draft);
    if (steps.length === 0) return plan;
    const preview: RemediationPreview = {
      plan_id: id,
      control_id: draft.control_id,
      asset: draft.asset,
      before,
      after: draft.after,
      diff: jsonDiff(before, draft.after),
      blast_radius: draft.blast_radius,
      estimated_risk: draft.estimated_risk,
      automation: draft.approvals_required.length > 0 ? 'approval' : 'auto',
      inexact_rollback: steps.flatMap((s, i) => {
        const op = this.#op(s.action);
        return op.exactInverse ? [] : [{ step_index: i, note: op.inverseNote ?? '' }];
      }),
      asset_tags: draft.asset_tags ?? {},
    };
    const previewPtr = await this.#putJson(preview);
    // Create-only: a plan recorded before under this id (maybe applied since) is kept and returned.
    const stored = await this.#plans.create({
      plan,
      control_id: draft.control_id,
      asset: draft.asset,
      preview: previewPtr,
    });
    // Announced once per plan id (the bus drops a repeated key), so planning again repeats nothing.
    await this.#announce('seg.plan.created', stored.plan.id, { plan: stored.plan });
    return stored.plan;
  }

  /** The dry-run preview of a plan (verified against its evidence hash); `SEG_NOT_FOUND` when it has none. */
  async preview(plan_id: string): Promise<RemediationPreview> {
    const rec = await this.#mustLoad(plan_id);
    if (!rec.preview) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `plan ${plan_id} was not made here: it has no preview`,
        details: { plan_id },
      });
    }
    return this.#readJson(rec.preview) as Promise<RemediationPreview>;
  }

  /** The recorded plan with this id (from this process or another sharing the plan store); `SEG_NOT_FOUND`. */
  async recorded_plan(plan_id: string): Promise<RemediationPlan> {
    return (await this.#mustLoad(plan_id)).plan;
  }

  /** The apply and rollback outcomes of a plan, oldest first (empty when it never ran). */
  async history(plan_id: string): Promise<PlanEvent[]> {
    await this.#mustLoad(plan_id);
    return this.#plans.events(plan_id);
  }

  /** Where the live config of a plan's asset differs from the preview's `before` (empty: no drift). */
  async drift(plan_id: string): Promise<DiffEntry[]> {
    const preview = await this.preview(plan_id);
    return jsonDiff(preview.before, await this.#steps.live(preview.asset));
  }

  /**
   * Applies the plan (see the class). With `all_or_nothing`, a result other than `success` (the steps done
   * already compensated) is thrown as `SEG_APPLY_PARTIAL` carrying it, after it is recorded.
   */
  async apply(
    plan: RemediationPlan,
    change_window?: Window | null,
    options: { all_or_nothing?: boolean } = {},
  ): Promise<ApplyResult> {
    const p = parseRemediationPlan(plan);
    const started = this.#clock.now();
    if (p.mode !== 'apply') {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'a plan made in plan (dry-run) mode cannot be applied; plan again in apply mode',
        details: { plan_id: p.id },
      });
    }
    const win =
      change_window ??
      (p.change_window?.['start'] && p.change_window['end'] ? parseWindow(p.change_window) : null);
    if (win && !(started >= new Date(win.start) && started < new Date(win.end))) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'outside the change window',
        details: { plan_id: p.id, start: win.start, end: win.end },
      });
    }
    const rec = await this.#recordFor(p);
    const pre: (PreStateRecord | undefined)[] = p.steps.map(() => undefined);
    for (const captured of await this.#plans.preStates(p.id)) pre[captured.step_index] = captured;
    const steps = p.steps.map((step, index) => ({ index, step, op: this.#op(step.action) }));
    const results: ApplyChangeResult[] = [];
    const done: number[] = [];
    for (const s of steps) {
      let changing = false;
      try {
        const outcome = await this.#retrying(() =>
          withTimeout(this.#stepTimeout, `step ${s.index} (${s.op.action})`, async (signal) => {
            const state = await s.op.capture(s.step, signal);
            if (s.op.satisfied(state, s.step)) return { skipped: true as const };
            if (!pre[s.index]) {
              // The exact pre-state is durable before anything changes; the first capture of a step wins.
              pre[s.index] = await this.#plans.capturePreState(rec.plan.id, {
                step_index: s.index,
                state,
                captured_at: this.#clock.now().toISOString(),
              });
            }
            changing = true;
            return { skipped: false as const, id: await s.op.apply(s.step, state, signal) };
          }),
        );
        if (outcome.skipped && changing) {
          // An attempt that failed had got as far as changing it: the change landed after all.
          done.push(s.index);
          results.push({
            step_index: s.index,
            status: 'success',
            provider_change_id: null,
            message: 'applied: seen on a retry after the first answer was lost',
          });
        } else if (outcome.skipped) {
          results.push({
            step_index: s.index,
            status: 'skipped',
            provider_change_id: null,
            message: 'already in the wanted state',
          });
        } else {
          done.push(s.index);
          results.push({
            step_index: s.index,
            status: 'success',
            provider_change_id: outcome.id ?? null,
            message: null,
          });
        }
      } catch (err) {
        if (
          results.length === 0 &&
          !changing &&
          isSegError(err) &&
          (err.error_code === 'SEG_ADAPTER_UNAVAILABLE' || err.error_code === 'SEG_ADAPTER_TIMEOUT')
        ) {
          // Nothing ran: the provider could not be reached (the port contract raises this).
          throw err;
        }
        results.push({
          step_index: s.index,
          status: 'failed',
          provider_change_id: null,
          message: reason(err),
        });
        // The failed step may have half-changed its resource: restore it too when its pre-state is known.
        const toUndo = changing ? [...done, s.index] : [...done];
        for (const i of toUndo.reverse()) {
          const st = steps[i]!;
          const captured = pre[i];
          if (!captured) continue;
          try {
            await this.#retrying(() =>
              withTimeout(this.#stepTimeout, `compensation of step ${i}`, (signal) =>
                st.op.restore(st.step, captured.state, signal),
              ),
            );
            const r = results.find((x) => x.step_index === i);
            if (r && r.status === 'success') {
              r.status = 'compensated';
              r.message = 'rolled back after a later step failed';
            }
          } catch (cerr) {
            const r = results.find((x) => x.step_index === i);
            if (r) {
              r.status = 'failed';
              r.message = `${r.message ?? ''} compensation failed: ${reason(cerr)}`.trim();
            }
          }
        }
        for (const rest of steps.slice(s.index + 1)) {
          results.push({
            step_index: rest.index,
            status: 'skipped',
            provider_change_id: null,
            message: 'not run: an earlier step failed',
          });
        }
        break;
      }
    }
    const failed = results.some((r) => r.status === 'failed');
    const anyChange = results.some((r) => r.status === 'compensated' || r.status === 'success');
    const result: ApplyResult = {
      plan_id: p.id,
      status: !failed ? 'success' : anyChange ? 'partial' : 'failed',
      results,
      started_at: started.toISOString(),
      ended_at: this.#clock.now().toISOString(),
    };
    await this.#putJson({
      kind: 'seg.remediation.apply',
      result,
      pre_states: pre.map((x) => (x ? { state: x.state } : null)),
    });
    await this.#plans.append(p.id, { kind: 'apply', result });
    if (result.status === 'success') await this.#announce('seg.plan.applied', p.id, { result });
    else if (options.all_or_nothing)
      throw new SegError({
        error_code: 'SEG_APPLY_PARTIAL',
        message: `plan ${p.id} was not applied whole (${result.status}): the steps done were rolled back`,
        details: { plan_id: p.id, status: result.status, results: result.results },
      });
    return result;
  }

  /** Rolls back an applied plan; `SEG_INVALID_ARGUMENT` for a plan never applied (nothing to restore). */
  async rollback(plan_id: string): Promise<RollbackResult> {
    const rec = await this.#mustLoad(plan_id);
    if (!(await this.#plans.events(plan_id)).some((e) => e.kind === 'apply')) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: `plan ${plan_id} has not been applied: nothing to roll back`,
        details: { plan_id },
      });
    }
    const started = this.#clock.now();
    const captured = new Map((await this.#plans.preStates(plan_id)).map((x) => [x.step_index, x]));
    const results: ApplyChangeResult[] = [];
    const steps = rec.plan.steps.map((step, index) => ({ index, step, op: this.#op(step.action) }));
    for (const s of [...steps].reverse()) {
      const pre = captured.get(s.index);
      const note = s.op.exactInverse ? null : `not an exact inverse: ${s.op.inverseNote ?? ''}`;
      if (!pre) {
        results.push({
          step_index: s.index,
          status: 'skipped',
          provider_change_id: null,
          message: 'never applied: nothing to restore',
        });
        continue;
      }
      try {
        const out = await withTimeout(this.#stepTimeout, `rollback of step ${s.index}`, async (signal) => {
          const current = await s.op.capture(s.step, signal);
          const restored = s.op.restoredEquivalent
            ? s.op.restoredEquivalent(current, pre.state)
            : same(current, pre.state);
          if (restored) return { skipped: true as const };
          return { skipped: false as const, id: await s.op.restore(s.step, pre.state, signal) };
        });
        results.push(
          out.skipped
            ? {
                step_index: s.index,
                status: 'skipped',
                provider_change_id: null,
                message: note ?? 'already in the captured pre-state',
              }
            : { step_index: s.index, status: 'success', provider_change_id: out.id ?? null, message: note },
        );
      } catch (err) {
        results.push({
          step_index: s.index,
          status: 'failed',
          provider_change_id: null,
          message: reason(err),
        });
      }
    }
    results.sort((a, b) => a.step_index - b.step_index);
    const failed = results.filter((r) => r.status === 'failed').length;
    const result: RollbackResult = {
      plan_id,
      status: failed === 0 ? 'success' : failed === results.length ? 'failed' : 'partial',
      results,
      started_at: started.toISOString(),
      ended_at: this.#clock.now().toISOString(),
    };
    await this.#putJson({ kind: 'seg.remediation.rollback', result });
    await this.#plans.append(plan_id, { kind: 'rollback', result });
    return result;
  }

  async #announce(
    type: 'seg.plan.created' | 'seg.plan.applied',
    plan_id: string,
    data: { plan: RemediationPlan } | { result: ApplyResult },
  ): Promise<void> {
    if (!this.#events) return;
    const occurred_at = this.#clock.now().toISOString();
    const { bus, org_id } = this.#events;
    const base = { id: randomUUID(), org_id, subject: plan_id, occurred_at };
    await bus.publish(
      type === 'seg.plan.created'
        ? makeEvent({ ...base, type, data: data as { plan: RemediationPlan } })
        : makeEvent({ ...base, type, data: data as { result: ApplyResult } }),
    );
  }

  // Runs `work`, again after a backoff while it fails with a retryable error and attempts remain.
  #retrying<T>(work: () => Promise<T>): Promise<T> {
    return retrying(work, { policy: this.#retry, random: this.#random });
  }

  #op(action: string): StepOp {
    return this.#steps.op(action);
  }

  #putJson(value: unknown): Promise<EvidencePointer> {
    return putJsonEvidence(this.#evidence, value);
  }

  #readJson(pointer: EvidencePointer): Promise<unknown> {
    return readJsonEvidence(this.#evidence, pointer);
  }

  // The record of a plan being applied: the stored one (which must have the same steps), or a new one
  // for a plan made elsewhere (so its pre-states can be captured and rolled back).
  async #recordFor(p: RemediationPlan): Promise<PlanRecord> {
    const stored = await this.#plans.get(p.id);
    if (stored) {
      if (!same(stored.plan.steps, p.steps)) {
        throw new SegError({
          error_code: 'SEG_CONFLICT',
          message: `plan ${p.id} differs from the recorded plan of that id; plan again`,
          details: { plan_id: p.id },
        });
      }
      return stored;
    }
    const first = p.steps[0]?.params ?? {};
    return this.#plans.create({
      plan: p,
      control_id: typeof first['control_id'] === 'string' ? first['control_id'] : '',
      asset: typeof first['asset'] === 'string' ? first['asset'] : '',
      preview: null,
    });
  }

  async #mustLoad(id: string): Promise<PlanRecord> {
    assertPlanId(id);
    const rec = await this.#plans.get(id);
    if (!rec) throw unknownPlan(id);
    return rec;
  }
}
