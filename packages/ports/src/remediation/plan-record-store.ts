import {
  SegError,
  parseApplyResult,
  parseEvidencePointer,
  parseRemediationPlan,
  parseRollbackResult,
  type ApplyResult,
  type EvidencePointer,
  type RemediationPlan,
  type RollbackResult,
} from '@neurocipher/seg-contracts';
import type { PortId } from '../ids/port-id.ts';

/**
 * What the remediation adapter records about a plan when it is made (or first applied): the plan itself,
 * the control and asset it remediates, and the pointer of its dry-run preview. Never credentials: only
 * the plan, its step parameters and evidence pointers.
 */
export interface PlanRecord {
  plan: RemediationPlan;
  control_id: string;
  /** URN of the asset the plan changes. */
  asset: string;
  /** Evidence pointer of the dry-run preview; `null` for a plan first seen by `apply` (made elsewhere). */
  preview: EvidencePointer | null;
}

/**
 * The exact provider state one step changes, captured just before the step first changed anything (the
 * state rollback restores). Provider configuration only (policies, statuses, attachments), never secrets.
 */
export interface PreStateRecord {
  step_index: number;
  state: unknown;
  captured_at: string;
}

/**
 * One approval of a plan: who (the approver's identity), in which role, when, why, and the digest of the
 * exact plan approved (an approval of another version of a plan does not count for this one).
 */
export interface PlanApproval {
  approver: string;
  role: string;
  approved_at: string;
  justification: string | null;
  /** sha256 hex of the plan's RFC 8785 JSON. */
  plan_digest: string;
}

/** One approval, apply or rollback of a plan, appended to the plan's log in the order they happened. */
export type PlanEvent =
  | { kind: 'approval'; approval: PlanApproval }
  | { kind: 'apply'; result: ApplyResult }
  | { kind: 'rollback'; result: RollbackResult };

/**
 * Where the remediation workflow keeps plans, their captured pre-states and their apply/rollback log,
 * so that a plan made by one process can be applied and rolled back by another. Every record is written
 * once and never replaced: the first plan record of an id wins, the first pre-state captured for a step
 * wins (a second apply or a concurrent one cannot overwrite what rollback must restore), and events are
 * only appended.
 *
 * Errors are `SegError`: `SEG_INVALID_ARGUMENT` for a plan id that is not a UUID, `SEG_SCHEMA_VIOLATION`
 * for a stored record that does not parse, and whatever the backing store raises
 * (`SEG_EVIDENCE_WRITE_FAILED`, `SEG_ADAPTER_UNAVAILABLE`, both retryable).
 */
export interface PlanRecordStore {
  /**
   * Records a plan. Create-only and idempotent: when a record of the same plan id exists, nothing is
   * written and the stored record is returned.
   */
  create(record: PlanRecord): Promise<PlanRecord>;
  /** The record of a plan, or `null` when there is none. */
  get(plan_id: string): Promise<PlanRecord | null>;
  /**
   * Records the pre-state of one step. The first capture of a step wins: when one exists, nothing is
   * written and the stored capture is returned (use it, not the argument).
   */
  capturePreState(plan_id: string, pre: PreStateRecord): Promise<PreStateRecord>;
  /** The captured pre-states of a plan, by step index (steps never changed are absent). */
  preStates(plan_id: string): Promise<PreStateRecord[]>;
  /** Appends an apply or rollback outcome to the plan's log (append-only). */
  append(plan_id: string, event: PlanEvent): Promise<void>;
  /** The plan's log, oldest first. */
  events(plan_id: string): Promise<PlanEvent[]>;
}

/** Inversion-of-control id of {@link PlanRecordStore}. */
export const PlanRecordStoreId: PortId<PlanRecordStore> = Symbol.for('seg.ports.PlanRecordStore');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Throws `SEG_INVALID_ARGUMENT` unless `plan_id` is a UUID (plan ids are, and they become storage keys). */
export function assertPlanId(plan_id: string): void {
  if (typeof plan_id !== 'string' || !UUID.test(plan_id)) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `plan id ${JSON.stringify(String(plan_id)).slice(0, 80)} is not a UUID`,
      details: { plan_id: String(plan_id).slice(0, 80) },
    });
  }
}

/** The `SEG_NOT_FOUND` of a plan id with no record. */
export function unknownPlan(plan_id: string): SegError {
  return new SegError({
    error_code: 'SEG_NOT_FOUND',
    message: `unknown plan ${plan_id}`,
    details: { plan_id },
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function malformed(what: string, cause?: unknown): SegError {
  return new SegError({
    error_code: 'SEG_SCHEMA_VIOLATION',
    message: `stored ${what} is malformed`,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Validates a stored {@link PlanRecord}; `SEG_SCHEMA_VIOLATION` when it is not one. */
export function parsePlanRecord(value: unknown): PlanRecord {
  if (!isObject(value) || typeof value['control_id'] !== 'string' || typeof value['asset'] !== 'string') {
    throw malformed('plan record');
  }
  return {
    plan: parseRemediationPlan(value['plan']),
    control_id: value['control_id'],
    asset: value['asset'],
    preview: value['preview'] === null ? null : parseEvidencePointer(value['preview']),
  };
}

/** Validates a stored {@link PreStateRecord}; `SEG_SCHEMA_VIOLATION` when it is not one. */
export function parsePreStateRecord(value: unknown): PreStateRecord {
  if (
    !isObject(value) ||
    !Number.isInteger(value['step_index']) ||
    (value['step_index'] as number) < 0 ||
    typeof value['captured_at'] !== 'string' ||
    !('state' in value)
  ) {
    throw malformed('pre-state');
  }
  return {
    step_index: value['step_index'] as number,
    state: value['state'],
    captured_at: value['captured_at'],
  };
}

/** Validates a stored {@link PlanEvent}; `SEG_SCHEMA_VIOLATION` when it is not one. */
export function parsePlanEvent(value: unknown): PlanEvent {
  if (isObject(value) && value['kind'] === 'apply') {
    return { kind: 'apply', result: parseApplyResult(value['result']) };
  }
  if (isObject(value) && value['kind'] === 'rollback') {
    return { kind: 'rollback', result: parseRollbackResult(value['result']) };
  }
  if (isObject(value) && value['kind'] === 'approval' && isObject(value['approval'])) {
    const a = value['approval'];
    const text = (k: string) => typeof a[k] === 'string' && (a[k] as string).length > 0;
    if (
      text('approver') &&
      text('role') &&
      text('approved_at') &&
      typeof a['plan_digest'] === 'string' &&
      /^[0-9a-f]{64}$/.test(a['plan_digest']) &&
      (a['justification'] === null || typeof a['justification'] === 'string')
    ) {
      return {
        kind: 'approval',
        approval: {
          approver: a['approver'] as string,
          role: a['role'] as string,
          approved_at: a['approved_at'] as string,
          justification: a['justification'] as string | null,
          plan_digest: a['plan_digest'],
        },
      };
    }
  }
  throw malformed('plan event');
}
