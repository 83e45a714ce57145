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

function metrics(schema: IcebergSchema, columns: RowValue[][]) {
  const valueCounts: { key: number; value: bigint }[] = [];
  const nullCounts: { key: number; value: bigint }[] = [];
  const lower: { key: number; value: Buffer }[] = [];
  const upper: { key: number; value: Buffer }[] = [];
  schema.fields.forEach((f, i) => {
    const data = columns[i] as RowValue[];
    let nulls = 0;
    let min: RowValue = null;
    let max: RowValue = null;
    if (
      f.type === 'string' ||
      f.type === 'long' ||
      f.type === 'timestamptz' ||
      f.type === 'int' ||
      f.type === 'date'
    ) {
      // Native `<` orders numbers, bigints and strings as Iceberg does, except strings whose first
      // difference pairs a surrogate with a unit at or above U+E000 (UTF-16 and UTF-8 orders disagree
      // there). Such a pair always leaves a unit of that range in the native minimum or maximum, so
      // checking those two is enough to know when to fall back to the exact comparison.
      for (const v of data) {
        if (v === null) {
          nulls++;
          continue;
        }
        if (min === null || v < min) min = v;
        if (max === null || v > max) max = v;
      }
      if (
        f.type === 'string' &&
        min !== null &&
        (HIGH_UNITS.test(min as string) || HIGH_UNITS.test(max as string))
      )
        [min, max] = slowBounds(f.type, data);
    } else {
      for (const v of data) {
        if (v === null) nulls++;
      }
      [min, max] = slowBounds(f.type, data);
    }
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
 * Groups rows by partition tuple (spec field order) and transposes each group into columns: longs and
 * timestamps become bigints, and a null in a required column is an error.
 */
export function partitionColumns(
  schema: IcebergSchema,
  spec: PartitionSpec,
  rows: readonly Row[],
): PartitionColumns[] {
  const sources = spec.fields.map((pf) => {
    const src = schema.fields.find((f) => f.id === pf['source-id']);
    if (!src) throw new Error(`partition source ${pf['source-id']} missing`);
    return src.name;
  });
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
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Row;
    let g: number;
    if (last < 0) g = groups.length > 0 ? 0 : newGroup();
    else {
      let level = root;
      for (let k = 0; k < last; k++) {
        tuple[k] = applyTransform(transforms[k] as PartitionTransform, row[sources[k] as string] ?? null);
        let next = level.get(tuple[k]) as Map<unknown, unknown> | undefined;
        if (next === undefined) level.set(tuple[k], (next = new Map()));
        level = next;
      }
      const v = applyTransform(transforms[last] as PartitionTransform, row[sources[last] as string] ?? null);
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
  schema.fields.forEach((f, c) => {
    const wide = f.type === 'long' || f.type === 'timestamptz';
    if (!wide && !f.required) return;
    for (const group of out) {
      const data = group.columns[c] as RowValue[];
      for (let i = 0; i < data.length; i++) {
        const v = data[i] as RowValue;
        if (v === null) {
          if (f.required) throw new Error(`required column ${f.name} is null`);
        } else if (wide && typeof v !== 'bigint') data[i] = BigInt(v);
      }
    }
  });
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
 * starts writing them. Each file's write and fsync run while the next partition encodes and while the
 * caller builds the manifests, which need only the entries.
 */
export function writeDataFiles(
  io: FileIO,
  location: string,
  schema: IcebergSchema,
  spec: PartitionSpec,
  rows: readonly Row[],
  codec: ParquetCodec,
): PendingDataFiles {
  const files: DataFile[] = [];
  const writes: Promise<void>[] = [];
  for (const group of partitionColumns(schema, spec, rows)) {
    const segs = spec.fields.map(
      (pf) => `${pf.name}=${partitionPathValue(partitionResultType(pf, schema), group.partition[pf.name])}`,
    );
    const path = `${location}/data/${[...segs, `${randomUUID()}.parquet`].join('/')}`;
    const { columns } = group;
    const m = metrics(schema, columns);
    const bytes = encodeColumns(schema, columns, codec);
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
    writes.push(io.writeNew(path, bytes));
  }
  const durable = Promise.all(writes).then(() => undefined);
  // Observed at once: the caller awaits it only after building the manifests.
  durable.catch(() => undefined);
  return { files, durable };
}
