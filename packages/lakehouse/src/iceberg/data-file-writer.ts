// Parquet data files with Iceberg field ids (hyparquet-writer, explicit schema), one per partition.
import { randomUUID } from 'node:crypto';
import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import type { FileIO } from '../io/file-io.ts';
import type { DataFile } from './manifest.ts';
import type { IcebergField, IcebergSchema, IcebergType, PartitionSpec, Row, RowValue } from './schema.ts';
import {
  applyTransform,
  compareValues,
  parquetSchema,
  partitionPathValue,
  partitionResultType,
  serializeSingleValue,
} from './schema.ts';

/** A Parquet data file written for one partition, ready to be listed in a manifest. */
export interface WrittenDataFile {
  dataFile: DataFile;
}

function columnValues(schema: IcebergSchema, rows: readonly Row[]) {
  return schema.fields.map((f) => {
    const data: RowValue[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const v = (rows[i] as Row)[f.name] ?? null;
      if (v === null && f.required) throw new Error(`required column ${f.name} is null`);
      data[i] =
        v === null || typeof v === 'bigint'
          ? v
          : f.type === 'long' || f.type === 'timestamptz'
            ? BigInt(v)
            : v;
    }
    return { name: f.name, data };
  });
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

function metrics(schema: IcebergSchema, columns: { data: RowValue[] }[]) {
  const valueCounts: { key: number; value: bigint }[] = [];
  const nullCounts: { key: number; value: bigint }[] = [];
  const lower: { key: number; value: Buffer }[] = [];
  const upper: { key: number; value: Buffer }[] = [];
  schema.fields.forEach((f, i) => {
    const data = (columns[i] as { data: RowValue[] }).data;
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
      // Native `<` orders numbers, bigints and (below the surrogate range) strings as Iceberg does.
      let high = false;
      for (const v of data) {
        if (v === null) {
          nulls++;
          continue;
        }
        if (f.type === 'string' && !high && HIGH_UNITS.test(v as string)) high = true;
        if (min === null || v < min) min = v;
        if (max === null || v > max) max = v;
      }
      if (high) [min, max] = slowBounds(f.type, data);
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

/** Encodes rows as one Parquet file whose columns carry the schema's field ids. */
export function encodeParquet(
  schema: IcebergSchema,
  rows: readonly Row[],
): { bytes: Uint8Array; columns: { data: RowValue[] }[] } {
  const columns = columnValues(schema, rows);
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    columnData: columns.map((c, i) =>
      (schema.fields[i] as IcebergField).type === 'string' ? mostlyUniqueStrings(c) : c,
    ) as never,
    schema: parquetSchema(schema) as never,
    rowGroupSize: 100_000,
    // Column bounds and counts go into the manifest (Iceberg metrics), which is what Iceberg readers
    // plan with; Parquet-level statistics would double the encoding cost.
    statistics: false,
  });
  return { bytes: writer.getBytes(), columns };
}

// A string column whose sample is mostly distinct (ids, hashes, JSON) gains nothing from a dictionary:
// write it PLAIN and UTF-8-encode it in one pass (one buffer, a view per value) instead of once per value.
function mostlyUniqueStrings(column: { name: string; data: RowValue[] }) {
  const data = column.data;
  const sample = new Set<RowValue>();
  const n = Math.min(data.length, 512);
  for (let i = 0; i < n; i++) sample.add(data[Math.floor((i * data.length) / n)] ?? null);
  if (data.length < 64 || sample.size < n * 0.9) return column;
  let joined = '';
  for (const v of data) if (v !== null) joined += v as string;
  const bytes = Buffer.from(joined, 'utf8');
  const ascii = bytes.length === joined.length;
  const out: (Uint8Array | null)[] = new Array(data.length);
  let off = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as string | null;
    if (v === null) {
      out[i] = null;
      continue;
    }
    const len = ascii ? v.length : Buffer.byteLength(v, 'utf8');
    out[i] = bytes.subarray(off, off + len);
    off += len;
  }
  return { name: column.name, data: out, encoding: 'PLAIN' as const };
}

/** Groups rows by partition tuple (spec field order). */
export function partitionRows(
  schema: IcebergSchema,
  spec: PartitionSpec,
  rows: readonly Row[],
): { partition: Record<string, unknown>; rows: Row[] }[] {
  const groups = new Map<string, { partition: Record<string, unknown>; rows: Row[] }>();
  const sources = spec.fields.map((pf) => {
    const src = schema.fields.find((f) => f.id === pf['source-id']);
    if (!src) throw new Error(`partition source ${pf['source-id']} missing`);
    return src;
  });
  for (const row of rows) {
    const partition: Record<string, unknown> = {};
    spec.fields.forEach((pf, i) => {
      partition[pf.name] = applyTransform(pf.transform, row[(sources[i] as { name: string }).name] ?? null);
    });
    const key = JSON.stringify(Object.values(partition), (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { partition, rows: [] }));
    g.rows.push(row);
  }
  return [...groups.values()];
}

/** Writes rows as Parquet data files under `<location>/data/<partition path>/`, one per partition. */
export async function writeDataFiles(
  io: FileIO,
  location: string,
  schema: IcebergSchema,
  spec: PartitionSpec,
  rows: readonly Row[],
): Promise<DataFile[]> {
  const out: DataFile[] = [];
  for (const group of partitionRows(schema, spec, rows)) {
    const segs = spec.fields.map(
      (pf) => `${pf.name}=${partitionPathValue(partitionResultType(pf, schema), group.partition[pf.name])}`,
    );
    const path = `${location}/data/${[...segs, `${randomUUID()}.parquet`].join('/')}`;
    const { bytes, columns } = encodeParquet(schema, group.rows);
    await io.writeNew(path, bytes);
    const m = metrics(schema, columns);
    out.push({
      content: 0,
      file_path: path,
      file_format: 'PARQUET',
      partition: group.partition,
      record_count: BigInt(group.rows.length),
      file_size_in_bytes: BigInt(bytes.byteLength),
      value_counts: m.valueCounts,
      null_value_counts: m.nullCounts,
      lower_bounds: m.lower,
      upper_bounds: m.upper,
    });
  }
  return out;
}
