// Parquet data files with Iceberg field ids (hyparquet-writer, explicit schema), one per partition.
import { randomUUID } from 'node:crypto';
import type { FileIO } from '../io/file-io.ts';
import type { DataFile } from './manifest.ts';
import type { ParquetCodec } from './parquet-encoder.ts';
import { encodeColumns } from './parquet-encoder.ts';
import type {
  IcebergSchema,
  IcebergType,
  PartitionSpec,
  PartitionTransform,
  Row,
  RowValue,
} from './schema.ts';
import {
  applyTransform,
  compareValues,
  partitionPathValue,
  partitionResultType,
  serializeSingleValue,
} from './schema.ts';

/** A Parquet data file written for one partition, ready to be listed in a manifest. */
export interface WrittenDataFile {
  dataFile: DataFile;
}

const HIGH_UNITS = /[\uD800-\uFFFF]/;

function slowBounds(type: IcebergType, data: readonly RowValue[]): [RowValue, RowValue] {
  let min: RowValue = null;
  let max: RowValue = null;
  for (const v of data) {
    if (v === null) continue;
    if (min === null || compareValues(type, v, min) < 0) min = v;
    if (max === null || compareValues(type, v, max) > 0) max = v;
  }
  return [min, max];
}

interface ColumnScan {
  nulls: number;
  min: RowValue;
  max: RowValue;
}

// One loop per value type, so each `<` below sees one type and stays a specialised comparison.
function scanStrings(data: readonly RowValue[]): ColumnScan {
  let nulls = 0;
  let min: string | null = null;
  let max: string | null = null;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as string | null;
    if (v === null) nulls++;
    else if (min === null || max === null) min = max = v;
    else if (v < min) min = v;
    else if (v > max) max = v;
  }
  // Native `<` orders strings as Iceberg does (by UTF-8 bytes) except where the first difference pairs
  // a surrogate with a unit at or above U+E000. Such a pair always leaves a unit of that range in the
  // native minimum or maximum, so checking those two tells when the exact comparison is needed.
  if (min !== null && (HIGH_UNITS.test(min) || HIGH_UNITS.test(max as string))) {
    [min, max] = slowBounds('string', data) as [string, string];
  }
  return { nulls, min, max };
}

// Longs and timestamps: numbers become bigints here, in the same pass as the bounds.
function scanWide(data: RowValue[]): ColumnScan {
  let nulls = 0;
  let min: bigint | null = null;
  let max: bigint | null = null;
  for (let i = 0; i < data.length; i++) {
    let v = data[i] as bigint | number | null;
    if (v === null) {
      nulls++;
      continue;
    }
    if (typeof v !== 'bigint') data[i] = v = BigInt(v);
    if (min === null || max === null) min = max = v;
    else if (v < min) min = v;
    else if (v > max) max = v;
  }
  return { nulls, min, max };
}

function scanOther(type: IcebergType, data: readonly RowValue[]): ColumnScan {
  let nulls = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === null) nulls++;
  const [min, max] = slowBounds(type, data);
  return { nulls, min, max };
}

/**
 * Iceberg column metrics of one data file (value and null counts, lower and upper bounds). Also
 * normalises the columns in place (longs and timestamps to bigint) and rejects a null in a required
 * column, naming it.
 */
function metrics(schema: IcebergSchema, columns: RowValue[][]) {
  const valueCounts: { key: number; value: bigint }[] = [];
  const nullCounts: { key: number; value: bigint }[] = [];
  const lower: { key: number; value: Buffer }[] = [];
  const upper: { key: number; value: Buffer }[] = [];
  schema.fields.forEach((f, i) => {
    const data = columns[i] as RowValue[];
    const { nulls, min, max } =
      f.type === 'string'
        ? scanStrings(data)
        : f.type === 'long' || f.type === 'timestamptz'
          ? scanWide(data)
          : scanOther(f.type, data);
    if (nulls > 0 && f.required) throw new Error(`required column ${f.name} is null`);
    valueCounts.push({ key: f.id, value: BigInt(data.length) });
    nullCounts.push({ key: f.id, value: BigInt(nulls) });
    // String bounds are only exact when short; longer strings are left unbounded (spec allows omission).
    const boundable = (v: RowValue) => f.type !== 'string' || Buffer.byteLength(String(v)) <= 64;
    if (min !== null && boundable(min) && max !== null && boundable(max) && f.type !== 'double') {
      lower.push({ key: f.id, value: serializeSingleValue(f.type, min) });
      upper.push({ key: f.id, value: serializeSingleValue(f.type, max) });
    }
  });
  return { valueCounts, nullCounts, lower, upper };
}

/** The rows of one partition, column by column (aligned with the schema's fields). */
export interface PartitionColumns {
  partition: Record<string, unknown>;
  count: number;
  columns: RowValue[][];
}

type RowCopier = (row: Row, columns: RowValue[][], at: number) => void;
const copiers = new WeakMap<IcebergSchema, RowCopier>();

// Copies one row's values into column arrays. Generated once per schema so that every property read
// is a named, monomorphic load: rows of one shape then transpose at a few nanoseconds per value, where a
// read by a variable key costs ten times more. The names are JSON-quoted schema field names.
function rowCopier(schema: IcebergSchema): RowCopier {
  let copy = copiers.get(schema);
  if (!copy) {
    const body = schema.fields
      .map((f, i) => `c[${i}][at] = r[${JSON.stringify(f.name)}] ?? null;`)
      .join('\n');
    copy = new Function('r', 'c', 'at', body) as RowCopier;
    copiers.set(schema, copy);
  }
  return copy;
}

/**
 * Groups rows by partition tuple (spec field order) and transposes each group into columns, values as
 * they are (the data file writer normalises and checks them).
 */
export function partitionColumns(
  schema: IcebergSchema,
  spec: PartitionSpec,
  rows: readonly Row[],
): PartitionColumns[] {
  const fields = spec.fields.map((pf) => {
    const src = schema.fields.find((f) => f.id === pf['source-id']);
    if (!src) throw new Error(`partition source ${pf['source-id']} missing`);
    return src;
  });
  const sources = fields.map((f) => f.name);
  // A long or timestamp given as a number partitions with the same value given as a bigint.
  const wide = fields.map((f) => f.type === 'long' || f.type === 'timestamptz');
  const transforms = spec.fields.map((pf) => pf.transform);
  // The group of each row, found through one Map level per partition field (no key strings to build).
  const groups: { partition: Record<string, unknown>; count: number }[] = [];
  const root = new Map<unknown, unknown>();
  const groupOf = new Int32Array(rows.length);
  const tuple: unknown[] = new Array(sources.length);
  const newGroup = (): number => {
    const partition: Record<string, unknown> = {};
    spec.fields.forEach((pf, k) => (partition[pf.name] = tuple[k]));
    return groups.push({ partition, count: 0 }) - 1;
  };
  const last = sources.length - 1;
  // Rows of one batch mostly repeat their source values (one run, one day): remember the last one.
  const lastRaw: RowValue[] = sources.map(() => null);
  const lastOut: unknown[] = sources.map(() => null);
  const transform = (k: number, raw: RowValue): unknown => {
    if (raw === lastRaw[k] && raw !== null) return lastOut[k];
    lastRaw[k] = raw;
    const value = wide[k] && typeof raw === 'number' ? BigInt(raw) : raw;
    return (lastOut[k] = applyTransform(transforms[k] as PartitionTransform, value));
  };
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Row;
    let g: number;
    if (last < 0) g = groups.length > 0 ? 0 : newGroup();
    else {
      let level = root;
      for (let k = 0; k < last; k++) {
        tuple[k] = transform(k, row[sources[k] as string] ?? null);
        let next = level.get(tuple[k]) as Map<unknown, unknown> | undefined;
        if (next === undefined) level.set(tuple[k], (next = new Map()));
        level = next;
      }
      const v = transform(last, row[sources[last] as string] ?? null);
      tuple[last] = v;
      const found = level.get(v) as number | undefined;
      if (found === undefined) level.set(v, (g = newGroup()));
      else g = found;
    }
    groupOf[i] = g;
    (groups[g] as { count: number }).count++;
  }
  const out: PartitionColumns[] = groups.map((g) => ({
    partition: g.partition,
    count: g.count,
    columns: schema.fields.map(() => new Array<RowValue>(g.count)),
  }));
  const filled = new Int32Array(groups.length);
  const copy = rowCopier(schema);
  for (let i = 0; i < rows.length; i++) {
    const g = groupOf[i] as number;
    const at = filled[g] as number;
    filled[g] = at + 1;
    copy(rows[i] as Row, (out[g] as PartitionColumns).columns, at);
  }
  return out;
}

/** Data files being written: their manifest entries now, their durability later. */
export interface PendingDataFiles {
  /** The files' manifest entries (path, partition, counts, size, bounds). */
  files: DataFile[];
  /** Resolves once every file and its directory entry are durable; rejects if one write fails. */
  durable: Promise<void>;
}

/**
 * Encodes rows as Parquet data files under `<location>/data/<partition path>/`, one per partition, and
 * starts writing each as soon as it is encoded, so one file's write and fsync overlap the next one's
 * encoding and the caller's manifests. Returns the manifest entries and a promise of their durability;
 * when encoding fails, the files already started are removed before it throws.
 */
export async function writeDataFiles(
  io: FileIO,
  location: string,
  schema: IcebergSchema,
  spec: PartitionSpec,
  rows: readonly Row[],
  codec: ParquetCodec,
): Promise<PendingDataFiles> {
  const files: DataFile[] = [];
  const writes: Promise<void>[] = [];
  try {
    for (const group of partitionColumns(schema, spec, rows)) {
      const segs = spec.fields.map(
        (pf) => `${pf.name}=${partitionPathValue(partitionResultType(pf, schema), group.partition[pf.name])}`,
      );
      // Metrics first: they normalise the columns the encoder reads.
      const m = metrics(schema, group.columns);
      const bytes = encodeColumns(schema, group.columns, codec);
      const path = `${location}/data/${[...segs, `${randomUUID()}.parquet`].join('/')}`;
      files.push({
        content: 0,
        file_path: path,
        file_format: 'PARQUET',
        partition: group.partition,
        record_count: BigInt(group.count),
        file_size_in_bytes: BigInt(bytes.byteLength),
        value_counts: m.valueCounts,
        null_value_counts: m.nullCounts,
        lower_bounds: m.lower,
        upper_bounds: m.upper,
      });
      const write = io.writeNew(path, bytes);
      write.catch(() => undefined);
      writes.push(write);
    }
  } catch (err) {
    await Promise.allSettled(writes);
    await Promise.all(files.map((f) => io.delete(f.file_path)));
    throw err;
  }
  const durable = Promise.all(writes).then(() => undefined);
  // Observed at once: the caller awaits it only after building the manifests.
  durable.catch(() => undefined);
  return { files, durable };
}
