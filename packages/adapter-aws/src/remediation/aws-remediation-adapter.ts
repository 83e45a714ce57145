import { createHash } from 'node:crypto';
import {
  SegError,
  isSegError,
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
import {
  systemClock,
  type BlobStore,
  type Clock,
  type InventoryPort,
  type RemediationPort,
} from '@neurocipher/seg-ports';
import { EvidenceRecorder, canonicalBytes } from '../evidence/evidence-recorder.ts';
import { withAbortSignal } from '../provider/aws-call.ts';
import { parseAwsAssetUrn } from '../inventory/asset-urn.ts';
import type { AssetLocator } from '../inventory/collector.ts';
import type { AwsSession } from '../provider/aws-session.ts';
import { blastRadius, type BlastRadius } from './blast-radius.ts';
import { STEP_OPS, remediationFor, type RemediationDefaults } from './control-remediations.ts';
import { jsonDiff, type DiffEntry } from './json-diff.ts';
import type { StepContext, StepOp } from './step-op.ts';

/** Options of {@link AwsRemediationAdapter}. */
export interface AwsRemediationAdapterOptions {
  session: AwsSession;
  /** Reads the normalized config a plan starts from (the AWS inventory adapter). */
  inventory: InventoryPort;
  /** Where previews, captured pre-states and plan records go. */
  evidence: BlobStore;
  defaults?: RemediationDefaults;
  /** Timeout of one step (capture + change), in ms; default 60,000. */
  stepTimeoutMs?: number;
  clock?: Clock;
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

interface PlanRecord {
  plan: RemediationPlan;
  control_id: string;
  urn: string;
  preview: EvidencePointer;
  /** Per step: the state captured just before the step first changed anything (absent until then). */
  pre: ({ state: unknown } | null)[];
}

const PLAN_PREFIX = 'remediation/plans';

/** A UUID (version 5 layout) derived from a name: the same finding gives the same plan id. */
function nameUuid(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const RISK = ['low', 'medium', 'high'] as const;

function same(a: unknown, b: unknown): boolean {
  return Buffer.from(canonicalBytes(a ?? null)).equals(Buffer.from(canonicalBytes(b ?? null)));
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
 */
export class AwsRemediationAdapter implements RemediationPort {
  readonly #session: AwsSession;
  readonly #inventory: InventoryPort;
  readonly #store: BlobStore;
  readonly #evidence: EvidenceRecorder;
  readonly #defaults: RemediationDefaults;
  readonly #stepTimeout: number;
  readonly #clock: Clock;
  readonly #plans = new Map<string, PlanRecord>();

  constructor(options: AwsRemediationAdapterOptions) {
    this.#session = options.session;
    this.#inventory = options.inventory;
    this.#store = options.evidence;
    this.#evidence = new EvidenceRecorder({ store: options.evidence });
    this.#defaults = options.defaults ?? {};
    this.#stepTimeout = options.stepTimeoutMs ?? 60_000;
    this.#clock = options.clock ?? systemClock;
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
    const id = nameUuid(`seg.aws.plan|${f.id}|${f.control_id}|${f.asset.urn}|${mode}`);
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
    const previewPtr = await this.#evidence.put(preview);
    const existing = await this.#load(id);
    // Re-planning an applied plan keeps its captured pre-states (rollback must still restore them).
    const rec: PlanRecord = {
      plan,
      control_id: f.control_id,
      urn: f.asset.urn,
      preview: previewPtr,
      pre: existing?.pre ?? planned.map(() => null),
    };
    await this.#save(rec);
    return plan;
  }

  /** The dry-run preview of a plan (verified against its evidence hash). */
  async preview(plan_id: string): Promise<RemediationPreview> {
    const rec = await this.#mustLoad(plan_id);
    return (await this.#evidence.read(rec.preview)) as RemediationPreview;
  }

  /** The evidence pointer of a plan's preview (a change-set preview blob, spec §8.1). */
  async preview_evidence(plan_id: string): Promise<EvidencePointer> {
    return (await this.#mustLoad(plan_id)).preview;
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
    const rec = (await this.#load(p.id)) ?? {
      plan: p,
      control_id: '',
      urn: '',
      preview: { hash: '0'.repeat(64), media_type: 'application/json' },
      pre: p.steps.map(() => null),
    };
    const steps = p.steps.map((s, i) => ({ index: i, op: this.#op(s.action), ctx: this.#ctx(s.params) }));
    const results: ApplyChangeResult[] = [];
    const done: number[] = [];
    for (const s of steps) {
      let changing = false;
      try {
        const outcome = await withTimeout(this.#stepTimeout, `step ${s.index} (${s.op.action})`, async () => {
          const state = await s.op.capture(s.ctx);
          if (s.op.satisfied(state, s.ctx)) return { skipped: true as const };
          if (!rec.pre[s.index]) {
            rec.pre[s.index] = { state };
            await this.#save(rec); // the exact pre-state is durable before anything changes
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
          const pre = rec.pre[i];
          if (!pre) continue;
          try {
            await withTimeout(this.#stepTimeout, `compensation of step ${i}`, () =>
              st.op.restore(st.ctx, pre.state),
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
    await this.#save(rec);
    const failed = results.some((r) => r.status === 'failed');
    const anyChange = results.some((r) => r.status === 'compensated' || r.status === 'success');
    const result: ApplyResult = {
      plan_id: p.id,
      status: !failed ? 'success' : anyChange ? 'partial' : 'failed',
      results,
      started_at: started.toISOString(),
      ended_at: this.#clock.now().toISOString(),
    };
    await this.#evidence.put({ kind: 'seg.aws.apply', result, pre_states: rec.pre });
    return result;
  }

  async rollback(plan_id: string): Promise<RollbackResult> {
    const rec = await this.#mustLoad(plan_id);
    const started = this.#clock.now();
    const results: ApplyChangeResult[] = [];
    const steps = rec.plan.steps.map((s, i) => ({
      index: i,
      op: this.#op(s.action),
      ctx: this.#ctx(s.params),
    }));
    for (const s of [...steps].reverse()) {
      const pre = rec.pre[s.index];
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
    await this.#evidence.put({ kind: 'seg.aws.rollback', result });
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

  async #save(rec: PlanRecord): Promise<void> {
    this.#plans.set(rec.plan.id, rec);
    await this.#store.put(`${PLAN_PREFIX}/${rec.plan.id}.json`, canonicalBytes(rec), {
      content_type: 'application/json',
    });
  }

  async #load(id: string): Promise<PlanRecord | undefined> {
    const mem = this.#plans.get(id);
    if (mem) return mem;
    const key = `${PLAN_PREFIX}/${id}.json`;
    if (!(await this.#store.exists(key))) return undefined;
    const rec = JSON.parse(new TextDecoder().decode(await this.#store.get(key))) as PlanRecord;
    this.#plans.set(id, rec);
    return rec;
  }

  async #mustLoad(id: string): Promise<PlanRecord> {
    const rec = await this.#load(id);
    if (!rec)
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `unknown plan ${id}`,
        details: { plan_id: id },
      });
    return rec;
  }
}
