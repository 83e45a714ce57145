// @neurocipher/seg-conformance: the adapter conformance kit every provider adapter runs (spec §17).
export { describeAdapterConformance } from './suite/adapter-conformance.ts';
export { CAPABILITIES } from './suite/capabilities.ts';
export type {
  AdapterConformanceOptions,
  Capability,
  ConformanceSubject,
  EvidenceAccess,
  EvidenceHooks,
  FaultySubject,
  InventorySubject,
  MutationHooks,
  NarrowedScope,
  OptionalCapability,
  ProviderFault,
  RemediationHooks,
} from './suite/capabilities.ts';
export { conformancePassed, formatConformanceReport } from './suite/conformance-report.ts';
export type { CheckResult, CheckStatus, ConformanceReport } from './suite/conformance-report.ts';
export { runConformance } from './suite/run-conformance.ts';
