// In-memory implementations of every port, for tests and the embedded default; the
// `@neurocipher/seg-ports/testing` sub-path. Never import this from production code.
export { toHex } from './digest.ts';
export type { WebCryptoKey } from './digest.ts';
export {
  EVALUATION_PREDICATE_TYPE,
  IN_TOTO_STATEMENT_TYPE,
  InMemoryAttestation,
} from './in-memory-attestation.ts';
export type { InMemoryAttestationOptions, InMemoryTrustedKey } from './in-memory-attestation.ts';
export { InMemoryBlobStore } from './in-memory-blob-store.ts';
export { InMemoryBundleSource } from './in-memory-bundle-source.ts';
export type { InMemoryBundle, InMemoryBundleSourceOptions } from './in-memory-bundle-source.ts';
export { InMemoryEvaluation } from './in-memory-evaluation.ts';
export type {
  ControlPredicate,
  InMemoryControl,
  InMemoryEvaluationOptions,
  PredicateOutcome,
} from './in-memory-evaluation.ts';
export { InMemoryEvidenceSink } from './in-memory-evidence-sink.ts';
export type { InMemoryEvidenceSinkOptions } from './in-memory-evidence-sink.ts';
export { InMemoryEventBus } from '../messaging/in-memory-event-bus.ts';
export type { DeliveryError } from '../messaging/in-memory-event-bus.ts';
export { INGEST_TABLES, InMemoryFindingIngest } from './in-memory-finding-ingest.ts';
export type { InMemoryFindingIngestOptions } from './in-memory-finding-ingest.ts';
export { InMemoryInventory } from './in-memory-inventory.ts';
export type { InMemoryInventoryOptions } from './in-memory-inventory.ts';
export { InMemoryJobQueue } from '../messaging/in-memory-job-queue.ts';
export type { InMemoryJobQueueOptions } from '../messaging/in-memory-job-queue.ts';
export { InMemoryKeyProvider } from './in-memory-key-provider.ts';
export type { InMemoryKeyProviderOptions } from './in-memory-key-provider.ts';
export { InMemoryRedactor } from './in-memory-redactor.ts';
export type { InMemoryRedactorOptions } from './in-memory-redactor.ts';
export { InMemoryRemediationSteps, SET_PROPERTY_ACTION } from './in-memory-remediation-steps.ts';
export type {
  InMemoryFix,
  InMemoryRemediationStepsOptions,
  ResourceState,
} from './in-memory-remediation-steps.ts';
export { InMemorySigner, ed25519KeyId } from './in-memory-signer.ts';
export type { InMemorySignerOptions } from './in-memory-signer.ts';
export { InMemoryTableStore } from './in-memory-table-store.ts';
export type { InMemoryTableDefinition, InMemoryTableStoreOptions } from './in-memory-table-store.ts';
export { ManualClock } from './manual-clock.ts';
export type { ManualClockOptions } from './manual-clock.ts';
export { freePort } from './free-port.ts';
