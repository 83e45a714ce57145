import { z } from 'zod';
import { makeParser } from '@neurocipher/seg-contracts';

/** One role that must approve, and how many distinct people holding it. */
export const GateRequirementSchema = z.strictObject({
  role: z.string().min(1),
  count: z.number().int().min(1),
});

/** A role that must approve an action, `count` times by distinct approvers. */
export type GateRequirement = z.infer<typeof GateRequirementSchema>;

/**
 * The output of a gates bundle's `seg/gates/decision`: whether the action may go on at all (`allow`,
 * false exactly when `deny` lists a reason), the approvals it needs (`required`, one entry per role), and
 * how many distinct people must approve in all (`distinct_approvers`, never more than the approvals
 * `required` asks for, so it can be met by approvers holding the required roles).
 */
export const GateDecisionSchema = z
  .strictObject({
    allow: z.boolean(),
    deny: z.array(z.string().min(1)),
    required: z.array(GateRequirementSchema),
    distinct_approvers: z.number().int().min(0),
  })
  .refine((d) => d.allow === (d.deny.length === 0), {
    message: 'allow must be false exactly when deny lists a reason',
    path: ['allow'],
  })
  .refine((d) => new Set(d.required.map((r) => r.role)).size === d.required.length, {
    message: 'each role appears once in required',
    path: ['required'],
  })
  .refine((d) => d.distinct_approvers <= d.required.reduce((sum, r) => sum + r.count, 0), {
    message: 'distinct_approvers exceeds the approvals required',
    path: ['distinct_approvers'],
  });

/** Who must approve a remediation action, and whether it may go on at all. */
export type GateDecision = z.infer<typeof GateDecisionSchema>;

/** Validates a {@link GateDecision}; throws `SEG_SCHEMA_VIOLATION` listing the offending paths. */
export const parseGateDecision = makeParser('GateDecision', GateDecisionSchema);
