import type { z } from 'zod';
import {
  AttestationSchema,
  AttestationTargetSchema,
  PublishReportSchema,
  VerifyReportSchema,
} from '../attestation/attestation.ts';
import { SegErrorSchema } from '../errors/seg-error.ts';
import {
  ControlSpecSchema,
  EvalRequestSchema,
  EvalResultSchema,
  RunSummarySchema,
  ValidationReportSchema,
} from '../evaluation/evaluation.ts';
import { SegEventSchema } from '../events/events.ts';
import {
  AckSchema,
  AppendResultSchema,
  EvidenceObjSchema,
  EvidencePointerSchema,
  FindingSchema,
} from '../findings/findings.ts';
import { IngestContextSchema } from '../ingest/ingest.ts';
import {
  AssetPageSchema,
  AssetRefSchema,
  AssetSchema,
  ConfigDocSchema,
  InventoryQuerySchema,
  PageRequestSchema,
  ScopeSchema,
} from '../inventory/inventory.ts';
import {
  ApplyChangeResultSchema,
  ApplyResultSchema,
  RemediationPlanSchema,
  RemediationStepSchema,
  RollbackResultSchema,
  WindowSchema,
} from '../remediation/remediation.ts';

/** One versioned schema of the SRG-001 registry. */
export interface RegisteredSchema {
  /** Registry name: kebab-case, also the folder under `schemas/`. */
  name: string;
  /** Semantic version of this schema. A breaking change needs a new major version and a migration. */
  version: string;
  schema: z.ZodType;
}

/**
 * The canonical contracts at their current versions. `schemas/<name>/<version>.json` is generated from
 * this list (`npm run schemas`), and CI checks that the committed files equal a fresh generation and that
 * every example of version N-1 still validates under N.
 */
export const contractSchemas: readonly RegisteredSchema[] = [
  { name: 'scope', version: '1.0.0', schema: ScopeSchema },
  { name: 'asset-ref', version: '1.0.0', schema: AssetRefSchema },
  { name: 'asset', version: '1.0.0', schema: AssetSchema },
  { name: 'asset-page', version: '1.0.0', schema: AssetPageSchema },
  { name: 'page-request', version: '1.0.0', schema: PageRequestSchema },
  { name: 'config-doc', version: '1.0.0', schema: ConfigDocSchema },
  { name: 'inventory-query', version: '1.0.0', schema: InventoryQuerySchema },
  { name: 'control-spec', version: '1.0.0', schema: ControlSpecSchema },
  { name: 'evidence-pointer', version: '1.0.0', schema: EvidencePointerSchema },
  { name: 'evidence-obj', version: '1.0.0', schema: EvidenceObjSchema },
  { name: 'finding', version: '1.1.0', schema: FindingSchema },
  { name: 'remediation-step', version: '1.0.0', schema: RemediationStepSchema },
  { name: 'remediation-plan', version: '1.0.0', schema: RemediationPlanSchema },
  { name: 'apply-change-result', version: '1.0.0', schema: ApplyChangeResultSchema },
  { name: 'apply-result', version: '1.0.0', schema: ApplyResultSchema },
  { name: 'rollback-result', version: '1.0.0', schema: RollbackResultSchema },
  { name: 'window', version: '1.0.0', schema: WindowSchema },
  { name: 'run-summary', version: '1.0.0', schema: RunSummarySchema },
  { name: 'attestation', version: '1.0.0', schema: AttestationSchema },
  { name: 'attestation-target', version: '1.0.0', schema: AttestationTargetSchema },
  { name: 'verify-report', version: '1.0.0', schema: VerifyReportSchema },
  { name: 'publish-report', version: '1.0.0', schema: PublishReportSchema },
  { name: 'eval-request', version: '1.1.0', schema: EvalRequestSchema },
  { name: 'eval-result', version: '1.1.0', schema: EvalResultSchema },
  { name: 'validation-report', version: '1.0.0', schema: ValidationReportSchema },
  { name: 'append-result', version: '1.0.0', schema: AppendResultSchema },
  { name: 'ack', version: '1.0.0', schema: AckSchema },
  { name: 'ingest-context', version: '1.0.0', schema: IngestContextSchema },
  { name: 'seg-error', version: '1.0.0', schema: SegErrorSchema },
  { name: 'seg-event', version: '1.0.0', schema: SegEventSchema },
];
