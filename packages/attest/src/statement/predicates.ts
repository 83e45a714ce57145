import { z } from 'zod';

/** Predicate type URI of an evaluation-run statement, version 1 (the major version is in the URI). */
export const EVALUATION_RUN_PREDICATE_TYPE = 'https://neurocipher.io/seg/attestation/evaluation-run/v1';
/** Predicate type URI of a remediation-run statement, version 1. */
export const REMEDIATION_RUN_PREDICATE_TYPE = 'https://neurocipher.io/seg/attestation/remediation-run/v1';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'lowercase hex SHA-256');
const Timestamp = z.iso.datetime({ offset: true });

/** The run summary as the predicate carries it (spec §7 RunSummary, frozen at predicate v1). */
export const PredicateRunSchema = z.object({
  run_id: z.uuid(),
  scope: z.object({
    org_id: z.string().min(1),
    project: z.string().nullish(),
    region: z.string().nullish(),
    tags: z.record(z.string(), z.string()).default({}),
  }),
  started_at: Timestamp,
  ended_at: Timestamp,
  controls: z.array(z.string()),
  counts: z.record(z.string(), z.number().int().nonnegative()),
});

/** One Iceberg table commit the run made: the snapshot id and the data files it added. */
export const PredicateTableCommitSchema = z.object({
  table: z.string().min(1),
  /** Iceberg snapshot id as a decimal string (64-bit, so never a JSON number). */
  snapshot_id: z.string().regex(/^-?\d+$/),
  data_files: z.array(
    z.object({
      path: z.string().min(1),
      sha256: Sha256Hex,
      record_count: z.number().int().nonnegative().optional(),
    }),
  ),
});

/** One evidence blob the run committed, by content hash. */
export const PredicateEvidenceSchema = z.object({ sha256: Sha256Hex, media_type: z.string().optional() });

/** A policy bundle the run evaluated, pinned by digest. */
export const PredicatePolicyBundleSchema = z.object({
  id: z.string().min(1),
  version: z.string().min(1),
  digest: z.object({ sha256: Sha256Hex }),
});

const Engine = z.object({ name: z.literal('seg'), version: z.string().min(1) });

/** Predicate of `…/evaluation-run/v1`: what one evaluation run found and committed. */
export const EvaluationRunPredicateSchema = z
  .object({
    run: PredicateRunSchema,
    /** FAILED if any fail or error, WARNED if any warn, otherwise PASSED. */
    result: z.enum(['PASSED', 'WARNED', 'FAILED']),
    policy_bundles: z.array(PredicatePolicyBundleSchema).default([]),
    tables: z.array(PredicateTableCommitSchema).default([]),
    evidence: z.array(PredicateEvidenceSchema).default([]),
    engine: Engine,
  })
  .meta({ id: 'SegEvaluationRunPredicateV1', description: 'SEG evaluation-run in-toto predicate, v1' });

/** Predicate of `…/evaluation-run/v1`. */
export type EvaluationRunPredicate = z.infer<typeof EvaluationRunPredicateSchema>;

/** A remediation plan as the remediation predicate pins it. */
export const PredicatePlanSchema = z.object({
  plan_id: z.uuid(),
  finding_id: z.uuid(),
  mode: z.enum(['plan', 'apply']),
  estimated_risk: z.enum(['low', 'medium', 'high']),
  approvals_required: z.array(z.string()).default([]),
  /** SHA-256 of the RFC 8785 form of the full plan. */
  plan_sha256: Sha256Hex,
});

/** The outcome of applying (or rolling back) one plan. */
export const PredicateApplySchema = z.object({
  plan_id: z.uuid(),
  operation: z.enum(['apply', 'rollback']),
  status: z.enum(['success', 'partial', 'failed']),
  started_at: Timestamp,
  ended_at: Timestamp,
  results: z.array(
    z.object({
      step_index: z.number().int().nonnegative(),
      status: z.enum(['success', 'skipped', 'failed', 'compensated']),
      provider_change_id: z.string().nullish(),
    }),
  ),
});

/** Predicate of `…/remediation-run/v1`: which plans a run applied or rolled back, and how it went. */
export const RemediationRunPredicateSchema = z
  .object({
    run: PredicateRunSchema,
    plans: z.array(PredicatePlanSchema),
    outcomes: z.array(PredicateApplySchema).default([]),
    tables: z.array(PredicateTableCommitSchema).default([]),
    evidence: z.array(PredicateEvidenceSchema).default([]),
    engine: Engine,
  })
  .meta({ id: 'SegRemediationRunPredicateV1', description: 'SEG remediation-run in-toto predicate, v1' });

/** Predicate of `…/remediation-run/v1`. */
export type RemediationRunPredicate = z.infer<typeof RemediationRunPredicateSchema>;

/** The in-toto Statement v1 envelope body (https://in-toto.io/Statement/v1). */
export const InTotoStatementSchema = z
  .object({
    _type: z.literal('https://in-toto.io/Statement/v1'),
    subject: z
      .array(z.object({ name: z.string(), digest: z.record(z.string(), z.string().regex(/^[0-9a-f]+$/)) }))
      .min(1),
    predicateType: z.string().min(1),
    predicate: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'InTotoStatementV1', description: 'in-toto attestation Statement v1' });

/** An entry of {@link attestationSchemas}. */
export interface AttestationSchemaEntry {
  /** Registry name. */
  name: string;
  /** Semantic version of the schema. */
  version: string;
  /** The predicate type URI it validates, when it is a predicate. */
  predicate_type?: string;
  /** The zod schema (JSON Schema via `z.toJSONSchema`). */
  schema: z.ZodType;
}

/** The schemas this package defines, for the SRG-001 schema registry. */
export const attestationSchemas: readonly AttestationSchemaEntry[] = [
  { name: 'in-toto-statement', version: '1.0.0', schema: InTotoStatementSchema },
  {
    name: 'seg-evaluation-run-predicate',
    version: '1.0.0',
    predicate_type: EVALUATION_RUN_PREDICATE_TYPE,
    schema: EvaluationRunPredicateSchema,
  },
  {
    name: 'seg-remediation-run-predicate',
    version: '1.0.0',
    predicate_type: REMEDIATION_RUN_PREDICATE_TYPE,
    schema: RemediationRunPredicateSchema,
  },
];
