// Test helpers: a lakehouse on a temporary SQLite (or given) catalog, and the pyiceberg reader.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import type { Clock } from '@neurocipher/seg-ports';
import type { Catalog } from '../src/catalog/catalog.ts';
import { SqlCatalog } from '../src/catalog/sql-catalog.ts';
import type { SqlDriver } from '../src/catalog/sql-driver.ts';
import { SqliteDriver } from '../src/catalog/sqlite-driver.ts';
import { LocalKeyProvider } from '../src/evidence/local-key-provider.ts';
import { IcebergFindingStore } from '../src/ingest/iceberg-finding-store.ts';
import { fileUri, LocalFileIO } from '../src/io/local-file-io.ts';
import { LakehouseTables } from '../src/tables/lakehouse-tables.ts';
import { parseLossless } from '../src/iceberg/lossless-json.ts';

const run = promisify(execFile);

/** The bootstrap venv's python (SEG_PYTHON), which has pyiceberg. */
export const PYTHON =
  process.env.SEG_PYTHON ?? join(import.meta.dirname, '..', '..', '..', '.tools', 'venv', 'bin', 'python');

/** A fixed clock for deterministic committed_at values. */
export const fixedClock: Clock = { now: () => new Date('2026-01-02T04:05:06.789Z') };

/** A lakehouse (catalog, tables, finding store) over a directory and a SQL driver or a ready catalog. */
export function openLake(dir: string, via: SqlDriver | Catalog = new SqliteDriver(join(dir, 'catalog.db'))) {
  const io = new LocalFileIO();
  const catalog: Catalog =
    'commitSnapshot' in via
      ? via
      : new SqlCatalog({ name: 'seg', driver: via, io, warehouse: fileUri(join(dir, 'warehouse')) });
  const tables = new LakehouseTables({ catalog, io });
  const keys = new LocalKeyProvider({ masterKey: randomBytes(32) });
  const store = new IcebergFindingStore({ tables, keys, clock: fixedClock });
  return { io, catalog, tables, keys, store };
}

/** One table as pyiceberg sees it. */
export interface PyTable {
  schema: { id: number; name: string; type: string; required: boolean }[];
  spec: { source_id: number; field_id: number; name: string; transform: string }[];
  snapshot_id: string;
  row_count: number;
  rows: Record<string, unknown>[];
  per_org: Record<string, number>;
}

/** Reads tables with pyiceberg through the SQL catalog at `uri` (an SQLAlchemy URI). */
export async function readWithPyiceberg(
  uri: string,
  tables: readonly string[],
): Promise<Record<string, PyTable>> {
  const script = new URL('./pyiceberg_read.py', import.meta.url).pathname;
  const { stdout } = await run(PYTHON, [script, 'seg', uri, 'seg', ...tables], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return parseLossless(stdout);
}

/** The tables pyiceberg lists in namespace `seg` of the SQL catalog at `uri`, sorted by name. */
export async function listWithPyiceberg(uri: string): Promise<string[]> {
  const script = new URL('./pyiceberg_read.py', import.meta.url).pathname;
  const { stdout } = await run(PYTHON, [script, '--list', 'seg', uri, 'seg']);
  return JSON.parse(stdout) as string[];
}

/** Reads several catalogs in one pyiceberg process (each: SQLAlchemy URI and tables). */
export async function readManyWithPyiceberg(
  specs: readonly { uri: string; tables: readonly string[] }[],
): Promise<Record<string, PyTable>[]> {
  const script = new URL('./pyiceberg_read.py', import.meta.url).pathname;
  const arg = JSON.stringify(specs.map((s) => ['seg', s.uri, 'seg', s.tables]));
  const { stdout } = await run(PYTHON, [script, '--many', arg], { maxBuffer: 256 * 1024 * 1024 });
  return parseLossless(stdout);
}
