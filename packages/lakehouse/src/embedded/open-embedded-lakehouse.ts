import { join, resolve } from 'node:path';
import type { Clock, EventBus, KeyProvider, Redactor } from '@neurocipher/seg-ports';
import { SqlCatalog } from '../catalog/sql-catalog.ts';
import { SqliteDriver } from '../catalog/sqlite-driver.ts';
import { EvidenceStore } from '../evidence/evidence-store.ts';
import { LocalBlobStore } from '../evidence/local-blob-store.ts';
import { LocalKeyProvider } from '../evidence/local-key-provider.ts';
import type { IcebergFindingStore } from '../ingest/iceberg-finding-store.ts';
import { fileUri, LocalFileIO } from '../io/local-file-io.ts';
import type { LakehouseTables } from '../tables/lakehouse-tables.ts';
import { openLakehouse } from './open-lakehouse.ts';

/** Options of {@link openEmbeddedLakehouse}. */
export interface EmbeddedLakehouseOptions {
  /** Root directory (default `./.seg`). */
  root?: string;
  /** Catalog name (default `seg`). */
  catalogName?: string;
  clock?: Clock;
  events?: EventBus;
  /** Key provider for evidence URIs (default: a local master key in `<root>/keys/master.key`). */
  keys?: KeyProvider;
  /** Per-tenant evidence retention in days (default 400 for everyone). */
  retentionDays?: Readonly<Record<string, number>>;
  /** Redacts evidence bodies before they are stored; without one the evidence store only reads. */
  redactor?: Redactor;
}

/** The embedded lakehouse and its parts. */
export interface EmbeddedLakehouse {
  root: string;
  catalog: SqlCatalog;
  tables: LakehouseTables;
  evidence: EvidenceStore;
  store: IcebergFindingStore;
  /** SQLAlchemy URI of the catalog, for pyiceberg's `SqlCatalog(uri=…)`. */
  sqlalchemyUri: string;
  close(): Promise<void>;
}

/**
 * The embedded default (DESIGN.md §7): under `root`, `catalog.db` (SQLite SQL catalog), `warehouse/`
 * (Iceberg tables), `blobs/` (evidence) and `keys/master.key` (local envelope key), assembled by
 * {@link openLakehouse}.
 */
export function openEmbeddedLakehouse(options: EmbeddedLakehouseOptions = {}): EmbeddedLakehouse {
  const root = resolve(options.root ?? '.seg');
  const io = new LocalFileIO();
  const dbPath = join(root, 'catalog.db');
  const catalog = new SqlCatalog({
    name: options.catalogName ?? 'seg',
    driver: new SqliteDriver(dbPath),
    io,
    warehouse: fileUri(join(root, 'warehouse')),
  });
  const clock = options.clock;
  const evidence = new EvidenceStore({
    blobs: new LocalBlobStore({ root: join(root, 'blobs') }),
    ...(clock ? { clock } : {}),
    ...(options.retentionDays ? { retentionDays: options.retentionDays } : {}),
    ...(options.redactor ? { redactor: options.redactor } : {}),
  });
  const lake = openLakehouse({
    catalog,
    io,
    evidence,
    keys: options.keys ?? new LocalKeyProvider({ keyFile: join(root, 'keys', 'master.key') }),
    clock,
    events: options.events,
  });
  return {
    root,
    catalog,
    tables: lake.tables,
    evidence: lake.evidence,
    store: lake.store,
    sqlalchemyUri: `sqlite:///${dbPath}`,
    close: lake.close,
  };
}
