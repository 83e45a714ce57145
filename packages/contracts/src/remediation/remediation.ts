import { z } from 'zod';
import { makeParser } from '../primitives/parse.ts';
import { AwareDatetimeSchema, ModeSchema, UuidSchema } from '../primitives/primitives.ts';

/** Spec §7 `RemediationStep`: one provider action with its parameters. */
export const RemediationStepSchema = z
  .object({
    action: z.string().min(1),
    description: z.string(),
    params: z.record(z.string(), z.unknown()).default(() => ({})),
  })
  .meta({ id: 'RemediationStep' });
/** One step of a remediation plan. */
export type RemediationStep = z.infer<typeof RemediationStepSchema>;
/** Validates a {@link RemediationStep}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseRemediationStep = makeParser('RemediationStep', RemediationStepSchema);

/** Spec §7 `RemediationPlan`. */
export const RemediationPlanSchema = z
  .object({
    id: UuidSchema,
    finding_id: UuidSchema,
    mode: ModeSchema,
    steps: z.array(RemediationStepSchema),
    estimated_risk: z.enum(['low', 'medium', 'high']),
    change_window: z.record(z.string(), z.string()).nullish(),
    approvals_required: z.array(z.string()).default(() => []),
    created_at: AwareDatetimeSchema,
  })
  .meta({ id: 'RemediationPlan' });
/** An ordered change set that drives a finding toward pass. */
export type RemediationPlan = z.infer<typeof RemediationPlanSchema>;
/** Validates a {@link RemediationPlan}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseRemediationPlan = makeParser('RemediationPlan', RemediationPlanSchema);

/** Spec §7 `ApplyChangeResult`: the outcome of one step. */
export const ApplyChangeResultSchema = z
  .object({
    step_index: z.number().int().min(0),
    status: z.enum(['success', 'skipped', 'failed', 'compensated']),
    provider_change_id: z.string().nullish(),
    message: z.string().nullish(),
  })
  .meta({ id: 'ApplyChangeResult' });
/** The outcome of one applied step. */
export type ApplyChangeResult = z.infer<typeof ApplyChangeResultSchema>;
/** Validates an {@link ApplyChangeResult}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseApplyChangeResult = makeParser('ApplyChangeResult', ApplyChangeResultSchema);

// The fields an apply and a rollback both report: the plan, an overall status, one result per step, times.
const stepRunShape = {
  plan_id: UuidSchema,
  status: z.enum(['success', 'partial', 'failed']),
  results: z.array(ApplyChangeResultSchema),
  started_at: AwareDatetimeSchema,
  ended_at: AwareDatetimeSchema,
};

/** Spec §7 `ApplyResult`. A partial failure is a value (`partial`), not an exception. */
export const ApplyResultSchema = z.object(stepRunShape).meta({ id: 'ApplyResult' });
/** The outcome of applying a plan. */
export type ApplyResult = z.infer<typeof ApplyResultSchema>;
/** Validates an {@link ApplyResult}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseApplyResult = makeParser('ApplyResult', ApplyResultSchema);

/**
 * Not defined by the spec. Result of `RemediationPort.rollback`: per step, whether the captured
 * pre-state was restored (`success`), needed nothing (`skipped`) or could not be restored (`failed`,
 * with the reason in `message`).
 */
export const RollbackResultSchema = z.object(stepRunShape).meta({ id: 'RollbackResult' });
/** The outcome of a rollback. */
export type RollbackResult = z.infer<typeof RollbackResultSchema>;
/** Validates a {@link RollbackResult}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseRollbackResult = makeParser('RollbackResult', RollbackResultSchema);

/**
 * Not defined by the spec. A change window: changes may be applied from `start` (inclusive) to `end`
 * (exclusive). `timezone` (IANA name) is informative; both instants carry their own offset.
 */
export const WindowSchema = z
  .object({
    start: AwareDatetimeSchema,
    end: AwareDatetimeSchema,
    timezone: z.string().nullish(),
  })
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), {
    message: 'end must be after start',
    path: ['end'],
  })
  .meta({ id: 'Window' });
/** A change window. */
export type Window = z.infer<typeof WindowSchema>;
/** Validates a {@link Window}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseWindow = makeParser('Window', WindowSchema);
