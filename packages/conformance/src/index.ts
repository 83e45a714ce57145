// @neurocipher/seg-conformance: the adapter conformance kit every provider adapter runs (spec §17).
export { describeAdapterConformance } from './suite/adapter-conformance.ts';
export type {
  AdapterConformanceOptions,
  ConformanceSubject,
  EvidenceAccess,
  FaultySubject,
} from './suite/adapter-conformance.ts';
