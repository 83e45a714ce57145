export {
  AttestationSchema,
  AttestationTargetSchema,
  PublishReportSchema,
  PublishTargetResultSchema,
  VerifyCheckSchema,
  VerifyReportSchema,
  parseAttestation,
  parseAttestationTarget,
  parsePublishReport,
  parseVerifyReport,
} from './attestation/attestation.ts';
export type {
  Attestation,
  AttestationTarget,
  PublishReport,
  PublishTargetResult,
  VerifyCheck,
  VerifyReport,
} from './attestation/attestation.ts';
export {
  DEFAULT_RETRYABLE,
  SEG_ERROR_CODES,
  SegError,
  SegErrorSchema,
  isSegError,
} from './errors/seg-error.ts';
export type { SegErrorCode, SegErrorOptions, SegErrorShape } from './errors/seg-error.ts';
export {
  ControlSpecSchema,
  EvalRequestSchema,
  EvalResultSchema,
  RunSummarySchema,
  ValidationCheckSchema,
  ValidationReportSchema,
  parseControlSpec,
  parseEvalRequest,
  parseEvalResult,
  parseRunSummary,
  parseValidationReport,
} from './evaluation/evaluation.ts';
export type {
  ControlSpec,
  EvalRequest,
  EvalResult,
  RunSummary,
  ValidationCheck,
  ValidationReport,
} from './evaluation/evaluation.ts';
export {
  EVENT_TYPES,
  SegEventSchema,
  assertEventTypes,
  eventKey,
  makeEvent,
  parseSegEvent,
} from './events/events.ts';
export type { EventType, SegEvent, SegEventInput } from './events/events.ts';
export {
  AckSchema,
  AppendResultSchema,
  EvidenceObjSchema,
  EvidencePointerSchema,
  FindingSchema,
  TableCommitSchema,
  parseAck,
  parseAppendResult,
  parseEvidenceObj,
  parseEvidencePointer,
  parseFinding,
} from './findings/findings.ts';
export type {
  Ack,
  AppendResult,
  EvidenceObj,
  EvidencePointer,
  Finding,
  TableCommit,
} from './findings/findings.ts';
export { IngestContextSchema, parseIngestContext } from './ingest/ingest.ts';
export type { IngestContext } from './ingest/ingest.ts';
export {
  ASSET_URN_PATTERN,
  AssetPageSchema,
  AssetRefSchema,
  AssetSchema,
  ConfigDocSchema,
  InventoryQuerySchema,
  MAX_PAGE_SIZE,
  PageRequestSchema,
  ScopeSchema,
  assetUrn,
  parseAsset,
  parseAssetPage,
  parseAssetRef,
  parseConfigDoc,
  parseInventoryQuery,
  parsePageRequest,
  parseScope,
} from './inventory/inventory.ts';
export type {
  Asset,
  AssetPage,
  AssetRef,
  ConfigDoc,
  InventoryQuery,
  PageRequest,
  Scope,
} from './inventory/inventory.ts';
export { normalizedConfigSchemaFor, normalizedConfigSchemas } from './normalized/index.ts';
export type { NormalizedConfigSchema } from './normalized/index.ts';
export { makeParser } from './primitives/parse.ts';
export type { SchemaIssue } from './primitives/parse.ts';
export {
  AwareDatetimeSchema,
  HttpUrlSchema,
  ModeSchema,
  ProviderSchema,
  ResultSchema,
  SeveritySchema,
  Sha256HexSchema,
  UuidSchema,
  instantText,
} from './primitives/primitives.ts';
export type {
  AwareDatetime,
  HttpUrl,
  Mode,
  Provider,
  Result,
  Severity,
  Sha256Hex,
  Uuid,
} from './primitives/primitives.ts';
export {
  ApplyChangeResultSchema,
  ApplyResultSchema,
  RemediationPlanSchema,
  RemediationStepSchema,
  RollbackResultSchema,
  WindowSchema,
  parseApplyChangeResult,
  parseApplyResult,
  parseRemediationPlan,
  parseRemediationStep,
  parseRollbackResult,
  parseWindow,
} from './remediation/remediation.ts';
export type {
  ApplyChangeResult,
  ApplyResult,
  RemediationPlan,
  RemediationStep,
  RollbackResult,
  Window,
} from './remediation/remediation.ts';
export { contractSchemas } from './registry/contract-schemas.ts';
export type { RegisteredSchema } from './registry/contract-schemas.ts';
export { registryJsonSchema, registrySchemaId } from './registry/json-schema.ts';
export { contractExamples } from './registry/examples.ts';
