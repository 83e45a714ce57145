// @neurocipher/seg-runtime: the one composition of SEG, shared by the CLI, the API, the worker and any
// service that embeds the engine. Inversify needs metadata reflection before any container is built.
import 'reflect-metadata';

export { catalogLocation, keyLocation, storeLocation } from './config/locations.ts';
export type { CatalogLocation, KeyLocation, StoreLocation } from './config/locations.ts';
export {
  SegConfigSchema,
  TENANT_ID_PATTERN,
  TenantSettingsSchema,
  loadSegConfig,
  parseSegConfig,
  retentionDays,
} from './config/seg-config.ts';
export type { LoadedConfig, SegConfig, SegConfigInput } from './config/seg-config.ts';
export { createEngine, replace } from './engine/create-engine.ts';
export type { Engine, EngineOptions, Replacement, RunChoice, ScanOptions } from './engine/create-engine.ts';
export { Resources } from './engine/resources.ts';
export { ed25519KeyFile, publicKeyPathOf, writePublicKeyFile } from './files/signing-key-file.ts';
export {
  failureReason,
  fileError,
  isSystemError,
  makeUserDirSync,
  readUserBytes,
  readUserFile,
  readUserFileSync,
  writeUserFileSync,
} from './files/user-files.ts';
export type { SystemError } from './files/user-files.ts';
export {
  AttestationDeskId,
  AttesterId,
  EvidenceStoreId,
  LakehouseId,
  MessagingId,
  ProviderId,
  RemediationDeskId,
  RemediationWorkbenchId,
  ResourcesId,
  RunServiceId,
  ScanEngineId,
  SegConfigId,
  resolve,
} from './ids.ts';
export type { AsyncResolver } from './ids.ts';
export {
  LOCAL_LOG,
  LOCAL_LOG_ORIGIN,
  attestationModule,
  localLogKeyPath,
  localLogLocation,
  signingPublicKeyPath,
  subjectResolver,
} from './modules/attestation.module.ts';
export type { Attester } from './modules/attestation.module.ts';
export { evaluationModule, loadTrustedKeys } from './modules/evaluation.module.ts';
export type { ScanEngine } from './modules/evaluation.module.ts';
export { inventoryModule } from './modules/inventory.module.ts';
export type { ProviderChoice } from './modules/inventory.module.ts';
export { CATALOG_NAME, lakehouseModule } from './modules/lakehouse.module.ts';
export type { Lakehouse } from './modules/lakehouse.module.ts';
export { messagingModule } from './modules/messaging.module.ts';
export { redactionModule } from './modules/redaction.module.ts';
export { remediationModule } from './modules/remediation.module.ts';
export type { AssetRemediation, RemediationWorkbench } from './modules/remediation.module.ts';
export { RUN_JOB_TYPE, RunJobSchema, parseRunJob, runJob, tenantEngineConfig } from './jobs/run-job.ts';
export type { RunJob } from './jobs/run-job.ts';
export { AttestationDesk } from './service/attestation-desk.ts';
export type { RunAttestation } from './service/attestation-desk.ts';
export { RemediationSettingsSchema } from './config/remediation-settings.ts';
export { TenantEngines, serviceReadiness } from './service/tenant-engines.ts';
export type { Readiness, TenantEnginesOptions } from './service/tenant-engines.ts';
