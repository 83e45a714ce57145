// The slice of the Iceberg type system our tables use: flat structs of primitive columns. Nested
// contract values (lists, maps, sub-objects) are flattened or stored as canonical JSON strings by the
// table definitions, so every engine reads them without nested-type support.

/** Iceberg primitive types the writer supports. */
export type IcebergType = 'string' | 'long' | 'int' | 'boolean' | 'double' | 'timestamptz' | 'date';

/** One column of an Iceberg schema (spec "Schemas and Data Types"). */
export interface IcebergField {
  id: number;
  name: string;
  required: boolean;
  type: IcebergType;
  doc?: string;
}

/** An Iceberg schema as it appears in table metadata. */
export interface IcebergSchema {
  type: 'struct';
  'schema-id': number;
  'identifier-field-ids'?: number[];
  fields: IcebergField[];
}

/** Partition transforms the writer supports. */
export type PartitionTransform = 'identity' | 'day';

/** One field of a partition spec. Field ids start at 1000. */
export interface PartitionField {
  'source-id': number;
  'field-id': number;
  name: string;
  transform: PartitionTransform;
}

/** A partition spec as it appears in table metadata. */
export interface PartitionSpec {
  'spec-id': number;
  fields: PartitionField[];
}

/** A value in a row: strings, numbers, bigints (long, timestamptz micros), booleans or null. */
export type RowValue = string | number | bigint | boolean | null;

/** A row keyed by column name. timestamptz values are bigint microseconds since the epoch. */
export type Row = Record<string, RowValue>;

/** A partition tuple, aligned with the spec's fields (identity value, or day number for `day`). */
export type PartitionTuple = (string | number | bigint | boolean | null)[];

const MICROS_PER_DAY = 86_400_000_000n;
const SAFE_MICROS = BigInt(Number.MAX_SAFE_INTEGER);

function floorDay(micros: number): number {
  const d = 86_400_000_000;
  let q = Math.floor(micros / d);
  if (q * d > micros) q--;
  else if ((q + 1) * d <= micros) q++;
  return q;
}

/** Applies a transform to a source value (spec "Partition Transforms"). */
export function applyTransform(
  transform: PartitionTransform,
  value: RowValue,
): string | number | bigint | boolean | null {
  if (value === null) return null;
  if (transform === 'identity') return value;
  if (typeof value === 'number') return floorDay(value);
  const micros = typeof value === 'bigint' ? value : BigInt(value);
  // Within ±2^53 µs (±285 years) integer Number arithmetic is exact and much faster than BigInt division.
  if (micros >= -SAFE_MICROS && micros <= SAFE_MICROS) return floorDay(Number(micros));
  const q = micros / MICROS_PER_DAY;
  return Number(micros < 0n && q * MICROS_PER_DAY !== micros ? q - 1n : q);
}

/** The Iceberg result type of a partition field. */
export function partitionResultType(field: PartitionField, schema: IcebergSchema): IcebergType {
  if (field.transform === 'day') return 'date';
  const source = schema.fields.find((f) => f.id === field['source-id']);
  if (!source) throw new Error(`partition source ${field['source-id']} not in schema`);
  return source.type;
}

/** Formats a partition value for a Hive-style data path segment. */
export function partitionPathValue(type: IcebergType, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (type === 'date') return new Date(Number(value) * 86_400_000).toISOString().slice(0, 10);
  return encodeURIComponent(String(value));
}

/** Iceberg single-value binary serialisation (spec Appendix D), used for bounds. */
export function serializeSingleValue(type: IcebergType, value: unknown): Buffer {
  switch (type) {
    case 'string':
      return Buffer.from(String(value), 'utf8');
    case 'int':
    case 'date': {
      const b = Buffer.alloc(4);
      b.writeInt32LE(Number(value));
      return b;
    }
    case 'long':
    case 'timestamptz': {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(BigInt(value as number | bigint));
      return b;
    }
    case 'boolean':
      return Buffer.from([value ? 1 : 0]);
    case 'double': {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(Number(value));
      return b;
    }
  }
}

// UTF-8 byte order without encoding: code-unit order agrees with it below the surrogate range.
function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    return Buffer.compare(Buffer.from(a.slice(i), 'utf8'), Buffer.from(b.slice(i), 'utf8'));
  }
  return a.length - b.length;
}

/** Compares two values of one Iceberg type (strings by UTF-8 bytes, as Iceberg orders them). */
export function compareValues(type: IcebergType, a: unknown, b: unknown): number {
  if (type === 'string') return compareUtf8(String(a), String(b));
  if (type === 'boolean') return Number(a) - Number(b);
  if (type === 'long' || type === 'timestamptz') {
    const x = BigInt(a as bigint);
    const y = BigInt(b as bigint);
    return x === y ? 0 : x < y ? -1 : 1;
  }
  return Number(a) - Number(b);
}

/** The Avro type of a primitive Iceberg type (spec Appendix A). */
export function avroPrimitive(type: IcebergType): unknown {
  switch (type) {
    case 'string':
      return 'string';
    case 'long':
      return 'long';
    case 'int':
      return 'int';
    case 'boolean':
      return 'boolean';
    case 'double':
      return 'double';
    case 'date':
      return { type: 'int', logicalType: 'date' };
    case 'timestamptz':
      return { type: 'long', logicalType: 'timestamp-micros', 'adjust-to-utc': true };
  }
}

/** Parquet schema element as hyparquet-writer takes it. */
export interface ParquetSchemaElement {
  name: string;
  type?: 'BOOLEAN' | 'INT32' | 'INT64' | 'DOUBLE' | 'BYTE_ARRAY';
  repetition_type?: 'REQUIRED' | 'OPTIONAL';
  converted_type?: 'UTF8' | 'DATE' | 'TIMESTAMP_MICROS';
  logical_type?: { type: string; isAdjustedToUTC?: boolean; unit?: string };
  num_children?: number;
  field_id?: number;
}

/** The Parquet schema of an Iceberg schema, every column carrying its field id (spec Appendix A). */
export function parquetSchema(schema: IcebergSchema): ParquetSchemaElement[] {
  const out: ParquetSchemaElement[] = [{ name: 'table', num_children: schema.fields.length }];
  for (const f of schema.fields) {
    const base = {
      name: f.name,
      field_id: f.id,
      repetition_type: f.required ? 'REQUIRED' : 'OPTIONAL',
    } as const;
    switch (f.type) {
      case 'string':
        out.push({ ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } });
        break;
      case 'long':
        out.push({ ...base, type: 'INT64' });
        break;
      case 'int':
        out.push({ ...base, type: 'INT32' });
        break;
      case 'boolean':
        out.push({ ...base, type: 'BOOLEAN' });
        break;
      case 'double':
        out.push({ ...base, type: 'DOUBLE' });
        break;
      case 'date':
        out.push({ ...base, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } });
        break;
      case 'timestamptz':
        out.push({
          ...base,
          type: 'INT64',
          converted_type: 'TIMESTAMP_MICROS',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
        });
        break;
    }
  }
  return out;
}
