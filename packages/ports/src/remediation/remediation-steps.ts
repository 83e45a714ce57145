import type { Finding, RemediationPlan, RemediationStep } from '@neurocipher/seg-contracts';
import type { PortId } from '../ids/port-id.ts';

/**
 * One kind of remediation step, as a provider carries it out (spec §15): `capture` reads the exact
 * provider state the step changes (kept as its pre-state), `satisfied` says whether that state already is
 * what the step wants (then the step is skipped), `apply` changes it and returns the provider's change id
 * (the mutating request's id), and `restore` puts a captured pre-state back. Every call gets the step
 * (its `params` name the asset) and a signal that aborts it when the workflow's step timeout passes: an
 * aborted call must not go on changing anything.
 *
 * Errors are `SegError`s: `SEG_ADAPTER_UNAVAILABLE` or `SEG_ADAPTER_TIMEOUT` (retryable) when the
 * provider cannot be reached, `SEG_INVALID_ARGUMENT` for parameters the step cannot use.
 */
export interface StepOp {
  /** The `RemediationStep.action` it carries out (`s3:PutBucketPolicy`). */
  readonly action: string;
  /** False where the provider has no exact inverse; `inverseNote` then says what rollback does instead. */
  readonly exactInverse: boolean;
  readonly inverseNote?: string | undefined;
  capture(step: RemediationStep, signal: AbortSignal): Promise<unknown>;
  satisfied(state: unknown, step: RemediationStep): boolean;
  apply(step: RemediationStep, pre: unknown, signal: AbortSignal): Promise<string | undefined>;
  restore(step: RemediationStep, pre: unknown, signal: AbortSignal): Promise<string | undefined>;
  /**
   * For ops without an exact inverse: whether `current` is what `restore(pre)` leaves (so a second
   * rollback is skipped). Exact ops compare `current` with `pre` as canonical JSON.
   */
  restoredEquivalent?(current: unknown, pre: unknown): boolean;
}

/** One thing a change can affect. */
export interface Dependent {
  type: string;
  id: string;
  relation: string;
}

/** What depends on the resource a plan changes (spec §15 "blast radius estimate"). */
export interface BlastRadius {
  /** `resource`: one resource and what uses it; `account`/`region`: a setting for everything there. */
  scope: 'resource' | 'region' | 'account';
  dependents: Dependent[];
}

/** What a provider plans for one finding, before the workflow names and records the plan. */
export interface PlanDraft {
  control_id: string;
  /** URN of the asset the plan changes. */
  asset: string;
  /** The normalized config the plan starts from, and what it becomes once every step has run. */
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  /** The steps (each one's `params` name the asset); empty when the asset already complies. */
  steps: RemediationStep[];
  estimated_risk: RemediationPlan['estimated_risk'];
  approvals_required: string[];
  blast_radius: BlastRadius;
  /** The asset's tags as the provider knows them (guardrails tell production by them); none: `{}`. */
  asset_tags?: Record<string, string>;
}

/**
 * A provider's remediations (spec §6.3 without the saga): plans the steps of a finding from the asset's
 * live config, carries each step out, and reads an asset's live config back (drift). The workflow in
 * `@neurocipher/seg-core` (`RemediationService`) names, records, applies, compensates and rolls back.
 *
 * Errors: `SEG_NOT_FOUND` for a finding whose control has no remediation here, `SEG_INVALID_ARGUMENT`
 * for an asset the provider does not own, `SEG_INVALID_ARGUMENT` (with `details.missing`) for a setting a
 * remediation needs and was not given, `SEG_ADAPTER_UNAVAILABLE` when the provider cannot be reached.
 */
export interface RemediationStepPort {
  /** The steps that drive `finding` toward pass, from the live config of its asset. Changes nothing. */
  draft(finding: Finding): Promise<PlanDraft>;
  /** The op of an action; `SEG_INVALID_ARGUMENT` for an action this provider does not have. */
  op(action: string): StepOp;
  /** The live normalized config of an asset. */
  live(asset: string): Promise<Record<string, unknown>>;
}

/** Inversion-of-control id of {@link RemediationStepPort}. */
export const RemediationStepPortId: PortId<RemediationStepPort> = Symbol.for('seg.ports.RemediationStepPort');
