import type { TableCommit } from '@neurocipher/seg-contracts';
import type { PortId } from '../ids/port-id.ts';

/** One row of a table: column name to a JSON-compatible value (64-bit integers as bigint). */
export type TableRow = Record<string, unknown>;

/** Options of {@link TableStore.append}. */
export interface TableAppendOptions {
  /**
   * Makes the append idempotent: a second append with the same key to the same table adds nothing and
   * returns the first commit.
   */
  commit_key?: string;
}

/** Options of {@link TableStore.scan}. */
export interface TableScanOptions {
  /** Reads the table as of this snapshot (decimal 64-bit id); the current snapshot when absent. */
  snapshot_id?: string;
  /** Keeps rows whose columns equal every entry. */
  where?: Record<string, string | number | boolean | bigint>;
}

/**
 * Append-only tables (DESIGN.md §7): the seven canonical Iceberg tables in production, a list in tests.
 *
 * Each `append` is one atomic snapshot: readers see all of its rows or none. Concurrent appends never lose
 * a commit (compare-and-swap, retried). Appends are idempotent when a `commit_key` is given.
 *
 * Errors: `SEG_NOT_FOUND` for an unknown table or snapshot, `SEG_SCHEMA_VIOLATION` for a row that does not
 * fit the table, `SEG_CONFLICT` (retryable) when concurrent writers won past the retry budget,
 * `SEG_EVIDENCE_WRITE_FAILED` (retryable) when the write failed and nothing became visible.
 */
export interface TableStore {
  /** Appends rows in one snapshot. */
  append(table: string, rows: readonly TableRow[], options?: TableAppendOptions): Promise<TableCommit>;
  /** Rows of the table at a snapshot, filtered by equality. */
  scan(table: string, options?: TableScanOptions): Promise<TableRow[]>;
  /** The table's snapshot ids, oldest first. */
  snapshots(table: string): Promise<string[]>;
}

/** Inversion-of-control id of {@link TableStore}. */
export const TableStoreId: PortId<TableStore> = Symbol.for('seg.ports.TableStore');
