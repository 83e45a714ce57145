// Append, scan and compact one Iceberg table through a catalog: the fast-append algorithm of
// notes/iceberg.md §2.6 with a compare-and-swap commit retried on conflict.
import { randomBytes, randomUUID } from 'node:crypto';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import type { Catalog, LoadedTable, TableCreateSpec, TableIdent } from '../catalog/catalog.ts';
import { CommitConflictError } from '../catalog/catalog.ts';
import { writeDataFiles } from '../iceberg/data-file-writer.ts';
import { PARQUET_DECOMPRESSORS, codecOf } from '../iceberg/parquet-encoder.ts';
import type { DataFile, FieldSummary, ManifestEntry, ManifestFile } from '../iceberg/manifest.ts';
import {
  decodeManifest,
  decodeManifestList,
  encodeManifest,
  encodeManifestList,
  ENTRY_ADDED,
  ENTRY_DELETED,
} from '../iceberg/manifest.ts';
import type { IcebergSchema, PartitionSpec, Row } from '../iceberg/schema.ts';
import { compareValues, partitionResultType, serializeSingleValue } from '../iceberg/schema.ts';
import type { Snapshot, TableMetadata } from '../iceberg/table-metadata.ts';
import { currentSchema, currentSnapshot, defaultSpec } from '../iceberg/table-metadata.ts';
import type { FileIO } from '../io/file-io.ts';

/** Options of {@link IcebergTable}. */
export interface IcebergTableOptions {
  catalog: Catalog;
  io: FileIO;
  ident: TableIdent;
  /** Schema and partition spec used when the table does not exist yet. */
  create: TableCreateSpec;
  /** Clock (ms) for snapshot timestamps. */
  now?: () => number;
  /** Maximum commit attempts before giving up (default 100). */
  maxAttempts?: number;
  /** Test hook: called at named points of a commit (used to inject crashes). */
  onCommitStep?: (step: CommitStep) => void | Promise<void>;
  /**
   * Awaited before every append and compaction, before the table is loaded (`LakehouseTables` creates
   * its sibling tables there, so the first write to a lakehouse makes all of them exist).
   */
  beforeWrite?: () => Promise<void>;
}

/** Named points of a commit, in order. */
export type CommitStep =
  'data-written' | 'manifest-written' | 'manifest-list-written' | 'before-swap' | 'after-swap';

/** The outcome of one append or compaction. */
export interface CommitOutcome {
  /** The new snapshot id, or null when nothing was committed. */
  snapshotId: bigint | null;
  /** Rows added. */
  addedRows: number;
  /** Data files added. */
  addedFiles: number;
  /** Attempts used (1 = no conflict). */
  attempts: number;
}

/** Options of {@link IcebergTable.append}. */
export interface AppendOptions {
  /** Extra snapshot summary properties (e.g. `seg.run-id`). */
  summary?: Record<string, string>;
  /**
   * Called with the freshly loaded table before every attempt; returns the rows to append (for
   * idempotent appends that drop rows already present). Defaults to all rows.
   */
  prepare?: (table: LoadedTable, rows: readonly Row[]) => Promise<readonly Row[]>;
}

/**
 * Rows whose string column holds one of `values`. A data file whose manifest bounds (lower and upper) of
 * that column leave none of the values in range cannot hold such a row and is not read; a file without
 * bounds for the column may and is read.
 */
export interface ColumnIn {
  /** A string column of the current schema. */
  column: string;
  values: readonly string[];
}

/** Options of {@link IcebergTable.scan}. */
export interface ScanOptions {
  /** Keep only files whose partition matches (partition values keyed by partition field name). */
  partition?: (partition: Record<string, unknown>) => boolean;
  /**
   * Keep only rows whose column is one of the values, and read only the data files whose column bounds
   * allow one of them (so reading one run touches only the files that may hold it). Several conditions
   * must all hold: a file is read only when the bounds of every one of them allow it.
   */
  where?: ColumnIn | readonly ColumnIn[];
  /** Keep only rows matching. */
  filter?: (row: Row) => boolean;
  /** Read at this snapshot instead of the current one. */
  snapshotId?: bigint;
  /** Read only these columns (current schema names); rows then hold just them. Default: every column. */
  columns?: readonly string[];
}

/** Rows {@link IcebergTable.compact} removes while it rewrites. */
export interface RowRemoval {
  /** The data files that may hold rows to remove (by column bounds); only those are read for it. */
  candidates: ColumnIn;
  /** The group a row to remove is counted under (a run id, say), or undefined to keep the row. */
  groupOf: (row: Row) => string | undefined;
}

/** Options of {@link IcebergTable.compact}. */
export interface CompactOptions {
  /**
   * Called with the freshly loaded table before every attempt: the rows to remove this time, if any. A
   * candidate file that holds some is rewritten without them even when it is alone in its partition; a
   * file that holds none is left as it is (unless its partition is merged). Rows are removed from merged
   * partitions too.
   */
  removal?: (table: LoadedTable) => Promise<RowRemoval | undefined>;
  /** Extra snapshot summary properties, given the removed rows counted by group (empty when none). */
  summary?: (removed: ReadonlyMap<string, number>) => Record<string, string>;
}

/** The outcome of {@link IcebergTable.compact}. */
export interface CompactOutcome extends CommitOutcome {
  /** Data files replaced (merged or rewritten without removed rows). */
  deletedFiles: number;
  /** Rows removed, counted by the group {@link RowRemoval.groupOf} gave them. */
  removed: ReadonlyMap<string, number>;
}

/** A live data file with the sequence number it was committed at. */
interface LiveFile {
  dataFile: DataFile;
  sequenceNumber: bigint;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function randomSnapshotId(): bigint {
  // Positive 63-bit ids, as Java writes; exercising the lossless path end to end.
  return randomBytes(8).readBigUInt64BE() & 0x7fff_ffff_ffff_ffffn || 1n;
}

function fieldSummaries(
  files: readonly DataFile[],
  schema: IcebergSchema,
  spec: PartitionSpec,
): FieldSummary[] {
  return spec.fields.map((pf) => {
    const type = partitionResultType(pf, schema);
    let containsNull = false;
    let lo: unknown = null;
    let hi: unknown = null;
    for (const f of files) {
      const v = f.partition[pf.name];
      if (v === null || v === undefined) {
        containsNull = true;
        continue;
      }
      if (lo === null || compareValues(type, v, lo) < 0) lo = v;
      if (hi === null || compareValues(type, v, hi) > 0) hi = v;
    }
    return {
      contains_null: containsNull,
      contains_nan: false,
      lower_bound: lo === null ? null : serializeSingleValue(type, lo),
      upper_bound: hi === null ? null : serializeSingleValue(type, hi),
    };
  });
}

// Whether a data file may hold a row whose string column (field `fieldId`) is one of `sorted` (UTF-8
// bytes, ascending): some value lies within the file's lower and upper bound, or the file has no bounds.
function mayHold(file: DataFile, fieldId: number, sorted: readonly Buffer[]): boolean {
  const lower = file.lower_bounds?.find((b) => b.key === fieldId)?.value;
  const upper = file.upper_bounds?.find((b) => b.key === fieldId)?.value;
  if (!lower || !upper) return true;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (Buffer.compare(sorted[mid] as Buffer, lower) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && Buffer.compare(sorted[lo] as Buffer, upper) <= 0;
}

// A compiled `ColumnIn`: the field id, the values in bound order, and the set to test rows with.
interface ColumnMatch {
  column: string;
  mayHold: (file: DataFile) => boolean;
  values: ReadonlySet<string>;
}

function columnMatch(schema: IcebergSchema, where: ColumnIn, table: string): ColumnMatch {
  const field = schema.fields.find((f) => f.name === where.column);
  if (!field) throw new Error(`no column ${where.column} in ${table}`);
  if (field.type !== 'string') throw new Error(`column ${where.column} of ${table} is not a string`);
  const values = new Set(where.values);
  const sorted = [...values].map((v) => Buffer.from(v, 'utf8')).sort(Buffer.compare);
  return { column: field.name, mayHold: (f) => mayHold(f, field.id, sorted), values };
}

function totals(parent: Snapshot | undefined) {
  const s: Record<string, string> = parent?.summary ?? {};
  const n = (k: string) => BigInt(s[k] ?? '0');
  return { records: n('total-records'), files: n('total-data-files'), size: n('total-files-size') };
}

// Marks a promise as handled now (its rejection is awaited later), so a write that fails while other
// work is awaited is not an unhandled rejection.
function observed<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** One Iceberg table: fast appends, scans and compaction with optimistic, retried commits. */
export class IcebergTable {
  readonly #o: Required<Omit<IcebergTableOptions, 'onCommitStep' | 'beforeWrite'>> &
    Pick<IcebergTableOptions, 'onCommitStep' | 'beforeWrite'>;
  #ensured: Promise<LoadedTable> | undefined;

  /** Binds a table; it is created on first use. */
  constructor(options: IcebergTableOptions) {
    this.#o = { now: Date.now, maxAttempts: 100, ...options };
  }

  /** The table identifier. */
  get ident(): TableIdent {
    return this.#o.ident;
  }

  /** Creates the table if it does not exist yet (asked of the catalog once per instance). */
  async ensure(): Promise<void> {
    this.#ensured ??= this.#o.catalog.ensureTable(this.#o.ident, this.#o.create);
    await this.#ensured;
  }

  /** Creates the table if needed and loads its current metadata. */
  async load(): Promise<LoadedTable> {
    await this.ensure();
    return this.#o.catalog.loadTable(this.#o.ident);
  }

  async #step(step: CommitStep): Promise<void> {
    await this.#o.onCommitStep?.(step);
  }

  async #manifestsOf(metadata: TableMetadata, snapshotId?: bigint): Promise<ManifestFile[]> {
    const snap =
      snapshotId === undefined
        ? currentSnapshot(metadata)
        : metadata.snapshots.find((s) => BigInt(s['snapshot-id']) === snapshotId);
    if (snapshotId !== undefined && !snap) throw new Error(`snapshot ${snapshotId} not found`);
    if (!snap) return [];
    return decodeManifestList(await this.#o.io.read(snap['manifest-list']));
  }

  async #liveFiles(
    metadata: TableMetadata,
    snapshotId?: bigint,
    manifests?: ManifestFile[],
  ): Promise<LiveFile[]> {
    const out: LiveFile[] = [];
    for (const m of manifests ?? (await this.#manifestsOf(metadata, snapshotId))) {
      if ((m.content ?? 0) !== 0) continue;
      for (const e of decodeManifest(await this.#o.io.read(m.manifest_path))) {
        if (e.status === ENTRY_DELETED) continue;
        const seq = e.sequence_number ?? BigInt(m.sequence_number ?? 0n);
        out.push({ dataFile: e.data_file, sequenceNumber: seq });
      }
    }
    // Oldest first (the manifest list starts with the newest manifest), so scans return commit order.
    return out.sort((a, b) =>
      a.sequenceNumber < b.sequenceNumber ? -1 : a.sequenceNumber > b.sequenceNumber ? 1 : 0,
    );
  }

  /**
   * Appends rows as one snapshot (one data file per partition, one manifest). Resolves once the
   * catalog pointer is durable. Concurrent writers are serialised by compare-and-swap and retried.
   */
  async append(rows: readonly Row[], options: AppendOptions = {}): Promise<CommitOutcome> {
    const io = this.#o.io;
    await this.#o.beforeWrite?.();
    for (let attempt = 1; ; attempt++) {
      const base = await this.load();
      const todo = options.prepare ? await options.prepare(base, rows) : rows;
      if (todo.length === 0) return { snapshotId: null, addedRows: 0, addedFiles: 0, attempts: attempt };
      const md = base.metadata;
      const schema = currentSchema(md);
      const spec = defaultSpec(md);
      const { files, durable } = await writeDataFiles(
        io,
        md.location,
        schema,
        spec,
        todo,
        codecOf(md.properties),
      );
      const written = files.map((f) => f.file_path);
      try {
        const snapshotId = randomSnapshotId();
        const entries: ManifestEntry[] = files.map((f) => ({
          status: ENTRY_ADDED,
          snapshot_id: snapshotId,
          sequence_number: null,
          file_sequence_number: null,
          data_file: f,
        }));
        const outcome = await this.#commitManifest(
          base,
          entries,
          undefined,
          snapshotId,
          'append',
          options.summary ?? {},
          written,
          durable,
        );
        return { ...outcome, attempts: attempt };
      } catch (err) {
        await Promise.all(written.map((p) => io.delete(p)));
        if (!(err instanceof CommitConflictError) || attempt >= this.#o.maxAttempts) throw err;
        await sleep(Math.random() * Math.min(200, 5 * 2 ** Math.min(attempt, 6)));
      }
    }
  }

  // Writes the manifest for `entries` and a manifest list of [new manifest, ...kept] while the data files
  // (`dataDurable`) are still being written, waits until all of them are durable, then writes the
  // metadata and swaps the catalog pointer. Every path started is in `written` before it is awaited.
  async #commitManifest(
    base: LoadedTable,
    entries: ManifestEntry[],
    keep: ManifestFile[] | undefined,
    snapshotId: bigint,
    operation: 'append' | 'replace' | 'overwrite',
    extra: Record<string, string>,
    written: string[],
    dataDurable: Promise<void>,
  ): Promise<Omit<CommitOutcome, 'attempts'>> {
    const io = this.#o.io;
    const md = base.metadata;
    const schema = currentSchema(md);
    const spec = defaultSpec(md);
    const parent = currentSnapshot(md);
    const seq = BigInt(md['last-sequence-number']) + 1n;
    const manifestPath = `${md.location}/metadata/${randomUUID()}-m0.avro`;
    const manifestBytes = encodeManifest(entries, schema, spec);
    written.push(manifestPath);
    const manifestDurable = observed(io.writeNew(manifestPath, manifestBytes));
    const added = entries.filter((e) => e.status === ENTRY_ADDED);
    const deleted = entries.filter((e) => e.status === ENTRY_DELETED);
    const rowsOf = (es: ManifestEntry[]) => es.reduce((n, e) => n + e.data_file.record_count, 0n);
    const sizeOf = (es: ManifestEntry[]) => es.reduce((n, e) => n + e.data_file.file_size_in_bytes, 0n);
    const newManifest: ManifestFile = {
      manifest_path: manifestPath,
      manifest_length: BigInt(manifestBytes.length),
      partition_spec_id: spec['spec-id'],
      content: 0,
      sequence_number: seq,
      min_sequence_number: seq,
      added_snapshot_id: snapshotId,
      added_files_count: added.length,
      existing_files_count: 0,
      deleted_files_count: deleted.length,
      added_rows_count: rowsOf(added),
      existing_rows_count: 0n,
      deleted_rows_count: rowsOf(deleted),
      partitions: fieldSummaries(
        entries.map((e) => e.data_file),
        schema,
        spec,
      ),
      key_metadata: null,
    };
    const listPath = `${md.location}/metadata/snap-${snapshotId}-1-${randomUUID()}.avro`;
    let listDurable: Promise<void> = Promise.resolve();
    let listError: unknown;
    try {
      const kept = keep ?? (await this.#manifestsOf(md));
      written.push(listPath);
      listDurable = observed(
        io.writeNew(
          listPath,
          encodeManifestList([newManifest, ...kept], {
            snapshotId,
            parentSnapshotId: parent ? BigInt(parent['snapshot-id']) : null,
            sequenceNumber: seq,
          }),
        ),
      );
    } catch (err) {
      listError = err;
    }
    // Nothing is cleaned up or retried while a write is still in flight.
    const settled = await Promise.allSettled([dataDurable, manifestDurable, listDurable]);
    const failed = settled.find((r) => r.status === 'rejected');
    if (listError !== undefined) throw listError;
    if (failed) throw failed.reason;
    await this.#step('data-written');
    await this.#step('manifest-written');
    await this.#step('manifest-list-written');
    const t = totals(parent);
    const partitions = new Set(added.map((e) => JSON.stringify(e.data_file.partition)));
    const summary: Snapshot['summary'] = {
      operation,
      'added-data-files': String(added.length),
      'added-records': String(rowsOf(added)),
      'added-files-size': String(sizeOf(added)),
      ...(deleted.length > 0
        ? {
            'deleted-data-files': String(deleted.length),
            'deleted-records': String(rowsOf(deleted)),
            'removed-files-size': String(sizeOf(deleted)),
          }
        : {}),
      'changed-partition-count': String(partitions.size),
      'total-records': String(t.records + rowsOf(added) - rowsOf(deleted)),
      'total-data-files': String(t.files + BigInt(added.length - deleted.length)),
      'total-files-size': String(t.size + sizeOf(added) - sizeOf(deleted)),
      'total-delete-files': '0',
      'total-position-deletes': '0',
      'total-equality-deletes': '0',
      ...extra,
    };
    const snapshot: Snapshot = {
      'snapshot-id': snapshotId,
      'parent-snapshot-id': parent ? BigInt(parent['snapshot-id']) : null,
      'sequence-number': seq,
      'timestamp-ms': Math.max(this.#o.now(), md['last-updated-ms']),
      'manifest-list': listPath,
      summary,
      'schema-id': schema['schema-id'],
    };
    await this.#step('before-swap');
    await this.#o.catalog.commitSnapshot(base, snapshot);
    await this.#step('after-swap');
    return { snapshotId, addedRows: Number(rowsOf(added)), addedFiles: added.length };
  }

  /**
   * Reads rows (column names from the current schema, matched by field id), data file by data file in
   * commit order (by sequence number). Only the data files that `partition` and `where` leave are read,
   * and of them only the columns asked for (and `where`'s).
   */
  async scan(options: ScanOptions = {}): Promise<Row[]> {
    const { metadata } = await this.load();
    const full = currentSchema(metadata);
    const where =
      options.where === undefined ? [] : 'column' in options.where ? [options.where] : options.where;
    const matches = where.map((w) => columnMatch(full, w, this.#o.ident.name));
    let schema = full;
    // The `where` columns are decoded to test rows, and dropped again when they were not asked for.
    const extra: string[] = [];
    if (options.columns) {
      const wanted = new Set(options.columns);
      const unknown = [...wanted].filter((c) => !full.fields.some((f) => f.name === c));
      if (unknown.length > 0) throw new Error(`no column ${unknown.join(', ')} in ${this.#o.ident.name}`);
      for (const m of matches) {
        if (!wanted.has(m.column)) {
          wanted.add(m.column);
          extra.push(m.column);
        }
      }
      schema = { ...full, fields: full.fields.filter((f) => wanted.has(f.name)) };
    }
    const out: Row[] = [];
    for (const { dataFile } of await this.#liveFiles(metadata, options.snapshotId)) {
      if (options.partition && !options.partition(dataFile.partition)) continue;
      if (!matches.every((m) => m.mayHold(dataFile))) continue;
      for (const row of await this.#rowsOfFile(dataFile, schema)) {
        if (!matches.every((m) => m.values.has(row[m.column] as string))) continue;
        for (const column of extra) delete row[column];
        if (!options.filter || options.filter(row)) out.push(row);
      }
    }
    return out;
  }

  /**
   * Rewrites the live data files of every partition that has more than one file into one file per
   * partition, and the files that hold rows `options.removal` removes into files without them (one
   * snapshot: `replace` when every row stays, `overwrite` when rows were removed). Readers at older
   * snapshots keep working.
   */
  async compact(options: CompactOptions = {}): Promise<CompactOutcome> {
    const io = this.#o.io;
    await this.#o.beforeWrite?.();
    for (let attempt = 1; ; attempt++) {
      const base = await this.load();
      const md = base.metadata;
      const manifests = await this.#manifestsOf(md);
      const live = await this.#liveFiles(md, undefined, manifests);
      const schema = currentSchema(md);
      const spec = defaultSpec(md);
      const removal = options.removal ? await options.removal(base) : undefined;
      const candidate = removal
        ? columnMatch(schema, removal.candidates, this.#o.ident.name).mayHold
        : () => false;
      const groups = new Map<string, LiveFile[]>();
      for (const f of live) {
        const key = JSON.stringify(f.dataFile.partition);
        const group = groups.get(key);
        if (group) group.push(f);
        else groups.set(key, [f]);
      }
      const removed = new Map<string, number>();
      const victims: LiveFile[] = [];
      // One partition at a time: only its rows are in memory while its file is encoded.
      const files: DataFile[] = [];
      const writes: Promise<void>[] = [];
      try {
        for (const group of groups.values()) {
          const merge = group.length > 1;
          if (!merge && !candidate((group[0] as LiveFile).dataFile)) continue;
          const rows: Row[] = [];
          let dropped = 0;
          for (const v of group) {
            for (const row of await this.#rowsOfFile(v.dataFile, schema)) {
              const gone = removal?.groupOf(row);
              if (gone === undefined) rows.push(row);
              else {
                dropped++;
                removed.set(gone, (removed.get(gone) ?? 0) + 1);
              }
            }
          }
          // A lone candidate that holds nothing to remove stays as it is.
          if (!merge && dropped === 0) continue;
          for (const v of group) victims.push(v);
          if (rows.length === 0) continue;
          const pending = await writeDataFiles(io, md.location, schema, spec, rows, codecOf(md.properties));
          for (const f of pending.files) files.push(f);
          writes.push(pending.durable);
        }
      } catch (err) {
        await Promise.allSettled(writes);
        await Promise.all(files.map((f) => io.delete(f.file_path)));
        throw err;
      }
      const nothing = { snapshotId: null, addedRows: 0, addedFiles: 0, attempts: attempt };
      if (victims.length === 0) return { ...nothing, deletedFiles: 0, removed };
      const victimPaths = new Set(victims.map((v) => v.dataFile.file_path));
      const durable = Promise.all(writes).then(() => undefined);
      durable.catch(() => undefined);
      const written = files.map((f) => f.file_path);
      try {
        const snapshotId = randomSnapshotId();
        const survivors = live.filter((f) => !victimPaths.has(f.dataFile.file_path));
        const entries: ManifestEntry[] = [
          ...files.map((f) => ({
            status: ENTRY_ADDED,
            snapshot_id: snapshotId,
            sequence_number: null,
            file_sequence_number: null,
            data_file: f,
          })),
          ...victims.map((v) => ({
            status: ENTRY_DELETED,
            snapshot_id: snapshotId,
            sequence_number: v.sequenceNumber,
            file_sequence_number: v.sequenceNumber,
            data_file: v.dataFile,
          })),
          ...survivors.map((v) => ({
            status: 0,
            snapshot_id: snapshotId,
            sequence_number: v.sequenceNumber,
            file_sequence_number: v.sequenceNumber,
            data_file: v.dataFile,
          })),
        ];
        const outcome = await this.#commitManifest(
          base,
          entries,
          [],
          snapshotId,
          removed.size > 0 ? 'overwrite' : 'replace',
          options.summary?.(removed) ?? {},
          written,
          durable,
        );
        return { ...outcome, attempts: attempt, deletedFiles: victims.length, removed };
      } catch (err) {
        await Promise.all(written.map((p) => io.delete(p)));
        if (!(err instanceof CommitConflictError) || attempt >= this.#o.maxAttempts) throw err;
        await sleep(Math.random() * 50);
      }
    }
  }

  // The rows of one data file with the columns of `schema` (matched by field id; a column the file lacks
  // is null). Only those columns are decoded.
  async #rowsOfFile(dataFile: DataFile, schema: IcebergSchema): Promise<Row[]> {
    const byId = new Map(schema.fields.map((f) => [f.id, f.name]));
    const buf = await this.#o.io.read(dataFile.file_path);
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    const pm = parquetMetadata(file);
    const rename = new Map<string, string>();
    for (const el of pm.schema.slice(1)) {
      const name = el.field_id === undefined ? undefined : byId.get(el.field_id);
      if (name !== undefined) rename.set(el.name, name);
    }
    if (rename.size === 0) {
      // None of the columns is in this file (written before they were added): every row is all null.
      return Array.from({ length: Number(pm.num_rows) }, () =>
        Object.fromEntries(schema.fields.map((f) => [f.name, null])),
      );
    }
    const raw = await parquetReadObjects({
      file,
      metadata: pm,
      columns: [...rename.keys()],
      compressors: PARQUET_DECOMPRESSORS,
      parsers: { timestampFromMicroseconds: (m: bigint) => m, dateFromDays: (d: number) => d } as never,
    });
    return raw.map((r) => {
      const row: Row = {};
      for (const [k, v] of Object.entries(r)) {
        const name = rename.get(k);
        if (name !== undefined) row[name] = (v ?? null) as Row[string];
      }
      for (const f of schema.fields) if (!(f.name in row)) row[f.name] = null;
      return row;
    });
  }
}
