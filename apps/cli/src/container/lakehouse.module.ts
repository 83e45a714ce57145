import { dirname } from 'node:path';
import { ContainerModule } from 'inversify';
import { SegError } from '@neurocipher/seg-contracts';
import type { CommittedFilesSource } from '@neurocipher/seg-core';
import {
  EvidenceStore,
  IcebergFindingStore,
  LakehouseTables,
  LocalBlobStore,
  LocalFileIO,
  LocalKeyProvider,
  SqlCatalog,
  SqliteDriver,
  committedFiles,
  fileUri,
} from '@neurocipher/seg-lakehouse';
import type { FileIO } from '@neurocipher/seg-lakehouse';
import type { Redactor } from '@neurocipher/seg-ports';
import { RedactorId } from '@neurocipher/seg-ports';
import { makeUserDirSync } from '../cli/file-errors.ts';
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
          makeUserDirSync('catalog folder', dirname(dbPath));
          makeUserDirSync('warehouse', warehouse);
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
