import { join, resolve } from 'node:path';
import type { Clock, EventBus, KeyProvider, Redactor } from '@neurocipher/seg-ports';
import { SqlCatalog } from '../catalog/sql-catalog.ts';
import { SqliteDriver } from '../catalog/sqlite-driver.ts';
import { EvidenceStore } from '../evidence/evidence-store.ts';
import { LocalBlobStore } from '../evidence/local-blob-store.ts';
import { LocalKeyProvider } from '../evidence/local-key-provider.ts';
import { IcebergFindingStore } from '../ingest/iceberg-finding-store.ts';
import { fileUri, LocalFileIO } from '../io/local-file-io.ts';
import { LakehouseTables } from '../tables/lakehouse-tables.ts';

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
 * (Iceberg tables), `blobs/` (evidence) and `keys/master.key` (local envelope key).
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
  const tables = new LakehouseTables({ catalog, io, ...(clock ? { now: () => clock.now().getTime() } : {}) });
  const evidence = new EvidenceStore({
    blobs: new LocalBlobStore({ root: join(root, 'blobs') }),
    ...(clock ? { clock } : {}),
    ...(options.retentionDays ? { retentionDays: options.retentionDays } : {}),
    ...(options.redactor ? { redactor: options.redactor } : {}),
  });
  const keys = options.keys ?? new LocalKeyProvider({ keyFile: join(root, 'keys', 'master.key') });
  const store = new IcebergFindingStore({
    tables,
    keys,
    evidence,
    ...(clock ? { clock } : {}),
    ...(options.events ? { events: options.events } : {}),
  });
  return {
    root,
    catalog,
    tables,
    evidence,
    store,
    sqlalchemyUri: `sqlite:///${dbPath}`,
    close: () => catalog.close(),
  };
}
