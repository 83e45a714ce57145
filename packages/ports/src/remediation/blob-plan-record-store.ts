import { SegError, isSegError } from '@neurocipher/seg-contracts';
import type { BlobStore } from '../storage/blob-store.ts';
import {
  assertPlanId,
  parsePlanEvent,
  parsePlanRecord,
  parsePreStateRecord,
  unknownPlan,
  type PlanEvent,
  type PlanRecord,
  type PlanRecordStore,
  type PreStateRecord,
} from './plan-record-store.ts';

/** Options of {@link BlobPlanRecordStore}. */
export interface BlobPlanRecordStoreOptions {
  /** Any BlobStore whose `put` honours `if_absent` (the local directory store, S3). */
  store: BlobStore;
  /** Key prefix of the records; default `plans`. */
  prefix?: string;
}

const CONTENT_TYPE = 'application/json';
// Appends that lose a race to another writer move to the next sequence number, at most this many times.
const MAX_APPEND_ATTEMPTS = 64;

function isConflict(err: unknown): boolean {
  return isSegError(err) && err.error_code === 'SEG_CONFLICT';
}

/**
 * Durable {@link PlanRecordStore} over the BlobStore port, so plans survive the process that made them
 * (the CLI keeps them under `.seg/blobs/plans/`). Keys, all written create-only (`if_absent`) as JSON:
 *
 * - `<prefix>/<plan_id>.json`: the plan record;
 * - `<prefix>/<plan_id>/pre-states/<step, 4 digits>.json`: one captured pre-state per step;
 * - `<prefix>/<plan_id>/events/<sequence, 6 digits>.json`: the apply/rollback log.
 *
 * Nothing is ever replaced, so two processes racing on one plan cannot lose a record: the loser of a
 * create or capture reads the winner's, and an append that collides takes the next sequence number.
 */
export class BlobPlanRecordStore implements PlanRecordStore {
  readonly #store: BlobStore;
  readonly #prefix: string;

  constructor(options: BlobPlanRecordStoreOptions) {
    this.#store = options.store;
    this.#prefix = (options.prefix ?? 'plans').replace(/\/+$/, '');
  }

  async create(record: PlanRecord): Promise<PlanRecord> {
    assertPlanId(record.plan.id);
    const parsed = parsePlanRecord(record);
    try {
      await this.#put(this.#recordKey(parsed.plan.id), parsed);
      return parsed;
    } catch (err) {
      if (!isConflict(err)) throw err;
      const existing = await this.get(parsed.plan.id);
      if (!existing) throw err;
      return existing;
    }
  }

  async get(plan_id: string): Promise<PlanRecord | null> {
    assertPlanId(plan_id);
    const key = this.#recordKey(plan_id);
    if (!(await this.#store.exists(key))) return null;
    return parsePlanRecord(await this.#read(key, 'plan record'));
  }

  async capturePreState(plan_id: string, pre: PreStateRecord): Promise<PreStateRecord> {
    await this.#mustExist(plan_id);
    const parsed = parsePreStateRecord(pre);
    const key = `${this.#base(plan_id)}/pre-states/${String(parsed.step_index).padStart(4, '0')}.json`;
    try {
      await this.#put(key, parsed);
      return parsed;
    } catch (err) {
      if (!isConflict(err)) throw err;
      return parsePreStateRecord(await this.#read(key, 'pre-state'));
    }
  }

  async preStates(plan_id: string): Promise<PreStateRecord[]> {
    assertPlanId(plan_id);
    const keys = await this.#keys(`${this.#base(plan_id)}/pre-states/`);
    const out: PreStateRecord[] = [];
    for (const key of keys) out.push(parsePreStateRecord(await this.#read(key, 'pre-state')));
    return out.sort((a, b) => a.step_index - b.step_index);
  }

  async append(plan_id: string, event: PlanEvent): Promise<void> {
    await this.#mustExist(plan_id);
    const parsed = parsePlanEvent(event);
    const prefix = `${this.#base(plan_id)}/events/`;
    let seq = (await this.#keys(prefix)).length;
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++, seq++) {
      try {
        await this.#put(`${prefix}${String(seq).padStart(6, '0')}.json`, parsed);
        return;
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }
    throw new SegError({
      error_code: 'SEG_CONFLICT',
      message: `could not append to the log of plan ${plan_id}: other writers kept winning`,
      retryable: true,
      details: { plan_id },
    });
  }

  async events(plan_id: string): Promise<PlanEvent[]> {
    assertPlanId(plan_id);
    const out: PlanEvent[] = [];
    for (const key of await this.#keys(`${this.#base(plan_id)}/events/`)) {
      out.push(parsePlanEvent(await this.#read(key, 'plan event')));
    }
    return out;
  }

  #base(plan_id: string): string {
    return `${this.#prefix}/${plan_id.toLowerCase()}`;
  }

  #recordKey(plan_id: string): string {
    return `${this.#base(plan_id)}.json`;
  }

  async #mustExist(plan_id: string): Promise<void> {
    assertPlanId(plan_id);
    if (!(await this.#store.exists(this.#recordKey(plan_id)))) throw unknownPlan(plan_id);
  }

  async #put(key: string, value: unknown): Promise<void> {
    await this.#store.put(key, new TextEncoder().encode(JSON.stringify(value)), {
      content_type: CONTENT_TYPE,
      if_absent: true,
    });
  }

  async #read(key: string, what: string): Promise<unknown> {
    const bytes = await this.#store.get(key);
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    } catch (cause) {
      throw new SegError({
        error_code: 'SEG_SCHEMA_VIOLATION',
        message: `stored ${what} is not JSON`,
        details: { key },
        cause,
      });
    }
  }

  // Every key under a prefix, following the store's pages.
  async #keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.#store.list(prefix, { cursor, limit: 1000 });
      keys.push(...page.keys.filter((k) => k.endsWith('.json')));
      cursor = page.next_cursor ?? null;
    } while (cursor !== null);
    return keys.sort();
  }
}
