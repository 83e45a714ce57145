import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ContainerModule } from 'inversify';
import { SegError } from '@neurocipher/seg-contracts';
import type { AppendResult } from '@neurocipher/seg-contracts';
import type { CommittedFilesSource, CommittedTable } from '@neurocipher/seg-core';
import {
  EvidenceStore,
  IcebergFindingStore,
  LakehouseTables,
  LocalBlobStore,
  LocalFileIO,
  LocalKeyProvider,
  SqlCatalog,
  SqliteDriver,
  TABLE_NAMES,
  fileUri,
} from '@neurocipher/seg-lakehouse';
import type { FileIO, TableName } from '@neurocipher/seg-lakehouse';
import type { Redactor } from '@neurocipher/seg-ports';
import { RedactorId } from '@neurocipher/seg-ports';
import type { CliConfig } from '../config/cli-config.ts';
import { CliConfigId, LakehouseId } from './ids.ts';

/**
 * The embedded lakehouse: the catalog (closed by the command when done), the tables, the finding store,
 * and the evidence store its commits check every pointer against.
 */
export interface Lakehouse extends CommittedFilesSource {
  catalog: SqlCatalog;
  tables: LakehouseTables;
  /** Reads warehouse files (`file:` URIs). */
  io: FileIO;
  store: IcebergFindingStore;
  /** Evidence blobs under `blobs` (redacted, RFC 8785, packed per chunk by `putMany`, verified on read). */
  evidence: EvidenceStore;
  /** The catalog's URI, printed for other tools (`sqlite:<path>`). */
  catalogUri: string;
}

function tableName(name: string): TableName {
  if (!(TABLE_NAMES as readonly string[]).includes(name)) {
    throw new SegError({ error_code: 'SEG_NOT_FOUND', message: `no lakehouse table ${name}` });
  }
  return name as TableName;
}

/**
 * The files a commit produced, per table: the snapshot's manifest list and, when the snapshot is still the
 * table's current one, the metadata file that made it current; paths relative to the table location.
 * Until the lakehouse reports the data files a snapshot added (with their digests), these pin the commit.
 */
async function committedFiles(
  tables: LakehouseTables,
  io: FileIO,
  result: AppendResult,
): Promise<CommittedTable[]> {
  return Promise.all(
    result.tables.map(async (commit) => {
      const loaded = await tables.table(tableName(commit.table)).load();
      const metadata = loaded.metadata;
      const snapshot = metadata.snapshots.find((s) => String(s['snapshot-id']) === commit.snapshot_id);
      if (!snapshot) {
        throw new SegError({
          error_code: 'SEG_NOT_FOUND',
          message: `snapshot ${commit.snapshot_id} is not in table ${commit.table}`,
          details: { table: commit.table, snapshot_id: commit.snapshot_id },
        });
      }
      const uris = [snapshot['manifest-list']];
      if (String(metadata['current-snapshot-id']) === commit.snapshot_id) uris.push(loaded.metadataLocation);
      const prefix = `${metadata.location.replace(/\/+$/, '')}/`;
      return {
        table: commit.table,
        snapshot_id: commit.snapshot_id,
        data_files: await Promise.all(
          uris.map(async (uri) => ({
            path: uri.startsWith(prefix) ? uri.slice(prefix.length) : uri,
            sha256: createHash('sha256')
              .update(await io.read(uri))
              .digest('hex'),
          })),
        ),
      };
    }),
  );
}

/**
 * Binds {@link LakehouseId} to the Iceberg tables on the configured SQLite catalog and local warehouse,
 * with the evidence store on the local blob folder.
 */
export function lakehouseModule(): ContainerModule {
  return new ContainerModule((options) => {
    options
      .bind<Lakehouse>(LakehouseId)
      .toResolvedValue(
        (config: CliConfig, redactor: Redactor): Lakehouse => {
          if (
            !config.catalog.startsWith('sqlite:') ||
            !config.warehouse.startsWith('file:') ||
            !config.blobs.startsWith('file:')
          ) {
            throw new SegError({
              error_code: 'SEG_INVALID_ARGUMENT',
              message:
                'the CLI supports the embedded lakehouse only (catalog sqlite:, warehouse file:, blobs file:) for now',
              details: { catalog: config.catalog, warehouse: config.warehouse, blobs: config.blobs },
            });
          }
          const dbPath = config.catalog.slice('sqlite:'.length);
          const warehouse = config.warehouse.slice('file:'.length);
          mkdirSync(dirname(dbPath), { recursive: true });
          mkdirSync(warehouse, { recursive: true });
          const io = new LocalFileIO();
          const catalog = new SqlCatalog({
            name: 'seg',
            driver: new SqliteDriver(dbPath),
            io,
            warehouse: fileUri(warehouse),
          });
          const tables = new LakehouseTables({ catalog, io });
          const keys = new LocalKeyProvider({ keyFile: config.master_key });
          const evidence = new EvidenceStore({
            blobs: new LocalBlobStore({ root: config.blobs.slice('file:'.length) }),
            redactor,
          });
          return {
            catalog,
            tables,
            io,
            store: new IcebergFindingStore({ tables, keys, evidence }),
            evidence,
            catalogUri: config.catalog,
            committedFiles: (result) => committedFiles(tables, io, result),
          };
        },
        [CliConfigId, RedactorId],
      )
      .inSingletonScope();
  });
}
