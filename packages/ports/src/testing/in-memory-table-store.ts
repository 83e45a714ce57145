import { SegError } from '@neurocipher/seg-contracts';
import type { TableCommit } from '@neurocipher/seg-contracts';
import type { TableAppendOptions, TableRow, TableScanOptions, TableStore } from '../storage/table-store.ts';

/** Declaration of one table of an {@link InMemoryTableStore}. */
export interface InMemoryTableDefinition {
  /** The columns a row may have; any column when absent. */
  columns?: readonly string[];
}

/** Options of {@link InMemoryTableStore}. */
export interface InMemoryTableStoreOptions {
  /**
   * The tables that exist. When absent, a table comes into existence on its first append, and reading a
   * table never appended to is `SEG_NOT_FOUND`.
   */
  tables?: Readonly<Record<string, InMemoryTableDefinition>>;
}

interface Snapshot {
  id: string;
  rows: TableRow[];
}

interface Table {
  columns: ReadonlySet<string> | undefined;
  snapshots: Snapshot[];
  commits: Map<string, TableCommit>;
}

/**
 * A {@link TableStore} in memory: each append is one snapshot (atomic, since nothing interleaves inside a
 * synchronous block), snapshot ids are decimal strings increasing across the whole store, rows are
 * deep-copied in and out (`structuredClone`, so bigint values survive), and `commit_key` makes an append
 * idempotent per table.
 */
export class InMemoryTableStore implements TableStore {
  readonly #tables = new Map<string, Table>();
  readonly #declared: boolean;
  #nextSnapshot = 1n;

  constructor(options: InMemoryTableStoreOptions = {}) {
    this.#declared = options.tables !== undefined;
    for (const [name, definition] of Object.entries(options.tables ?? {})) {
      this.#tables.set(name, {
        columns: definition.columns === undefined ? undefined : new Set(definition.columns),
        snapshots: [],
        commits: new Map(),
      });
    }
  }

  async append(
    table: string,
    rows: readonly TableRow[],
    options: TableAppendOptions = {},
  ): Promise<TableCommit> {
    let target = this.#tables.get(table);
    if (target === undefined) {
      if (this.#declared) throw notFound('table', table);
      target = { columns: undefined, snapshots: [], commits: new Map() };
      this.#tables.set(table, target);
    }
    if (options.commit_key !== undefined) {
      const previous = target.commits.get(options.commit_key);
      if (previous !== undefined) return { ...previous };
    }
    const copies = rows.map((row, index) => {
      if (row === null || typeof row !== 'object' || Array.isArray(row)) {
        throw schemaViolation(table, `row ${index} is not an object`, [String(index)]);
      }
      if (target.columns !== undefined) {
        const unknown = Object.keys(row).filter((column) => !target.columns?.has(column));
        if (unknown.length > 0) {
          throw schemaViolation(
            table,
            `row ${index} has unknown columns`,
            unknown.map((c) => `${index}.${c}`),
          );
        }
      }
      return structuredClone(row);
    });
    const id = String(this.#nextSnapshot);
    this.#nextSnapshot += 1n;
    target.snapshots.push({ id, rows: copies });
    const commit: TableCommit = { table, snapshot_id: id, rows_added: copies.length };
    if (options.commit_key !== undefined) target.commits.set(options.commit_key, commit);
    return { ...commit };
  }

  async scan(table: string, options: TableScanOptions = {}): Promise<TableRow[]> {
    const target = this.#table(table);
    let end = target.snapshots.length;
    if (options.snapshot_id !== undefined) {
      end = target.snapshots.findIndex((snapshot) => snapshot.id === options.snapshot_id) + 1;
      if (end === 0) throw notFound('snapshot', options.snapshot_id, { table });
    }
    const where = Object.entries(options.where ?? {});
    const out: TableRow[] = [];
    for (const snapshot of target.snapshots.slice(0, end)) {
      for (const row of snapshot.rows) {
        if (where.every(([column, value]) => row[column] === value)) out.push(structuredClone(row));
      }
    }
    return out;
  }

  async snapshots(table: string): Promise<string[]> {
    return this.#table(table).snapshots.map((snapshot) => snapshot.id);
  }

  #table(name: string): Table {
    const table = this.#tables.get(name);
    if (table === undefined) throw notFound('table', name);
    return table;
  }
}

function notFound(what: string, name: string, details: Record<string, unknown> = {}): SegError {
  return new SegError({
    error_code: 'SEG_NOT_FOUND',
    message: `unknown ${what}: ${name}`,
    details: { ...details, [what]: name },
  });
}

function schemaViolation(table: string, message: string, paths: string[]): SegError {
  return new SegError({
    error_code: 'SEG_SCHEMA_VIOLATION',
    message: `${table}: ${message}`,
    details: { table, paths },
  });
}
