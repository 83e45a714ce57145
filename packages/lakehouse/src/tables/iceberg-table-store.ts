// The TableStore port over the seven Iceberg tables: raw rows in the tables' column form.
import type { TableCommit } from '@neurocipher/seg-contracts';
import { isSegError, SegError } from '@neurocipher/seg-contracts';
import type { TableAppendOptions, TableRow, TableScanOptions, TableStore } from '@neurocipher/seg-ports';
import { CommitConflictError } from '../catalog/catalog.ts';
import type { IcebergField, Row, RowValue } from '../iceberg/schema.ts';
import { snapshotAncestry } from '../iceberg/table-metadata.ts';
import type { LakehouseTables } from './lakehouse-tables.ts';
import type { TableName } from './table-definitions.ts';
import { TABLE_NAMES } from './table-definitions.ts';
import { isoToMicros, microsToIso } from './timestamps.ts';

/** Snapshot summary key holding a {@link TableAppendOptions.commit_key}. */
export const TABLE_COMMIT_KEY = 'seg.table-commit-key';

function tableName(table: string): TableName {
  if (!(TABLE_NAMES as readonly string[]).includes(table)) {
    throw new SegError({ error_code: 'SEG_NOT_FOUND', message: `no table ${table}` });
  }
  return table as TableName;
}

function violation(message: string, details: Record<string, unknown>): SegError {
  return new SegError({ error_code: 'SEG_SCHEMA_VIOLATION', message, details });
}

function encodeValue(f: IcebergField, v: unknown, index: number): RowValue {
  if (v === undefined || v === null) {
    if (f.required)
      throw violation(`row ${index}: column ${f.name} is required`, { row: index, column: f.name });
    return null;
  }
  const bad = () =>
    violation(`row ${index}: column ${f.name} must be ${f.type}`, { row: index, column: f.name });
  switch (f.type) {
    case 'string':
      if (typeof v !== 'string') throw bad();
      return v;
    case 'timestamptz':
      if (typeof v === 'bigint') return v;
      if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw bad();
      return isoToMicros(v);
    case 'long':
      if (typeof v === 'bigint') return v;
      if (typeof v !== 'number' || !Number.isInteger(v)) throw bad();
      return BigInt(v);
    case 'int':
    case 'date':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw bad();
      return v;
    case 'double':
      if (typeof v !== 'number') throw bad();
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') throw bad();
      return v;
  }
}

function decodeRow(fields: readonly IcebergField[], row: Row): TableRow {
  const out: TableRow = {};
  for (const f of fields) {
    const v = row[f.name] ?? null;
    out[f.name] = v !== null && f.type === 'timestamptz' ? microsToIso(BigInt(v)) : v;
  }
  return out;
}

/** Options of {@link IcebergTableStore}. */
export interface IcebergTableStoreOptions {
  tables: LakehouseTables;
}

/**
 * {@link TableStore} on the canonical Iceberg tables. Rows use the tables' columns (see
 * `tableLayout(name).columns`); timestamps go in as RFC 3339 strings (or bigint microseconds) and come
 * out as RFC 3339 UTC strings, longs as bigint.
 */
export class IcebergTableStore implements TableStore {
  readonly #tables: LakehouseTables;

  /** Creates the store over the tables. */
  constructor(options: IcebergTableStoreOptions) {
    this.#tables = options.tables;
  }

  /** Appends rows as one snapshot; with a `commit_key`, a repeat returns the first commit. */
  async append(
    table: string,
    rows: readonly TableRow[],
    options: TableAppendOptions = {},
  ): Promise<TableCommit> {
    const name = tableName(table);
    const fields = this.#tables.layout(name).schema.fields;
    const known = new Set(fields.map((f) => f.name));
    const encoded = rows.map((r, i) => {
      for (const k of Object.keys(r))
        if (!known.has(k)) throw violation(`row ${i}: unknown column ${k}`, { row: i, column: k });
      const out: Row = {};
      for (const f of fields) out[f.name] = encodeValue(f, r[f.name], i);
      return out;
    });
    const key = options.commit_key;
    let existing: string | undefined;
    try {
      const out = await this.#tables.table(name).append(encoded, {
        ...(key !== undefined ? { summary: { [TABLE_COMMIT_KEY]: key } } : {}),
        prepare: async (loaded) => {
          if (key === undefined) return encoded;
          const prior = snapshotAncestry(loaded.metadata).find((s) => s.summary[TABLE_COMMIT_KEY] === key);
          existing = prior ? String(prior['snapshot-id']) : undefined;
          return prior ? [] : encoded;
        },
      });
      if (out.snapshotId === null) {
        return {
          table: name,
          snapshot_id:
            existing ?? String((await this.#tables.table(name).load()).metadata['current-snapshot-id'] ?? -1),
          rows_added: 0,
        };
      }
      return { table: name, snapshot_id: out.snapshotId.toString(), rows_added: out.addedRows };
    } catch (err) {
      if (isSegError(err)) throw err;
      if (err instanceof CommitConflictError) {
        throw new SegError({
          error_code: 'SEG_CONFLICT',
          message: `append to ${name}: concurrent writers kept winning`,
          cause: err,
        });
      }
      throw new SegError({
        error_code: 'SEG_EVIDENCE_WRITE_FAILED',
        message: `append to ${name} failed`,
        retryable: true,
        cause: err,
      });
    }
  }

  /** Rows of a table at a snapshot (current by default), filtered by column equality. */
  async scan(table: string, options: TableScanOptions = {}): Promise<TableRow[]> {
    const name = tableName(table);
    const fields = this.#tables.layout(name).schema.fields;
    const where = Object.entries(options.where ?? {});
    if (options.snapshot_id !== undefined) {
      const { metadata } = await this.#tables.table(name).load();
      if (!metadata.snapshots.some((s) => String(s['snapshot-id']) === options.snapshot_id)) {
        throw new SegError({
          error_code: 'SEG_NOT_FOUND',
          message: `table ${name} has no snapshot ${options.snapshot_id}`,
        });
      }
    }
    const rows = await this.#tables.table(name).scan({
      ...(options.snapshot_id !== undefined ? { snapshotId: BigInt(options.snapshot_id) } : {}),
    });
    return rows
      .map((r) => decodeRow(fields, r))
      .filter((r) =>
        where.every(([k, v]) =>
          typeof r[k] === 'bigint' || typeof v === 'bigint' ? String(r[k]) === String(v) : r[k] === v,
        ),
      );
  }

  /** Snapshot ids of a table, oldest first. */
  async snapshots(table: string): Promise<string[]> {
    const name = tableName(table);
    const { metadata } = await this.#tables.table(name).load();
    return metadata.snapshots.map((s) => String(s['snapshot-id']));
  }
}
