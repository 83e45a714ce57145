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

/** Options of {@link IcebergTable.scan}. */
export interface ScanOptions {
  /** Keep only files whose partition matches (partition values keyed by partition field name). */
  partition?: (partition: Record<string, unknown>) => boolean;
  /** Keep only rows matching. */
  filter?: (row: Row) => boolean;
  /** Read at this snapshot instead of the current one. */
  snapshotId?: bigint;
  /** Read only these columns (current schema names); rows then hold just them. Default: every column. */
  columns?: readonly string[];
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
  readonly #o: Required<Omit<IcebergTableOptions, 'onCommitStep'>> &
    Pick<IcebergTableOptions, 'onCommitStep'>;
  #ensured: Promise<LoadedTable> | undefined;

  /** Binds a table; it is created on first use. */
  constructor(options: IcebergTableOptions) {
    this.#o = { now: Date.now, maxAttempts: 100, ...options };
  }

  /** The table identifier. */
  get ident(): TableIdent {
    return this.#o.ident;
  }

  /** Creates the table if needed and loads its current metadata. */
  async load(): Promise<LoadedTable> {
    this.#ensured ??= this.#o.catalog.ensureTable(this.#o.ident, this.#o.create);
    await this.#ensured;
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
    return out;
  }

  /**
   * Appends rows as one snapshot (one data file per partition, one manifest). Resolves once the
   * catalog pointer is durable. Concurrent writers are serialised by compare-and-swap and retried.
   */
  async append(rows: readonly Row[], options: AppendOptions = {}): Promise<CommitOutcome> {
    const io = this.#o.io;
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
    operation: 'append' | 'replace',
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

  /** Reads rows (column names from the current schema, matched by field id). */
  async scan(options: ScanOptions = {}): Promise<Row[]> {
    const { metadata } = await this.load();
    const full = currentSchema(metadata);
    let schema = full;
    if (options.columns) {
      const wanted = new Set(options.columns);
      const unknown = [...wanted].filter((c) => !full.fields.some((f) => f.name === c));
      if (unknown.length > 0) throw new Error(`no column ${unknown.join(', ')} in ${this.#o.ident.name}`);
      schema = { ...full, fields: full.fields.filter((f) => wanted.has(f.name)) };
    }
    const out: Row[] = [];
    for (const { dataFile } of await this.#liveFiles(metadata, options.snapshotId)) {
      if (options.partition && !options.partition(dataFile.partition)) continue;
      for (const row of await this.#rowsOfFile(dataFile, schema)) {
        if (!options.filter || options.filter(row)) out.push(row);
      }
    }
    return out;
  }

  /**
   * Rewrites the live data files of every partition that has more than one file into one file per
   * partition (a `replace` snapshot). Rows are unchanged; readers at older snapshots keep working.
   */
  async compact(): Promise<CommitOutcome> {
    const io = this.#o.io;
    for (let attempt = 1; ; attempt++) {
      const base = await this.load();
      const md = base.metadata;
      const manifests = await this.#manifestsOf(md);
      const live = await this.#liveFiles(md, undefined, manifests);
      const groups = new Map<string, LiveFile[]>();
      for (const f of live) {
        const key = JSON.stringify(f.dataFile.partition);
        const group = groups.get(key);
        if (group) group.push(f);
        else groups.set(key, [f]);
      }
      const victims = [...groups.values()].filter((g) => g.length > 1).flat();
      if (victims.length === 0) return { snapshotId: null, addedRows: 0, addedFiles: 0, attempts: attempt };
      const victimPaths = new Set(victims.map((v) => v.dataFile.file_path));
      const schema = currentSchema(md);
      const spec = defaultSpec(md);
      // One partition at a time: only its rows are in memory while its file is encoded.
      const files: DataFile[] = [];
      const writes: Promise<void>[] = [];
      try {
        for (const group of groups.values()) {
          if (group.length < 2) continue;
          const rows: Row[] = [];
          for (const v of group) for (const row of await this.#rowsOfFile(v.dataFile, schema)) rows.push(row);
          const pending = await writeDataFiles(io, md.location, schema, spec, rows, codecOf(md.properties));
          for (const f of pending.files) files.push(f);
          writes.push(pending.durable);
        }
      } catch (err) {
        await Promise.allSettled(writes);
        await Promise.all(files.map((f) => io.delete(f.file_path)));
        throw err;
      }
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
          'replace',
          {},
          written,
          durable,
        );
        return { ...outcome, attempts: attempt };
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
