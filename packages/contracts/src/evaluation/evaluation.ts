import { z } from 'zod';
import { EvidencePointerSchema, FindingSchema } from '../findings/findings.ts';
import { AssetRefSchema, ScopeSchema } from '../inventory/inventory.ts';
import { makeParser } from '../primitives/parse.ts';
import { AwareDatetimeSchema, SeveritySchema, UuidSchema } from '../primitives/primitives.ts';

/** Spec §7 `ControlSpec`: one control's metadata, as the bundle manifest declares it. */
export const ControlSpecSchema = z
  .object({
    id: z.string().min(1),
    version: z.string().min(1),
    title: z.string().min(1),
    benchmark: z.string().min(1).describe('CIS, NIST, ISO, custom'),
    description: z.string(),
    inputs: z.record(z.string(), z.unknown()).default(() => ({})),
    target_kinds: z.array(z.string().min(1)),
    policy_bundle: z.string().min(1).describe('Bundle id in SRG-001'),
    severity: SeveritySchema,
    rationale: z.string().nullish(),
    remediation_guidance: z.string().nullish(),
  })
  .meta({ id: 'ControlSpec' });
/** A control's metadata. */
export type ControlSpec = z.infer<typeof ControlSpecSchema>;
/** Validates a {@link ControlSpec}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseControlSpec = makeParser('ControlSpec', ControlSpecSchema);

/** Spec §7 `RunSummary`. `counts` holds at least pass, warn, fail and error. */
export const RunSummarySchema = z
  .object({
    run_id: UuidSchema,
    scope: ScopeSchema,
    started_at: AwareDatetimeSchema,
    ended_at: AwareDatetimeSchema,
    controls: z.array(z.string().min(1)),
    counts: z.record(z.string(), z.number().int().min(0)),
  })
  .meta({ id: 'RunSummary' });
/** Summary of one evaluation run. */
export type RunSummary = z.infer<typeof RunSummarySchema>;
/** Validates a {@link RunSummary}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseRunSummary = makeParser('RunSummary', RunSummarySchema);

/**
 * Spec §7 `EvalRequest`, plus two optional fields (registry version 1.1.0, backward compatible): `now`, the
 * evaluation instant handed to policies as `input.now` (so time comes from the request, never a clock
 * inside the engine), and `run_id`, so a retried request commits the same finding ids.
 */
export const EvalRequestSchema = z
  .object({
    scope: ScopeSchema,
    control_ids: z.array(z.string().min(1)),
    assets: z.array(AssetRefSchema).nullish(),
    since: AwareDatetimeSchema.nullish(),
    now: AwareDatetimeSchema.nullish().describe('Evaluation instant, passed to policies as input.now'),
    run_id: UuidSchema.nullish().describe('Run id; derived from the request and now when absent'),
  })
  .meta({ id: 'EvalRequest' });
/** A request to evaluate controls over a scope. */
export type EvalRequest = z.infer<typeof EvalRequestSchema>;
/** Validates an {@link EvalRequest}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseEvalRequest = makeParser('EvalRequest', EvalRequestSchema);

/** Spec §7 `EvalResult`. */
export const EvalResultSchema = z
  .object({
    run: RunSummarySchema,
    findings: z.array(FindingSchema),
    evidence: z.array(EvidencePointerSchema),
  })
  .meta({ id: 'EvalResult' });
/** The findings and summary of one evaluation. */
export type EvalResult = z.infer<typeof EvalResultSchema>;
/** Validates an {@link EvalResult}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseEvalResult = makeParser('EvalResult', EvalResultSchema);

/** One check a validation performed. */
export const ValidationCheckSchema = z
  .object({
    name: z.string().min(1),
    ok: z.boolean(),
    message: z.string().nullish(),
  })
  .meta({ id: 'ValidationCheck' });
/** One named check and its outcome. */
export type ValidationCheck = z.infer<typeof ValidationCheckSchema>;

/**
 * Not defined by the spec. Result of `EvaluationPort.validate_control`: every check run on the control
 * (bundle present and verified, entrypoint exists, target kinds known, inputs valid, vectors pass);
 * `valid` is true only when all passed.
 */
export const ValidationReportSchema = z
  .object({
    control_id: z.string().min(1),
    control_version: z.string().min(1),
    valid: z.boolean(),
    checks: z.array(ValidationCheckSchema),
  })
  .meta({ id: 'ValidationReport' });
/** A control validation report. */
export type ValidationReport = z.infer<typeof ValidationReportSchema>;
/** Validates a {@link ValidationReport}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseValidationReport = makeParser('ValidationReport', ValidationReportSchema);
