// The API's own request schemas (bodies, queries, path ids): the handlers parse with them and the OpenAPI
// document is generated from them, so the document says exactly what the API accepts.
import { z } from 'zod';
import {
  AssetSchema,
  ControlSpecSchema,
  EvidenceObjSchema,
  FindingSchema,
  ResultSchema,
  RunSummarySchema,
  SeveritySchema,
} from '@neurocipher/seg-contracts';
import { RemediationSettingsSchema } from '@neurocipher/seg-runtime';

/** Largest page of findings. */
export const PAGE_MAX = 500;
/** Most findings one POST /findings commits (one run). */
export const INGEST_MAX = 100_000;

/** `POST /runs`: the scope (the caller's tenant only) and the controls, both optional. */
export const RunsBody = z
  .object({
    scope: z
      .object({ org_id: z.string().min(1) })
      .strict()
      .optional(),
    control_ids: z.array(z.string().min(1)).min(1).max(1_000).optional(),
  })
  .strict();
/** `GET /runs/{id}/findings`: filters and the page. */
export const FindingsQuery = z
  .object({
    control_id: z.string().min(1).optional(),
    severity: SeveritySchema.optional(),
    result: ResultSchema.optional(),
    limit: z.coerce.number().int().min(1).max(PAGE_MAX).default(100),
    cursor: z
      .string()
      .regex(/^\d{1,9}$/, 'must be a cursor this API gave')
      .optional(),
  })
  .strict();
/** A run, plan or attestation id in a path. */
export const RunId = z.uuid();

/**
 * `POST /findings`: one run of an outside producer, as the contracts define it (the run summary, its
 * findings and evidence, optionally the assets and controls it saw), and the evidence bodies the findings
 * point at that the store does not hold yet (base64).
 */
export const FindingsBody = z
  .object({
    run: RunSummarySchema,
    findings: z.array(FindingSchema).max(INGEST_MAX),
    evidence: z
      .array(EvidenceObjSchema)
      .max(INGEST_MAX)
      .default(() => []),
    assets: z
      .array(AssetSchema)
      .max(INGEST_MAX)
      .default(() => []),
    controls: z
      .array(ControlSpecSchema)
      .max(10_000)
      .default(() => []),
    blobs: z
      .array(
        z
          .object({
            media_type: z.string().min(1).max(200),
            content_base64: z.base64(),
          })
          .strict(),
      )
      .max(INGEST_MAX)
      .default(() => []),
  })
  .strict();

/** `POST /plans`: the failing finding to remediate, and the settings its remediation may need. */
export const PlansBody = z
  .object({
    finding_id: z.uuid(),
    settings: RemediationSettingsSchema.optional(),
  })
  .strict();

/**
 * `POST /plans/{id}/apply`: a dry run unless `dry_run` is false (then `seg.admin`, and the approvals the
 * plan's gates require must be recorded: `POST /plans/{id}/approvals`).
 */
export const ApplyBody = z.object({ dry_run: z.boolean().default(true) }).strict();

/** `POST /plans/{id}/approvals`: the role the caller approves in, and why. */
export const ApprovalBody = z
  .object({
    role: z.string().min(1).max(200),
    justification: z.string().min(1).max(2_000).optional(),
  })
  .strict();

/** `POST /plans/{id}/rollback`: nothing to give. */
export const RollbackBody = z.object({}).strict();

/** `POST /attestations`: the committed run to attest. */
export const AttestationsBody = z.object({ run_id: z.uuid() }).strict();
