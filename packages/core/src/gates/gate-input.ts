import { z } from 'zod';
import { makeParser, UuidSchema } from '@neurocipher/seg-contracts';

/** The remediation actions a gates bundle decides on. */
export const GATE_ACTIONS = ['plan', 'apply', 'rollback'] as const;

/** One remediation action: `plan`, `apply` or `rollback`. */
export type GateAction = (typeof GATE_ACTIONS)[number];

/** The rollout phases of spec §16: 0 read-only, 1 plan only, 2 low-risk apply, 3 apply with approval gates. */
export const ROLLOUT_PHASES = [0, 1, 2, 3] as const;

const nonEmpty = z.string().min(1);

// No `.meta({ id })` on core's schemas: an id registers the schema in zod's global registry, which the
// API's OpenAPI document is generated from; these are a bundle contract, not API models.
/**
 * The input of a gates bundle's `seg/gates/decision` (docs/bundles.md, "Gates bundles"): the action asked
 * for, the plan it concerns (risk, control, step actions, blast radius), the asset's tags, the tenant's
 * rollout phase, and optionally the approvals already given (informative: the bundle decides who must
 * approve; checking approvals against that is the caller's job). Objects are strict, except a step,
 * which may carry more fields (`description`, `params`, …) that reach the policy unchanged.
 */
export const GateInputSchema = z.strictObject({
  action: z.enum(GATE_ACTIONS),
  plan: z.strictObject({
    id: UuidSchema,
    finding_id: UuidSchema,
    control_id: nonEmpty,
    estimated_risk: z.enum(['low', 'medium', 'high']),
    steps: z.array(z.looseObject({ action: nonEmpty })),
    blast_radius: z.strictObject({ dependents: z.number().int().min(0) }),
  }),
  asset: z.strictObject({
    urn: nonEmpty,
    tags: z.record(z.string(), z.string()),
  }),
  tenant: z.strictObject({
    org_id: nonEmpty,
    rollout_phase: z.literal(ROLLOUT_PHASES),
  }),
  approvals: z
    .array(z.strictObject({ approver: nonEmpty, role: nonEmpty, plan_digest: nonEmpty }))
    .optional(),
});

/** What a gates bundle decides on. */
export type GateInput = z.infer<typeof GateInputSchema>;

/** Validates a {@link GateInput}; throws `SEG_SCHEMA_VIOLATION` listing the offending paths. */
export const parseGateInput = makeParser('GateInput', GateInputSchema);
