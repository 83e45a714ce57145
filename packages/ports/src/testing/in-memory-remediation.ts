import { SegError, parseFinding, parseRemediationPlan, parseWindow } from '@neurocipher/seg-contracts';
import type {
  ApplyChangeResult,
  ApplyResult,
  Finding,
  Mode,
  RemediationPlan,
  RemediationStep,
  RollbackResult,
  Window,
} from '@neurocipher/seg-contracts';
import type { RemediationPort } from '../remediation/remediation-port.ts';
import { systemClock } from '../time/clock.ts';
import type { Clock } from '../time/clock.ts';
import { uuidV5 } from '../digest/uuid-v5.ts';

/** A resource's properties, as the in-memory provider keeps them. */
export type ResourceState = Record<string, unknown>;

/** How {@link InMemoryRemediation} fixes one control: the properties to set on the finding's asset. */
export interface InMemoryFix {
  set: Readonly<Record<string, unknown>>;
  estimated_risk?: RemediationPlan['estimated_risk'];
  approvals_required?: readonly string[];
}

/** Options of {@link InMemoryRemediation}. */
export interface InMemoryRemediationOptions {
  /** The provider's resources by asset URN. */
  resources?: Readonly<Record<string, ResourceState>>;
  /** The fix of each control id. */
  fixes: Readonly<Record<string, InMemoryFix>>;
  clock?: Clock;
}

/** The step action this implementation plans and applies. */
export const SET_PROPERTY_ACTION = 'set_property';

// Marks a property that did not exist before a step set it, so rollback deletes it.
const PRE_STATE_ABSENT = Symbol('absent');

interface Capture {
  urn: string;
  property: string;
  before: unknown;
}

/**
 * A {@link RemediationPort} over resources held in a map. A plan has one `set_property` step per property
 * of the control's fix (sorted by name; params `urn`, `property`, `value`), its id is the UUIDv5 of the
 * finding id and the mode, so the same finding plans the same steps and id.
 *
 * `apply` of an `apply`-mode plan runs the steps in order: a step whose property already has the value is
 * `skipped` (so a second apply skips every step), otherwise the exact pre-state is captured and the value
 * set. A step made to fail with {@link InMemoryRemediation.fail_step} fails; the steps already done are
 * restored and reported `compensated`, later steps are `skipped`, and the result is `partial` (`failed`
 * when nothing had changed). A `plan`-mode plan is a dry run: every step `skipped`, nothing changed.
 * `rollback` restores what was captured and forgets it, so a second rollback skips every step.
 */
export class InMemoryRemediation implements RemediationPort {
  readonly #resources = new Map<string, ResourceState>();
  readonly #fixes: Readonly<Record<string, InMemoryFix>>;
  readonly #clock: Clock;
  readonly #plans = new Map<string, RemediationPlan>();
  readonly #captures = new Map<string, Map<number, Capture>>();
  readonly #approvals = new Map<string, Set<string>>();
  readonly #failing = new Set<string>();
  #changes = 0;

  constructor(options: InMemoryRemediationOptions) {
    for (const [urn, state] of Object.entries(options.resources ?? {}))
      this.#resources.set(urn, structuredClone(state));
    this.#fixes = options.fixes;
    this.#clock = options.clock ?? systemClock;
  }

  /** A copy of a resource's current state, or undefined (a test helper, not part of the port). */
  resource(urn: string): ResourceState | undefined {
    const state = this.#resources.get(urn);
    return state === undefined ? undefined : structuredClone(state);
  }

  /** Makes setting `property` on `urn` fail (`true`) or work again (`false`). A test helper. */
  fail_step(urn: string, property: string, failing = true): void {
    const key = `${urn}\n${property}`;
    if (failing) this.#failing.add(key);
    else this.#failing.delete(key);
  }

  /** Records `approver`'s approval of a plan (a test helper; production approvals come from the API). */
  approve(plan_id: string, approver: string): void {
    const approvers = this.#approvals.get(plan_id) ?? new Set<string>();
    approvers.add(approver);
    this.#approvals.set(plan_id, approvers);
  }

  async plan(finding: Finding, mode: Mode): Promise<RemediationPlan> {
    const parsed = parseFinding(finding);
    const fix = this.#fixes[parsed.control_id];
    if (fix === undefined) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `no remediation for control ${parsed.control_id}`,
        details: { control_id: parsed.control_id, finding_id: parsed.id },
      });
    }
    const steps: RemediationStep[] = Object.keys(fix.set)
      .sort()
      .map((property) => ({
        action: SET_PROPERTY_ACTION,
        description: `set ${property} on ${parsed.asset.urn}`,
        params: { urn: parsed.asset.urn, property, value: structuredClone(fix.set[property]) },
      }));
    const plan = parseRemediationPlan({
      id: uuidV5(parsed.id, mode),
      finding_id: parsed.id,
      mode,
      steps,
      estimated_risk: fix.estimated_risk ?? 'low',
      change_window: null,
      approvals_required: [...(fix.approvals_required ?? [])],
      created_at: this.#clock.now().toISOString(),
    });
    this.#plans.set(plan.id, plan);
    return structuredClone(plan);
  }

  async apply(plan: RemediationPlan, change_window?: Window | null): Promise<ApplyResult> {
    const parsed = parseRemediationPlan(plan);
    const startedAt = this.#clock.now();
    if (change_window !== undefined && change_window !== null) {
      const window = parseWindow(change_window);
      const now = startedAt.getTime();
      if (now < Date.parse(window.start) || now >= Date.parse(window.end)) {
        throw new SegError({
          error_code: 'SEG_INVALID_ARGUMENT',
          message: 'outside the change window',
          details: { plan_id: parsed.id, now: startedAt.toISOString(), window },
        });
      }
    }
    const approvers = this.#approvals.get(parsed.id) ?? new Set<string>();
    const missing = parsed.approvals_required.filter((approver) => !approvers.has(approver));
    if (missing.length > 0) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'the plan lacks approvals',
        details: { plan_id: parsed.id, missing },
      });
    }
    this.#plans.set(parsed.id, parsed);
    const results: ApplyChangeResult[] = [];
    if (parsed.mode === 'plan') {
      for (const [index, step] of parsed.steps.entries()) {
        results.push({ step_index: index, status: 'skipped', message: `dry run: would ${step.description}` });
      }
      return this.#result(parsed.id, 'success', results, startedAt);
    }
    const captures = this.#captures.get(parsed.id) ?? new Map<number, Capture>();
    this.#captures.set(parsed.id, captures);
    const done: number[] = [];
    let failedAt = -1;
    for (const [index, step] of parsed.steps.entries()) {
      const outcome = this.#applyStep(step);
      if (outcome.status === 'failed') {
        results.push({ step_index: index, status: 'failed', message: outcome.message });
        failedAt = index;
        break;
      }
      if (outcome.status === 'skipped') {
        results.push({ step_index: index, status: 'skipped', message: 'already in the desired state' });
        continue;
      }
      captures.set(index, outcome.capture);
      done.push(index);
      results.push({ step_index: index, status: 'success', provider_change_id: outcome.change_id });
    }
    if (failedAt < 0) return this.#result(parsed.id, 'success', results, startedAt);
    for (const index of done.reverse()) {
      const capture = captures.get(index) as Capture;
      this.#restore(capture);
      captures.delete(index);
      results[index] = {
        ...(results[index] as ApplyChangeResult),
        status: 'compensated',
        message: 'restored after a later step failed',
      };
    }
    for (let index = failedAt + 1; index < parsed.steps.length; index += 1) {
      results.push({ step_index: index, status: 'skipped', message: 'not run: an earlier step failed' });
    }
    return this.#result(parsed.id, done.length > 0 ? 'partial' : 'failed', results, startedAt);
  }

  async rollback(plan_id: string): Promise<RollbackResult> {
    const plan = this.#plans.get(plan_id);
    if (plan === undefined) {
      throw new SegError({ error_code: 'SEG_NOT_FOUND', message: 'unknown plan', details: { plan_id } });
    }
    const startedAt = this.#clock.now();
    const captures = this.#captures.get(plan_id) ?? new Map<number, Capture>();
    const results: ApplyChangeResult[] = [];
    for (let index = plan.steps.length - 1; index >= 0; index -= 1) {
      const capture = captures.get(index);
      if (capture === undefined) {
        results.push({ step_index: index, status: 'skipped', message: 'nothing to restore' });
        continue;
      }
      if (!this.#resources.has(capture.urn)) {
        results.push({ step_index: index, status: 'failed', message: 'the resource no longer exists' });
        continue;
      }
      this.#restore(capture);
      captures.delete(index);
      results.push({ step_index: index, status: 'success', message: 'pre-state restored' });
    }
    results.reverse();
    const failed = results.filter((r) => r.status === 'failed').length;
    const succeeded = results.filter((r) => r.status === 'success').length;
    const status = failed === 0 ? 'success' : succeeded > 0 ? 'partial' : 'failed';
    return this.#result(plan_id, status, results, startedAt);
  }

  /** Removes a resource, as if deleted out of band (a test helper, not part of the port). */
  delete_resource(urn: string): void {
    this.#resources.delete(urn);
  }

  #applyStep(
    step: RemediationStep,
  ):
    | { status: 'failed'; message: string }
    | { status: 'skipped' }
    | { status: 'success'; capture: Capture; change_id: string } {
    const { urn, property, value } = step.params as { urn?: unknown; property?: unknown; value?: unknown };
    if (step.action !== SET_PROPERTY_ACTION || typeof urn !== 'string' || typeof property !== 'string') {
      return { status: 'failed', message: `unsupported step: ${step.action}` };
    }
    const state = this.#resources.get(urn);
    if (state === undefined) return { status: 'failed', message: `no resource ${urn}` };
    if (this.#failing.has(`${urn}\n${property}`))
      return { status: 'failed', message: `provider refused to set ${property}` };
    if (Object.hasOwn(state, property) && sameJson(state[property], value)) return { status: 'skipped' };
    const capture: Capture = {
      urn,
      property,
      before: Object.hasOwn(state, property) ? structuredClone(state[property]) : PRE_STATE_ABSENT,
    };
    state[property] = structuredClone(value);
    this.#changes += 1;
    return { status: 'success', capture, change_id: `change-${this.#changes}` };
  }

  #restore(capture: Capture): void {
    const state = this.#resources.get(capture.urn);
    if (state === undefined) return;
    if (capture.before === PRE_STATE_ABSENT) delete state[capture.property];
    else state[capture.property] = structuredClone(capture.before);
  }

  #result(
    plan_id: string,
    status: ApplyResult['status'],
    results: ApplyChangeResult[],
    startedAt: Date,
  ): ApplyResult {
    return {
      plan_id,
      status,
      results,
      started_at: startedAt.toISOString(),
      ended_at: this.#clock.now().toISOString(),
    };
  }
}

// Equality of JSON-like values by their JSON text (key order matters; enough for step values).
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
