import { randomUUID } from 'node:crypto';
import {
  SegError,
  isSegError,
  makeEvent,
  parseFinding,
  parseRemediationPlan,
  parseWindow,
  type ApplyChangeResult,
  type ApplyResult,
  type EvidencePointer,
  type Finding,
  type Mode,
  type RemediationPlan,
  type RollbackResult,
  type Window,
} from '@neurocipher/seg-contracts';
import { canonicalJson } from '@neurocipher/seg-attest';
import {
  sha256Hex,
  systemClock,
  uuidV5,
  type Clock,
  type EventBus,
  type EvidenceSink,
  type InventoryPort,
  type RemediationPort,
} from '@neurocipher/seg-ports';
import { putJsonEvidence, readJsonEvidence } from '../evidence/json-evidence.ts';
import { withAbortSignal } from '../provider/aws-call.ts';
import { parseAwsAssetUrn } from '../inventory/asset-urn.ts';
import type { AssetLocator } from '../inventory/collector.ts';
import type { AwsSession } from '../provider/aws-session.ts';
import { blastRadius, type BlastRadius } from './blast-radius.ts';
import { STEP_OPS, remediationFor, type RemediationDefaults } from './control-remediations.ts';
import { InMemoryPlanRecordStore } from './in-memory-plan-record-store.ts';
import { jsonDiff, type DiffEntry } from './json-diff.ts';
import {
  assertPlanId,
  unknownPlan,
  type PlanEvent,
  type PlanRecord,
  type PlanRecordStore,
  type PreStateRecord,
} from './plan-record-store.ts';
import type { StepContext, StepOp } from './step-op.ts';

/** Options of {@link AwsRemediationAdapter}. */
export interface AwsRemediationAdapterOptions {
  session: AwsSession;
  /** Reads the normalized config a plan starts from (the AWS inventory adapter). */
  inventory: InventoryPort;
  /**
   * Where dry-run previews and apply/rollback records (with their captured pre-states) go: the evidence
   * sink, which redacts, canonicalises, hashes and stores every body.
   */
  evidence: EvidenceSink;
  /**
   * Where plans, their captured pre-states and their apply/rollback log are kept. Default: in memory, so a
   * plan can be applied and rolled back only by this adapter instance; pass a {@link BlobPlanRecordStore}
   * to apply or roll back from another process.
   */
  plans?: PlanRecordStore;
  defaults?: RemediationDefaults;
  /** Timeout of one step (capture + change), in ms; default 60,000. */
  stepTimeoutMs?: number;
  clock?: Clock;
  /**
   * Where `seg.plan.created` (a plan first recorded) and `seg.plan.applied` (an apply that succeeded) go,
   * for the tenant `org_id` whose plans these are. Without it nothing is announced.
   */
  events?: { bus: EventBus; org_id: string } | undefined;
}

/** The dry-run preview of a plan: before/after of the normalized config, blast radius and risk. */
export interface RemediationPreview {
  plan_id: string;
  control_id: string;
  asset: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  diff: DiffEntry[];
  blast_radius: BlastRadius;
  estimated_risk: 'low' | 'medium' | 'high';
  automation: 'auto' | 'approval';
  /** Steps whose rollback is not an exact inverse, with what rollback does instead. */
  inexact_rollback: { step_index: number; note: string }[];
}

/** Namespace of plan ids (UUIDv5 of the DNS namespace and `seg.neurocipher.aws.plan`). */
const PLAN_ID_NAMESPACE = uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'seg.neurocipher.aws.plan');

const RISK = ['low', 'medium', 'high'] as const;

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

/**
 * Runs one step under its timeout. On timeout the step's AWS calls are aborted and may not retry
 * (`withAbortSignal`), and the step is given a short grace to settle, so nothing it started can land
 * after the compensation that follows.
 */
async function withTimeout<T>(ms: number, what: string, run: () => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const work = withAbortSignal(controller.signal, run);
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`${what} timed out`));
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      const grace = new Promise<void>((r) => setTimeout(r, Math.max(5_000, ms)));
      void Promise.race([settled, grace]).then(() =>
        reject(
          new SegError({
            error_code: 'SEG_ADAPTER_TIMEOUT',
            message: `${what} exceeded its ${ms} ms step timeout`,
          }),
        ),
      );
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function reason(err: unknown): string {
  if (isSegError(err)) return `${err.error_code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * RemediationPort over direct AWS service APIs with preview and rollback (spec §6.3, §15, §21).
 *
 * `plan` reads the live normalized config, builds the minimal steps of the control's remediation
 * (notes/moto.md §3), and stores a dry-run preview (before/after diff, blast radius, risk) as evidence;
 * nothing changes. `apply` runs each step under a step timeout: it captures the exact state the step
 * changes, skips it if already as wanted (so a second apply is all `skipped`), records the pre-state
 * before changing anything, and returns the mutating request id as `provider_change_id`. A failing step
 * triggers compensation of the steps before it (result `partial`). `rollback` restores every captured
 * pre-state; steps without an exact AWS inverse say so.
 *
 * Plans, pre-states and the apply/rollback log live in the {@link PlanRecordStore} of the options (in
 * memory by default; a {@link BlobPlanRecordStore} makes them durable across processes). The adapter keeps
 * no plan state of its own.
 */
export class AwsRemediationAdapter implements RemediationPort {
  readonly #session: AwsSession;
  readonly #inventory: InventoryPort;
  readonly #evidence: EvidenceSink;
  readonly #defaults: RemediationDefaults;
  readonly #stepTimeout: number;
  readonly #events: { bus: EventBus; org_id: string } | undefined;
  readonly #clock: Clock;
  readonly #plans: PlanRecordStore;

  constructor(options: AwsRemediationAdapterOptions) {
    this.#session = options.session;
    this.#inventory = options.inventory;
    this.#evidence = options.evidence;
    this.#defaults = options.defaults ?? {};
    this.#stepTimeout = options.stepTimeoutMs ?? 60_000;
    this.#clock = options.clock ?? systemClock;
    this.#plans = options.plans ?? new InMemoryPlanRecordStore();
    this.#events = options.events;
  }

  async plan(finding: Finding, mode: Mode): Promise<RemediationPlan> {
    const f = parseFinding(finding);
    const rem = remediationFor(f.control_id);
    if (!rem) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `control ${f.control_id} has no AWS remediation`,
        details: { control_id: f.control_id },
      });
    }
    const at = parseAwsAssetUrn(f.asset.urn);
    if (at.kind !== rem.kind) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: `control ${f.control_id} remediates ${rem.kind} assets, not ${at.kind}`,
        details: { control_id: f.control_id, urn: f.asset.urn },
      });
    }
    const doc = await this.#inventory.get_config(f.asset);
    const before = doc.body;
    const planned = rem.plan(before, at, this.#defaults);
    const after = structuredClone(before);
    for (const s of planned) s.project(after);
    const blast = await blastRadius(this.#session, at, before);
    const needsApproval = rem.automation === 'approval' || planned.some((s) => s.needs_approval);
    let risk = RISK.indexOf(rem.risk);
    if (planned.some((s) => s.needs_approval)) risk = Math.max(risk, 1);
    if (blast.dependents.length > 5) risk = Math.min(2, risk + 1);
    const estimated_risk = RISK[risk] ?? 'high';
    // The id names what the plan saw and what it does: planning the same finding against the same state
    // gives the same plan (and its record, pre-states and log); a changed state gives a new plan.
    const observed = sha256Hex(canonicalJson({ before, steps: planned.map((s) => [s.op.action, s.params]) }));
    const id = uuidV5(PLAN_ID_NAMESPACE, `${f.id}|${f.control_id}|${f.asset.urn}|${mode}|${observed}`);
    const plan: RemediationPlan = parseRemediationPlan({
      id,
      finding_id: f.id,
      mode,
      steps: planned.map((s) => ({
        action: s.op.action,
        description: s.op.exactInverse
          ? s.description
          : `${s.description}. Rollback is not exact: ${s.op.inverseNote ?? ''}`,
        params: { ...s.params, asset: f.asset.urn, control_id: f.control_id },
      })),
      estimated_risk,
      change_window: null,
      approvals_required: needsApproval ? ['security-owner'] : [],
      created_at: this.#clock.now().toISOString(),
    });
    const preview: RemediationPreview = {
      plan_id: id,
      control_id: f.control_id,
      asset: f.asset.urn,
      before,
      after,
      diff: jsonDiff(before, after),
      blast_radius: blast,
      estimated_risk,
      automation: needsApproval ? 'approval' : 'auto',
      inexact_rollback: planned.flatMap((s, i) =>
        s.op.exactInverse ? [] : [{ step_index: i, note: s.op.inverseNote ?? '' }],
      ),
    };
    const previewPtr = await putJsonEvidence(this.#evidence, preview);
    // Create-only: a plan recorded before under this id (maybe applied since) is kept and returned.
    const stored = await this.#plans.create({
      plan,
      control_id: f.control_id,
      asset: f.asset.urn,
      preview: previewPtr,
    });
    // Announced once per plan id (the bus drops a repeated key), so planning again repeats nothing.
    await this.#announce('seg.plan.created', stored.plan.id, { plan: stored.plan });
    return stored.plan;
  }

  /** The dry-run preview of a plan (verified against its evidence hash); `SEG_NOT_FOUND` when it has none. */
  async preview(plan_id: string): Promise<RemediationPreview> {
    return (await readJsonEvidence(
      this.#evidence,
      await this.preview_evidence(plan_id),
    )) as RemediationPreview;
  }

  /** The evidence pointer of a plan's preview (a change-set preview blob, spec §8.1). */
  async preview_evidence(plan_id: string): Promise<EvidencePointer> {
    const rec = await this.#mustLoad(plan_id);
    if (!rec.preview) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `plan ${plan_id} was not made by this adapter: it has no preview`,
        details: { plan_id },
      });
    }
    return rec.preview;
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

  async apply(plan: RemediationPlan, change_window?: Window | null): Promise<ApplyResult> {
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
    const steps = p.steps.map((s, i) => ({ index: i, op: this.#op(s.action), ctx: this.#ctx(s.params) }));
    const results: ApplyChangeResult[] = [];
    const done: number[] = [];
    for (const s of steps) {
      let changing = false;
      try {
        const outcome = await withTimeout(this.#stepTimeout, `step ${s.index} (${s.op.action})`, async () => {
          const state = await s.op.capture(s.ctx);
          if (s.op.satisfied(state, s.ctx)) return { skipped: true as const };
          if (!pre[s.index]) {
            // The exact pre-state is durable before anything changes; the first capture of a step wins.
            pre[s.index] = await this.#plans.capturePreState(rec.plan.id, {
              step_index: s.index,
              state,
              captured_at: this.#clock.now().toISOString(),
            });
          }
          changing = true;
          return { skipped: false as const, id: await s.op.apply(s.ctx, state) };
        });
        if (outcome.skipped) {
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
          const st = steps[i] as (typeof steps)[number];
          const captured = pre[i];
          if (!captured) continue;
          try {
            await withTimeout(this.#stepTimeout, `compensation of step ${i}`, () =>
              st.op.restore(st.ctx, captured.state),
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
    await putJsonEvidence(this.#evidence, {
      kind: 'seg.aws.apply',
      result,
      pre_states: pre.map((x) => (x ? { state: x.state } : null)),
    });
    await this.#plans.append(p.id, { kind: 'apply', result });
    if (result.status === 'success') await this.#announce('seg.plan.applied', p.id, { result });
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

  async rollback(plan_id: string): Promise<RollbackResult> {
    const rec = await this.#mustLoad(plan_id);
    const started = this.#clock.now();
    const captured = new Map((await this.#plans.preStates(plan_id)).map((x) => [x.step_index, x]));
    const results: ApplyChangeResult[] = [];
    const steps = rec.plan.steps.map((s, i) => ({
      index: i,
      op: this.#op(s.action),
      ctx: this.#ctx(s.params),
    }));
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
        const out = await withTimeout(this.#stepTimeout, `rollback of step ${s.index}`, async () => {
          const current = await s.op.capture(s.ctx);
          const restored = s.op.restoredEquivalent
            ? s.op.restoredEquivalent(current, pre.state)
            : same(current, pre.state);
          if (restored) return { skipped: true as const };
          return { skipped: false as const, id: await s.op.restore(s.ctx, pre.state) };
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
    await putJsonEvidence(this.#evidence, { kind: 'seg.aws.rollback', result });
    await this.#plans.append(plan_id, { kind: 'rollback', result });
    return result;
  }

  #op(action: string): StepOp {
    const op = STEP_OPS.get(action);
    if (!op) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: `unknown remediation action ${action}`,
        details: { action },
      });
    }
    return op;
  }

  #ctx(params: Record<string, unknown>): StepContext {
    const urn = params['asset'];
    if (typeof urn !== 'string') {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'remediation step has no asset parameter',
      });
    }
    const at: AssetLocator = parseAwsAssetUrn(urn);
    return { session: this.#session, at, params };
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
