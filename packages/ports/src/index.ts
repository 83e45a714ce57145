export { AttestationPortId } from './attestation/attestation-port.ts';
export type { AttestationPort } from './attestation/attestation-port.ts';
export { BundleSourceId } from './bundles/bundle-source.ts';
export type { BundleRef, BundleSource } from './bundles/bundle-source.ts';
export { DEFAULT_RETRY_POLICY, backoffMs, retrying } from './concurrency/retry.ts';
export type { RetryPolicy, RetryingOptions } from './concurrency/retry.ts';
export { mapBounded } from './concurrency/map-bounded.ts';
export { KeyProviderId, SignerPortId } from './crypto/signer-port.ts';
export type { DataKey, KeyProvider, SignatureAlgorithm, SignerPort } from './crypto/signer-port.ts';
export { sha256Hex } from './digest/sha256-hex.ts';
export { uuidV5 } from './digest/uuid-v5.ts';
export { EvaluationPortId } from './evaluation/evaluation-port.ts';
export type { EvaluationPort } from './evaluation/evaluation-port.ts';
export { EvidenceSinkId } from './evidence/evidence-sink.ts';
export type { EvidenceItem, EvidenceSink, StoredEvidenceRef } from './evidence/evidence-sink.ts';
export type { PortId, PortType } from './ids/port-id.ts';
export { FindingIngestPortId } from './ingest/finding-ingest-port.ts';
export type { FindingIngestPort } from './ingest/finding-ingest-port.ts';
export { InventoryPortId } from './inventory/inventory-port.ts';
export type { InventoryPort } from './inventory/inventory-port.ts';
export { EventBusId } from './messaging/event-bus.ts';
export type { EventBus, Subscription } from './messaging/event-bus.ts';
export { JobQueueId } from './messaging/job-queue.ts';
export type { DeadLetter, Job, JobQueue, JobStatus } from './messaging/job-queue.ts';
// The in-process queue and bus: the embedded default (apps and `@neurocipher/seg-messaging` use them).
export { InMemoryEventBus } from './messaging/in-memory-event-bus.ts';
export type { DeliveryError } from './messaging/in-memory-event-bus.ts';
export { InMemoryJobQueue, deliveryTimedOut } from './messaging/in-memory-job-queue.ts';
export type { InMemoryJobQueueOptions } from './messaging/in-memory-job-queue.ts';
export { assetInScope, compareAssetUrns, listAssetsPage, searchAssetsPage } from './paging/asset-listing.ts';
export type { AssetListingOptions } from './paging/asset-listing.ts';
export { decodeKeysetCursor, encodeKeysetCursor } from './paging/keyset-cursor.ts';
export { pageAfter } from './paging/keyset-page.ts';
export type { KeyedPage } from './paging/keyset-page.ts';
export { RedactorId } from './redaction/redactor.ts';
export type { Redacted, Redaction, Redactor } from './redaction/redactor.ts';
export { RemediationPortId } from './remediation/remediation-port.ts';
export type { RemediationPort } from './remediation/remediation-port.ts';
export { EVIDENCE_MEDIA_TYPE, putJsonEvidence, readJsonEvidence } from './evidence/json-evidence.ts';
export { BlobPlanRecordStore } from './remediation/blob-plan-record-store.ts';
export type { BlobPlanRecordStoreOptions } from './remediation/blob-plan-record-store.ts';
export { InMemoryPlanRecordStore } from './remediation/in-memory-plan-record-store.ts';
export { RemediationStepPortId } from './remediation/remediation-steps.ts';
export type {
  BlastRadius,
  Dependent,
  PlanDraft,
  RemediationStepPort,
  StepOp,
} from './remediation/remediation-steps.ts';
export { jsonDiff } from './remediation/json-diff.ts';
export type { DiffEntry } from './remediation/json-diff.ts';
export {
  PlanRecordStoreId,
  assertPlanId,
  parsePlanEvent,
  parsePlanRecord,
  parsePreStateRecord,
  unknownPlan,
} from './remediation/plan-record-store.ts';
export type {
  PlanApproval,
  PlanEvent,
  PlanRecord,
  PlanRecordStore,
  PreStateRecord,
} from './remediation/plan-record-store.ts';
export { BlobStoreId, assertBlobKey } from './storage/blob-store.ts';
export type { BlobKeyPage, BlobPutOptions, BlobStore } from './storage/blob-store.ts';
export { TableStoreId } from './storage/table-store.ts';
export type { TableAppendOptions, TableRow, TableScanOptions, TableStore } from './storage/table-store.ts';
export { ClockId, systemClock } from './time/clock.ts';
export type { Clock } from './time/clock.ts';
