import {
  assertPlanId,
  unknownPlan,
  type PlanEvent,
  type PlanRecord,
  type PlanRecordStore,
  type PreStateRecord,
} from './plan-record-store.ts';

interface Entry {
  record: PlanRecord;
  pre: Map<number, PreStateRecord>;
  events: PlanEvent[];
}

/**
 * {@link PlanRecordStore} in memory: the default of the remediation workflow, so plans live as long as the
 * process. Same create-only, first-capture-wins and append-only rules as the durable
 * {@link BlobPlanRecordStore}; values are copied in and out.
 */
export class InMemoryPlanRecordStore implements PlanRecordStore {
  readonly #plans = new Map<string, Entry>();

  async create(record: PlanRecord): Promise<PlanRecord> {
    assertPlanId(record.plan.id);
    const existing = this.#plans.get(record.plan.id);
    if (existing) return structuredClone(existing.record);
    this.#plans.set(record.plan.id, { record: structuredClone(record), pre: new Map(), events: [] });
    return structuredClone(record);
  }

  async get(plan_id: string): Promise<PlanRecord | null> {
    assertPlanId(plan_id);
    const entry = this.#plans.get(plan_id);
    return entry ? structuredClone(entry.record) : null;
  }

  async capturePreState(plan_id: string, pre: PreStateRecord): Promise<PreStateRecord> {
    const entry = this.#entry(plan_id);
    const existing = entry.pre.get(pre.step_index);
    if (existing) return structuredClone(existing);
    entry.pre.set(pre.step_index, structuredClone(pre));
    return structuredClone(pre);
  }

  async preStates(plan_id: string): Promise<PreStateRecord[]> {
    assertPlanId(plan_id);
    const entry = this.#plans.get(plan_id);
    if (!entry) return [];
    return [...entry.pre.values()].sort((a, b) => a.step_index - b.step_index).map((p) => structuredClone(p));
  }

  async append(plan_id: string, event: PlanEvent): Promise<void> {
    this.#entry(plan_id).events.push(structuredClone(event));
  }

  async events(plan_id: string): Promise<PlanEvent[]> {
    assertPlanId(plan_id);
    return structuredClone(this.#plans.get(plan_id)?.events ?? []);
  }

  #entry(plan_id: string): Entry {
    assertPlanId(plan_id);
    const entry = this.#plans.get(plan_id);
    if (!entry) throw unknownPlan(plan_id);
    return entry;
  }
}
