import { SegError, parseFinding } from '@neurocipher/seg-contracts';
import type { Finding, RemediationPlan, RemediationStep } from '@neurocipher/seg-contracts';
import type { PlanDraft, RemediationStepPort, StepOp } from '../remediation/remediation-steps.ts';

/** A resource's properties, as the in-memory provider keeps them. */
export type ResourceState = Record<string, unknown>;

/** How {@link InMemoryRemediationSteps} fixes one control: the properties to set on the finding's asset. */
export interface InMemoryFix {
  set: Readonly<Record<string, unknown>>;
  estimated_risk?: RemediationPlan['estimated_risk'];
  approvals_required?: readonly string[];
}

/** Options of {@link InMemoryRemediationSteps}. */
export interface InMemoryRemediationStepsOptions {
  /** The provider's resources by asset URN. */
  resources?: Readonly<Record<string, ResourceState>>;
  /** The fix of each control id. */
  fixes: Readonly<Record<string, InMemoryFix>>;
}

/** The step action this provider plans and carries out. */
export const SET_PROPERTY_ACTION = 'set_property';

/** What `set_property` captures: whether the property was there, and its value. */
interface PropertyState {
  present: boolean;
  value?: unknown;
}

interface SetProperty {
  urn: string;
  property: string;
  value: unknown;
}

// Equality of JSON-like values by their JSON text (key order matters; enough for step values).
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// The `tags` property of a resource, when it is a map of strings.
function tagsOf(state: ResourceState): Record<string, string> {
  const tags = state['tags'];
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return {};
  return Object.fromEntries(
    Object.entries(tags).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

function paramsOf(step: RemediationStep): SetProperty {
  const { urn, property, value } = step.params as Partial<SetProperty>;
  if (step.action !== SET_PROPERTY_ACTION || typeof urn !== 'string' || typeof property !== 'string')
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `unsupported step: ${step.action}`,
      details: { action: step.action },
    });
  return { urn, property, value };
}

/**
 * A {@link RemediationStepPort} over resources held in a map, for tests of the remediation workflow
 * (`RemediationService` of `@neurocipher/seg-core`) and of anything built on it. A draft has one
 * `set_property` step per property of the control's fix that the asset does not have yet (sorted by
 * name; params `urn`, `property`, `value`, `asset`). The op captures whether the property was there and
 * its value, and restores exactly that (a property that was absent is deleted again). Faults for tests:
 * {@link InMemoryRemediationSteps.fail_step} makes setting a property fail, `hang_step` makes it wait
 * until the workflow's signal aborts it, `throttle_step` fails it retryable a number of times,
 * `lose_answer` makes it change the resource and then fail retryable, and `unreachable` makes every call
 * `SEG_ADAPTER_UNAVAILABLE`.
 */
export class InMemoryRemediationSteps implements RemediationStepPort {
  readonly #resources = new Map<string, ResourceState>();
  readonly #fixes: Readonly<Record<string, InMemoryFix>>;
  readonly #failing = new Set<string>();
  readonly #hanging = new Set<string>();
  readonly #throttled = new Map<string, number>();
  readonly #lost = new Map<string, number>();
  #unreachable = false;
  #changes = 0;
  readonly #op: StepOp;

  constructor(options: InMemoryRemediationStepsOptions) {
    for (const [urn, state] of Object.entries(options.resources ?? {}))
      this.#resources.set(urn, structuredClone(state));
    this.#fixes = options.fixes;
    this.#op = this.#setProperty();
  }

  /** A copy of a resource's current state, or undefined (a test helper, not part of the port). */
  resource(urn: string): ResourceState | undefined {
    const state = this.#resources.get(urn);
    return state === undefined ? undefined : structuredClone(state);
  }

  /** Changes a resource out of band (drift, or another tool fixing it). A test helper. */
  set_resource(urn: string, state: ResourceState): void {
    this.#resources.set(urn, structuredClone(state));
  }

  /** Removes a resource, as if deleted out of band. A test helper. */
  delete_resource(urn: string): void {
    this.#resources.delete(urn);
  }

  /** Makes setting `property` on `urn` fail (`true`) or work again (`false`). A test helper. */
  fail_step(urn: string, property: string, failing = true): void {
    const key = `${urn}\n${property}`;
    if (failing) this.#failing.add(key);
    else this.#failing.delete(key);
  }

  /** Makes setting `property` on `urn` hang until the call is aborted (`true`), or not. A test helper. */
  hang_step(urn: string, property: string, hanging = true): void {
    const key = `${urn}\n${property}`;
    if (hanging) this.#hanging.add(key);
    else this.#hanging.delete(key);
  }

  /**
   * Makes the next `times` sets of `property` on `urn` fail as a throttle does (`SEG_ADAPTER_UNAVAILABLE`,
   * retryable, nothing changed). A test helper.
   */
  throttle_step(urn: string, property: string, times: number): void {
    this.#throttled.set(`${urn}\n${property}`, times);
  }

  /**
   * Makes the next `times` sets of `property` on `urn` change the resource and then fail retryable, as a
   * request whose answer was lost does. A test helper.
   */
  lose_answer(urn: string, property: string, times: number): void {
    this.#lost.set(`${urn}\n${property}`, times);
  }

  /** Makes every call fail as if the provider could not be reached (`true`), or not. A test helper. */
  unreachable(down = true): void {
    this.#unreachable = down;
  }

  async draft(finding: Finding): Promise<PlanDraft> {
    const f = parseFinding(finding);
    this.#reach();
    const fix = this.#fixes[f.control_id];
    if (fix === undefined) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `no remediation for control ${f.control_id}`,
        details: { control_id: f.control_id, finding_id: f.id },
      });
    }
    const urn = f.asset.urn;
    const before = this.#stateOf(urn);
    const after = structuredClone(before);
    const steps: RemediationStep[] = [];
    for (const property of Object.keys(fix.set).sort()) {
      const value = fix.set[property];
      after[property] = structuredClone(value);
      if (Object.hasOwn(before, property) && sameJson(before[property], value)) continue;
      steps.push({
        action: SET_PROPERTY_ACTION,
        description: `set ${property} on ${urn}`,
        params: { urn, property, value: structuredClone(value), asset: urn, control_id: f.control_id },
      });
    }
    return {
      control_id: f.control_id,
      asset: urn,
      before,
      after,
      steps,
      estimated_risk: fix.estimated_risk ?? 'low',
      approvals_required: [...(fix.approvals_required ?? [])],
      blast_radius: { scope: 'resource', dependents: [] },
      asset_tags: tagsOf(before),
    };
  }

  op(action: string): StepOp {
    if (action !== SET_PROPERTY_ACTION)
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: `unknown remediation action ${action}`,
        details: { action },
      });
    return this.#op;
  }

  async live(asset: string): Promise<Record<string, unknown>> {
    this.#reach();
    return this.#stateOf(asset);
  }

  #reach(): void {
    if (this.#unreachable)
      throw new SegError({
        error_code: 'SEG_ADAPTER_UNAVAILABLE',
        message: 'the in-memory provider is unreachable',
        retryable: true,
      });
  }

  // Whether a fault armed `times` times still fires for `key` (and one fewer remains).
  #countDown(faults: Map<string, number>, key: string): boolean {
    const left = faults.get(key) ?? 0;
    if (left <= 0) return false;
    faults.set(key, left - 1);
    return true;
  }

  #transient(why: string): SegError {
    return new SegError({ error_code: 'SEG_ADAPTER_UNAVAILABLE', message: why, retryable: true });
  }

  #stateOf(urn: string): ResourceState {
    const state = this.#resources.get(urn);
    if (state === undefined)
      throw new SegError({ error_code: 'SEG_NOT_FOUND', message: `no resource ${urn}`, details: { urn } });
    return structuredClone(state);
  }

  #setProperty(): StepOp {
    return {
      action: SET_PROPERTY_ACTION,
      exactInverse: true,
      capture: async (step) => {
        this.#reach();
        const { urn, property } = paramsOf(step);
        const state = this.#stateOf(urn);
        return Object.hasOwn(state, property)
          ? { present: true, value: structuredClone(state[property]) }
          : { present: false };
      },
      satisfied: (state, step) => {
        const pre = state as PropertyState;
        return pre.present && sameJson(pre.value, paramsOf(step).value);
      },
      apply: async (step, _pre, signal) => {
        this.#reach();
        const { urn, property, value } = paramsOf(step);
        const key = `${urn}\n${property}`;
        if (this.#hanging.has(key))
          await new Promise<never>((_, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
          });
        if (this.#failing.has(key)) throw new Error(`the provider refused to set ${property}`);
        if (this.#countDown(this.#throttled, key)) throw this.#transient('throttled');
        const state = this.#resources.get(urn);
        if (state === undefined) throw new Error(`no resource ${urn}`);
        state[property] = structuredClone(value);
        this.#changes += 1;
        if (this.#countDown(this.#lost, key)) throw this.#transient('the answer was lost');
        return `change-${this.#changes}`;
      },
      restore: async (step, pre) => {
        this.#reach();
        const { urn, property } = paramsOf(step);
        const state = this.#resources.get(urn);
        if (state === undefined) throw new Error(`the resource ${urn} no longer exists`);
        const captured = pre as PropertyState;
        if (captured.present) state[property] = structuredClone(captured.value);
        else delete state[property];
        this.#changes += 1;
        return `change-${this.#changes}`;
      },
    };
  }
}
