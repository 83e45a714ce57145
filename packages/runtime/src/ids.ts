import type { EvidenceStore } from '@neurocipher/seg-lakehouse';
import type { Messaging } from '@neurocipher/seg-messaging';
import type { PortId } from '@neurocipher/seg-ports';
import type { AttestedRun, RemediationDesk, RunService } from '@neurocipher/seg-core';
import type { SegConfig } from './config/seg-config.ts';
import type { Resources } from './engine/resources.ts';
import type { Attester } from './modules/attestation.module.ts';
import type { ScanEngine } from './modules/evaluation.module.ts';
import type { ProviderChoice } from './modules/inventory.module.ts';
import type { Lakehouse } from './modules/lakehouse.module.ts';
import type { RemediationWorkbench } from './modules/remediation.module.ts';
import type { AttestationDesk } from './service/attestation-desk.ts';

// The runtime's own container ids, typed like the ports' (`PortId<T>`): `engine.get(LakehouseId)` is a
// `Lakehouse` without a cast. The ports' ids (InventoryPortId, FindingIngestPortId ...) are bound too.

/** The validated {@link SegConfig} the engine was built from. */
export const SegConfigId: PortId<SegConfig> = Symbol.for('seg.runtime.SegConfig');
/** The inventory provider chosen for scans ({@link ProviderChoice}). */
export const ProviderId: PortId<ProviderChoice> = Symbol.for('seg.runtime.Provider');
/** What the engine releases on close (catalog connections, AWS clients, worker threads). */
export const ResourcesId: PortId<Resources> = Symbol.for('seg.runtime.Resources');
/** The evidence store over the configured blobs (also bound as the ports' `EvidenceSinkId`). */
export const EvidenceStoreId: PortId<EvidenceStore> = Symbol.for('seg.runtime.EvidenceStore');
/** The lakehouse: catalog, tables, finding store, evidence store ({@link Lakehouse}). */
export const LakehouseId: PortId<Lakehouse> = Symbol.for('seg.runtime.Lakehouse');
/** The evaluator over the configured signed bundle, with the bundle ({@link ScanEngine}). */
export const ScanEngineId: PortId<ScanEngine> = Symbol.for('seg.runtime.ScanEngine');
/** The run attester: signer, publish targets, key to verify with ({@link Attester}). */
export const AttesterId: PortId<Attester> = Symbol.for('seg.runtime.Attester');
/** The run service over the bound ports. */
export const RunServiceId: PortId<RunService<AttestedRun>> = Symbol.for('seg.runtime.RunService');
/** Plan records and the AWS adapters per asset ({@link RemediationWorkbench}). */
export const RemediationWorkbenchId: PortId<RemediationWorkbench> = Symbol.for(
  'seg.runtime.RemediationWorkbench',
);

/** The tenant's remediation use cases: plan, dry-run, apply, roll back, show ({@link RemediationDesk}). */
export const RemediationDeskId: PortId<RemediationDesk> = Symbol.for('seg.runtime.RemediationDesk');

/** The tenant's attestation use cases: attest a committed run, read one back ({@link AttestationDesk}). */
export const AttestationDeskId: PortId<AttestationDesk> = Symbol.for('seg.runtime.AttestationDesk');

/** The job queue and event bus of the `queue` setting (also bound as `JobQueueId` and `EventBusId`). */
export const MessagingId: PortId<Messaging> = Symbol.for('seg.runtime.Messaging');

/** What a container or a resolution context offers: `getAsync` by id. */
export interface AsyncResolver {
  getAsync(id: symbol): Promise<unknown>;
}

/** The value bound to a typed id: `resolve(context, LakehouseId)` is a `Promise<Lakehouse>`, no cast. */
export function resolve<T>(from: AsyncResolver, id: PortId<T>): Promise<T> {
  return from.getAsync(id) as Promise<T>;
}
