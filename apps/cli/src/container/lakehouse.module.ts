import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ContainerModule } from 'inversify';
import { SegError } from '@neurocipher/seg-contracts';
import {
  IcebergFindingStore,
  LakehouseTables,
  LocalFileIO,
  LocalKeyProvider,
  SqlCatalog,
  SqliteDriver,
  fileUri,
} from '@neurocipher/seg-lakehouse';
import type { CliConfig } from '../config/cli-config.ts';
import { CliConfigId, LakehouseId } from './ids.ts';

/** The embedded lakehouse: the catalog (closed by the command when done) and the finding store. */
export interface Lakehouse {
  catalog: SqlCatalog;
  store: IcebergFindingStore;
  /** The catalog's URI, printed for other tools (`sqlite:<path>`). */
  catalogUri: string;
}

/** Binds {@link LakehouseId} to the Iceberg tables on the configured SQLite catalog and local warehouse. */
export function lakehouseModule(): ContainerModule {
  return new ContainerModule((options) => {
    options
      .bind<Lakehouse>(LakehouseId)
      .toResolvedValue(
        (config: CliConfig): Lakehouse => {
          if (!config.catalog.startsWith('sqlite:') || !config.warehouse.startsWith('file:')) {
            throw new SegError({
              error_code: 'SEG_INVALID_ARGUMENT',
              message:
                'the CLI supports the embedded lakehouse only (catalog sqlite:, warehouse file:) for now',
              details: { catalog: config.catalog, warehouse: config.warehouse },
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
          return { catalog, store: new IcebergFindingStore({ tables, keys }), catalogUri: config.catalog };
        },
        [CliConfigId],
      )
      .inSingletonScope();
  });
}
