import { dirname } from 'node:path';
import { ContainerModule } from 'inversify';
import {
  BlobStoreFileIO,
  EvidenceStore,
  LocalFileIO,
  LocalKeyProvider,
  PostgresDriver,
  RestCatalog,
  SqlCatalog,
  SqliteDriver,
  fileUri,
  openLakehouse,
} from '@neurocipher/seg-lakehouse';
import type { Catalog, FileIO, OpenedLakehouse } from '@neurocipher/seg-lakehouse';
import {
  BlobStoreId,
  EventBusId,
  EvidenceSinkId,
  FindingIngestPortId,
  KeyProviderId,
  RedactorId,
} from '@neurocipher/seg-ports';
import type { BlobStore, EvidenceSink, FindingIngestPort, KeyProvider } from '@neurocipher/seg-ports';
import { makeUserDirSync } from '../files/user-files.ts';
import { catalogLocation, keyLocation, storeLocation } from '../config/locations.ts';
import { retentionDays } from '../config/seg-config.ts';
import type { SegConfig } from '../config/seg-config.ts';
import type { Resources } from '../engine/resources.ts';
import { EvidenceStoreId, LakehouseId, ResourcesId, SegConfigId, resolve } from '../ids.ts';
import { awsPartSettings, loadAwsAdapter } from './aws.ts';
import { openBlobStore } from './stores.ts';

/** Name of the Iceberg catalog (pyiceberg's `SqlCatalog("seg", …)` opens the same tables). */
export const CATALOG_NAME = 'seg';

/**
 * The lakehouse of the configured parts: the tables, the finding store and the evidence store its commits
 * check every pointer against, and the catalog's URI as it may be printed (it never holds a password).
 */
export interface Lakehouse extends OpenedLakehouse {
  /** The catalog setting (`sqlite:/abs`, `postgres://USER@HOST:PORT/DB`, `rest:URL`). */
  catalogUri: string;
}

// The warehouse: a local folder, or S3 through a file IO over an S3 blob store (URIs `s3://bucket/prefix/…`).
async function warehouseOf(
  config: SegConfig,
  resources: Resources,
): Promise<{ io: FileIO; warehouse: string }> {
  const at = storeLocation('warehouse', config.warehouse);
  if (at.kind === 'file') {
    makeUserDirSync('warehouse', at.path);
    return { io: new LocalFileIO(), warehouse: fileUri(at.path) };
  }
  const blobs = await openBlobStore('warehouse', config.warehouse, config, resources);
  return { io: new BlobStoreFileIO({ blobs, uriPrefix: at.uri }), warehouse: at.uri };
}

function catalogOf(config: SegConfig, io: FileIO, warehouse: string): Catalog {
  const at = catalogLocation(config.catalog);
  switch (at.kind) {
    case 'sqlite':
      makeUserDirSync('catalog folder', dirname(at.path));
      return new SqlCatalog({ name: CATALOG_NAME, driver: new SqliteDriver(at.path), io, warehouse });
    case 'postgres':
      // The password comes from PGPASSWORD or ~/.pgpass (the pg driver reads them), never from the config.
      return new SqlCatalog({ name: CATALOG_NAME, driver: new PostgresDriver(at.uri), io, warehouse });
    case 'rest':
      // The server decides table locations; the warehouse setting only picks the file IO that reaches
      // them. No warehouse identifier is sent: iceberg-js would take it as the URL path prefix.
      return new RestCatalog({ uri: at.uri, name: CATALOG_NAME });
  }
}

/** The master key that seals evidence URIs: a local key file (created on first use) or a KMS key. */
async function keyProviderOf(config: SegConfig, resources: Resources): Promise<KeyProvider> {
  const at = keyLocation('master_key', config.master_key);
  if (at.kind === 'file') return new LocalKeyProvider({ keyFile: at.path });
  const aws = await loadAwsAdapter(`master_key awskms:${at.key_id}`);
  const { part, destroy } = aws.openKmsKeyProvider({ ...awsPartSettings(config), keyId: at.key_id });
  return resources.hold(part, destroy);
}

/**
 * Binds the lakehouse and its ports: `BlobStoreId` (the evidence blobs and plan records),
 * {@link EvidenceStoreId} and `EvidenceSinkId` (the evidence store: redacted, hashed once, stored, kept
 * `tenants.<org>.retention_days`), `KeyProviderId` (the master key), {@link LakehouseId} and
 * `FindingIngestPortId` (the Iceberg finding store). Catalog (`sqlite:`, `postgres://`, `rest:`),
 * warehouse and blobs (`file:`, `s3://`) and master key (`file:`, `awskms:`) are the configured ones;
 * each is opened when first asked for, and the catalog is closed with the engine.
 */
export function lakehouseModule(): ContainerModule {
  return new ContainerModule((options) => {
    options
      .bind<BlobStore>(BlobStoreId)
      .toDynamicValue(async (context) => {
        const config = await resolve(context, SegConfigId);
        return openBlobStore('blobs', config.blobs, config, await resolve(context, ResourcesId));
      })
      .inSingletonScope();
    options
      .bind<EvidenceStore>(EvidenceStoreId)
      .toDynamicValue(
        async (context) =>
          new EvidenceStore({
            blobs: await resolve(context, BlobStoreId),
            redactor: await resolve(context, RedactorId),
            retentionDays: retentionDays(await resolve(context, SegConfigId)),
          }),
      )
      .inSingletonScope();
    options.bind<EvidenceSink>(EvidenceSinkId).toDynamicValue((context) => resolve(context, EvidenceStoreId));
    options
      .bind<KeyProvider>(KeyProviderId)
      .toDynamicValue(async (context) =>
        keyProviderOf(await resolve(context, SegConfigId), await resolve(context, ResourcesId)),
      )
      .inSingletonScope();
    options
      .bind<Lakehouse>(LakehouseId)
      .toDynamicValue(async (context): Promise<Lakehouse> => {
        const config = await resolve(context, SegConfigId);
        const resources = await resolve(context, ResourcesId);
        const { io, warehouse } = await warehouseOf(config, resources);
        const lake = openLakehouse({
          catalog: catalogOf(config, io, warehouse),
          io,
          evidence: await resolve(context, EvidenceStoreId),
          keys: await resolve(context, KeyProviderId),
          // seg.findings.committed goes out on the engine's bus once a run's commit is acknowledged.
          events: await resolve(context, EventBusId),
        });
        resources.hold(lake, () => lake.close());
        return { ...lake, catalogUri: config.catalog };
      })
      .inSingletonScope();
    options
      .bind<FindingIngestPort>(FindingIngestPortId)
      .toDynamicValue(async (context) => (await resolve(context, LakehouseId)).store)
      .inSingletonScope();
  });
}
