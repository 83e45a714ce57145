import type { Snapshot, TableMetadata } from '../iceberg/table-metadata.ts';
import type { IcebergSchema, PartitionSpec } from '../iceberg/schema.ts';

/** A table identifier: one namespace level and a table name (`seg.findings`). */
export interface TableIdent {
  namespace: string;
  name: string;
}

/** A table as loaded from a catalog: its metadata and where that metadata lives. */
export interface LoadedTable {
  ident: TableIdent;
  metadataLocation: string;
  metadata: TableMetadata;
}

/** What a new table is made of. */
export interface TableCreateSpec {
  schema: IcebergSchema;
  spec: PartitionSpec;
  properties?: Record<string, string>;
}

/** Thrown by {@link Catalog.commitSnapshot} when another writer committed first (retry from a fresh load). */
export class CommitConflictError extends Error {
  /** Creates the error for a table. */
  constructor(ident: TableIdent) {
    super(`table ${ident.namespace}.${ident.name} was updated by another writer`);
    this.name = 'CommitConflictError';
  }
}

/**
 * An Iceberg catalog: it owns the pointer from a table name to its current metadata. Commits are
 * compare-and-swap on that pointer, so concurrent writers never lose a commit (the loser retries).
 */
export interface Catalog {
  /** Catalog name (`iceberg_tables.catalog_name` for SQL catalogs). */
  readonly name: string;
  /** The warehouse root URI under which new tables are placed. */
  readonly warehouse: string;
  /** Creates a namespace if missing. Idempotent. */
  ensureNamespace(namespace: string): Promise<void>;
  /** Creates a table if missing and returns it (an existing table is returned unchanged). */
  ensureTable(ident: TableIdent, create: TableCreateSpec): Promise<LoadedTable>;
  /** Loads a table's current metadata; rejects with a not-found error for an unknown table. */
  loadTable(ident: TableIdent): Promise<LoadedTable>;
  /**
   * Atomically makes `snapshot` the current snapshot of `main`, iff the table is still at `base`.
   * Resolves only once the new pointer is durable; throws {@link CommitConflictError} otherwise.
   */
  commitSnapshot(base: LoadedTable, snapshot: Snapshot): Promise<LoadedTable>;
  /** Releases connections. */
  close(): Promise<void>;
}
