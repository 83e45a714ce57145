// The Iceberg JDBC / pyiceberg SqlCatalog schema ("V1", with iceberg_type), on SQLite or PostgreSQL,
// so pyiceberg, Spark (type=jdbc) and Trino can open the same catalog (notes/iceberg.md §4).
import { randomUUID } from 'node:crypto';
import { parseLossless, stringifyLossless } from '../iceberg/lossless-json.ts';
import type { Snapshot, TableMetadata } from '../iceberg/table-metadata.ts';
import { metadataVersion, newTableMetadata, withSnapshot } from '../iceberg/table-metadata.ts';
import type { FileIO } from '../io/file-io.ts';
import type { Catalog, LoadedTable, TableCreateSpec, TableIdent } from './catalog.ts';
import { CommitConflictError } from './catalog.ts';
import type { SqlDriver } from './sql-driver.ts';

const DDL = [
  `CREATE TABLE IF NOT EXISTS iceberg_tables (
    catalog_name VARCHAR(255) NOT NULL,
    table_namespace VARCHAR(255) NOT NULL,
    table_name VARCHAR(255) NOT NULL,
    metadata_location VARCHAR(1000),
    previous_metadata_location VARCHAR(1000),
    iceberg_type VARCHAR(5),
    PRIMARY KEY (catalog_name, table_namespace, table_name))`,
  `CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (
    catalog_name VARCHAR(255) NOT NULL,
    namespace VARCHAR(255) NOT NULL,
    property_key VARCHAR(255) NOT NULL,
    property_value VARCHAR(1000) NOT NULL,
    PRIMARY KEY (catalog_name, namespace, property_key))`,
];

/** Options of {@link SqlCatalog}. */
export interface SqlCatalogOptions {
  /** Catalog name (pyiceberg's `SqlCatalog(name, …)` must use the same). */
  name: string;
  /** The SQL connection. */
  driver: SqlDriver;
  /** Where table files live. */
  io: FileIO;
  /** Warehouse root URI (`file:///abs/warehouse`). */
  warehouse: string;
  /** Clock for `last-updated-ms` (defaults to Date.now). */
  now?: () => number;
}

/** Thrown when a table is not in the catalog. */
export class TableNotFoundError extends Error {
  /** Creates the error for a table. */
  constructor(ident: TableIdent) {
    super(`table ${ident.namespace}.${ident.name} does not exist`);
    this.name = 'TableNotFoundError';
  }
}

/** Iceberg SQL catalog with compare-and-swap commits of `metadata_location`. */
export class SqlCatalog implements Catalog {
  /** Catalog name. */
  readonly name: string;
  /** Warehouse root URI. */
  readonly warehouse: string;
  readonly #driver: SqlDriver;
  readonly #io: FileIO;
  readonly #now: () => number;
  #ready: Promise<void> | undefined;

  /** Creates the catalog; tables are created lazily on first use. */
  constructor(options: SqlCatalogOptions) {
    this.name = options.name;
    this.warehouse = options.warehouse.replace(/\/$/, '');
    this.#driver = options.driver;
    this.#io = options.io;
    this.#now = options.now ?? Date.now;
  }

  async #init(): Promise<void> {
    this.#ready ??= (async () => {
      for (const ddl of DDL) {
        try {
          await this.#driver.exec(ddl);
        } catch (err) {
          // Two processes creating the tables at once: PostgreSQL may report a duplicate type.
          await new Promise((r) => setTimeout(r, 50));
          await this.#driver.exec(ddl).catch(() => {
            throw err;
          });
        }
      }
    })();
    return this.#ready;
  }

  /** Creates the namespace row (`exists` = `true`) if missing. */
  async ensureNamespace(namespace: string): Promise<void> {
    await this.#init();
    const rows = await this.#driver.query(
      'SELECT 1 AS x FROM iceberg_namespace_properties WHERE catalog_name = ? AND namespace = ? AND property_key = ?',
      [this.name, namespace, 'exists'],
    );
    if (rows.length > 0) return;
    await this.#driver
      .run(
        'INSERT INTO iceberg_namespace_properties (catalog_name, namespace, property_key, property_value) VALUES (?, ?, ?, ?)',
        [this.name, namespace, 'exists', 'true'],
      )
      .catch(async (err: unknown) => {
        const again = await this.#driver.query(
          'SELECT 1 AS x FROM iceberg_namespace_properties WHERE catalog_name = ? AND namespace = ? AND property_key = ?',
          [this.name, namespace, 'exists'],
        );
        if (again.length === 0) throw err;
      });
  }

  async #pointer(ident: TableIdent): Promise<string | undefined> {
    const rows = await this.#driver.query<{ metadata_location: string | null }>(
      `SELECT metadata_location FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?
        AND (iceberg_type = 'TABLE' OR iceberg_type IS NULL)`,
      [this.name, ident.namespace, ident.name],
    );
    return rows[0]?.metadata_location ?? undefined;
  }

  /** Loads the current metadata of a table. */
  async loadTable(ident: TableIdent): Promise<LoadedTable> {
    await this.#init();
    const location = await this.#pointer(ident);
    if (location === undefined) throw new TableNotFoundError(ident);
    const metadata = parseLossless<TableMetadata>((await this.#io.read(location)).toString('utf8'));
    return { ident, metadataLocation: location, metadata };
  }

  /** Creates the table (version 0 metadata, then the catalog row) unless it exists. */
  async ensureTable(ident: TableIdent, create: TableCreateSpec): Promise<LoadedTable> {
    await this.ensureNamespace(ident.namespace);
    const existing = await this.#pointer(ident);
    if (existing !== undefined) return this.loadTable(ident);
    const location = `${this.warehouse}/${ident.namespace}/${ident.name}`;
    const metadata = newTableMetadata({ location, ...create, nowMs: this.#now() });
    const metadataLocation = `${location}/metadata/00000-${randomUUID()}.metadata.json`;
    await this.#io.writeNew(metadataLocation, Buffer.from(stringifyLossless(metadata)));
    try {
      await this.#driver.run(
        `INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location, iceberg_type)
         VALUES (?, ?, ?, ?, NULL, 'TABLE')`,
        [this.name, ident.namespace, ident.name, metadataLocation],
      );
    } catch (err) {
      await this.#io.delete(metadataLocation);
      if ((await this.#pointer(ident)) === undefined) throw err;
      return this.loadTable(ident);
    }
    return { ident, metadataLocation, metadata };
  }

  /** Writes the next metadata file and swaps the pointer iff it is still `base.metadataLocation`. */
  async commitSnapshot(base: LoadedTable, snapshot: Snapshot): Promise<LoadedTable> {
    await this.#init();
    const next = withSnapshot(base.metadata, snapshot, base.metadataLocation);
    const version = metadataVersion(base.metadataLocation) + 1;
    const metadataLocation = `${base.metadata.location}/metadata/${String(version).padStart(5, '0')}-${randomUUID()}.metadata.json`;
    await this.#io.writeNew(metadataLocation, Buffer.from(stringifyLossless(next)));
    const changed = await this.#driver.run(
      `UPDATE iceberg_tables SET metadata_location = ?, previous_metadata_location = ?
        WHERE catalog_name = ? AND table_namespace = ? AND table_name = ? AND metadata_location = ?
          AND (iceberg_type = 'TABLE' OR iceberg_type IS NULL)`,
      [
        metadataLocation,
        base.metadataLocation,
        this.name,
        base.ident.namespace,
        base.ident.name,
        base.metadataLocation,
      ],
    );
    if (changed !== 1) {
      await this.#io.delete(metadataLocation);
      throw new CommitConflictError(base.ident);
    }
    return { ident: base.ident, metadataLocation, metadata: next };
  }

  /** Closes the SQL connection. */
  async close(): Promise<void> {
    await this.#driver.close();
  }
}
