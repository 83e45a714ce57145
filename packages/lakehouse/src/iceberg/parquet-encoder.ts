// Parquet encoding of one data file's columns with hyparquet-writer and an explicit schema carrying the
// Iceberg field ids. Pure: runs in the calling thread or in an encoder worker (encoder-pool.ts).
import {
  constants as zlibConstants,
  gunzipSync,
  gzipSync,
  zstdCompressSync,
  zstdDecompressSync,
} from 'node:zlib';
import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import type { IcebergSchema, RowValue } from './schema.ts';
import { parquetSchema } from './schema.ts';

/** Parquet compression codecs the writer supports (table property `write.parquet.compression-codec`). */
export type ParquetCodec = 'zstd' | 'snappy' | 'gzip' | 'uncompressed';

/** The Iceberg table property naming the data files' codec; Iceberg's and pyiceberg's default is zstd. */
export const CODEC_PROPERTY = 'write.parquet.compression-codec';

/** The codec a table's properties ask for (zstd when unset); throws on a codec the writer lacks. */
export function codecOf(properties: Record<string, string> | undefined): ParquetCodec {
  const raw = (properties?.[CODEC_PROPERTY] ?? 'zstd').toLowerCase();
  if (raw === 'zstd' || raw === 'snappy' || raw === 'gzip' || raw === 'uncompressed') return raw;
  throw new Error(
    `unsupported ${CODEC_PROPERTY} ${JSON.stringify(raw)} (zstd, snappy, gzip or uncompressed)`,
  );
}

// zstd and gzip run natively in node:zlib; snappy is hyparquet-writer's JavaScript encoder. zstd level 1
// is Arrow's default, so our files match what pyiceberg writes.
const ZSTD_LEVEL = { params: { [zlibConstants.ZSTD_c_compressionLevel]: 1 } };
const CODECS = {
  zstd: { codec: 'ZSTD', compressors: { ZSTD: (b: Uint8Array) => zstdCompressSync(b, ZSTD_LEVEL) } },
  gzip: { codec: 'GZIP', compressors: { GZIP: (b: Uint8Array) => gzipSync(b, { level: 1 }) } },
  snappy: { codec: 'SNAPPY' },
  uncompressed: { codec: 'UNCOMPRESSED' },
} as const;

/** Decompressors for the codecs the writer produces, for hyparquet's reader (snappy is built in). */
export const PARQUET_DECOMPRESSORS = {
  ZSTD: (input: Uint8Array) => new Uint8Array(zstdDecompressSync(input)),
  GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)),
};

/** Encodes columns (aligned with the schema's fields, equal lengths) as one Parquet file. */
export function encodeColumns(
  schema: IcebergSchema,
  columns: readonly (readonly RowValue[])[],
  codec: ParquetCodec,
): Uint8Array {
  // In this thread only mostly-distinct strings are joined (for one native UTF-8 encode); the rest are
  // encoded from the values as they are.
  return encodePacked(schema, packColumns(schema, columns, false).columns, codec);
}

/**
 * A column in the form sent to an encoder worker. A string column travels as one joined string and the
 * UTF-16 length of each value (-1 for null): one copy for the structured clone instead of one string
 * object per value. `unique` says the sampled values were mostly distinct (written PLAIN).
 */
export type PackedColumn =
  | { kind: 'strings'; joined: string; lengths: Int32Array; unique: boolean }
  | { kind: 'values'; data: readonly RowValue[] };

/** Columns packed for {@link encodePacked}, with the buffers a `postMessage` can transfer. */
export interface PackedColumns {
  columns: PackedColumn[];
  transfer: ArrayBuffer[];
}

/**
 * Packs columns (aligned with the schema's fields) for {@link encodePacked}; `forTransfer` packs every
 * string column (for a worker), otherwise only the mostly-distinct ones.
 */
export function packColumns(
  schema: IcebergSchema,
  columns: readonly (readonly RowValue[])[],
  forTransfer = true,
): PackedColumns {
  const transfer: ArrayBuffer[] = [];
  const packed = schema.fields.map((f, i): PackedColumn => {
    const data = columns[i] as readonly RowValue[];
    if (f.type !== 'string') return { kind: 'values', data };
    const unique = mostlyUnique(data);
    if (!unique && !forTransfer) return { kind: 'values', data };
    const lengths = new Int32Array(data.length);
    for (let k = 0; k < data.length; k++) {
      const v = data[k] as string | null;
      lengths[k] = v === null ? -1 : v.length;
    }
    transfer.push(lengths.buffer);
    // Array#join makes one flat string (nulls join as ''); `+=` would make a rope, slow to encode.
    return { kind: 'strings', joined: data.join(''), lengths, unique };
  });
  return { columns: packed, transfer };
}

/** Encodes packed columns (aligned with the schema's fields) as one Parquet file. */
export function encodePacked(
  schema: IcebergSchema,
  columns: readonly PackedColumn[],
  codec: ParquetCodec,
): Uint8Array {
  let estimate = 1024;
  for (const c of columns)
    estimate += c.kind === 'strings' ? c.joined.length + 4 * c.lengths.length : c.data.length * 8;
  const writer = new ByteWriter(estimate);
  parquetWrite({
    writer,
    columnData: schema.fields.map((f, i) => unpack(f.name, columns[i] as PackedColumn)) as never,
    schema: parquetSchema(schema) as never,
    rowGroupSize: 1_000_000,
    // Column bounds and counts go into the manifest (Iceberg metrics), which is what Iceberg readers
    // plan with; Parquet-level statistics would double the encoding cost.
    statistics: false,
    ...(CODECS[codec] as object),
  });
  return writer.getBytes();
}

// Whether a sample of the values is mostly distinct (ids, hashes, JSON): a dictionary gains nothing.
function mostlyUnique(data: readonly RowValue[]): boolean {
  const sample = new Set<RowValue>();
  const n = Math.min(data.length, 512);
  for (let i = 0; i < n; i++) sample.add(data[Math.floor((i * data.length) / n)] ?? null);
  return data.length >= 64 && sample.size >= n * 0.9;
}

function unpack(name: string, c: PackedColumn) {
  if (c.kind === 'values') return { name, data: c.data };
  const { joined, lengths } = c;
  if (!c.unique) {
    // Dictionary candidates: back to strings (slices of the joined string).
    const data: (string | null)[] = new Array(lengths.length);
    let off = 0;
    for (let i = 0; i < lengths.length; i++) {
      const len = lengths[i] as number;
      if (len < 0) data[i] = null;
      else data[i] = joined.slice(off, (off += len));
    }
    return { name, data };
  }
  // Mostly distinct: PLAIN, UTF-8-encoded in one native call, a view per value. When every character is
  // ASCII, byte offsets are character offsets; otherwise each value is encoded on its own (so a lone
  // surrogate at the end of one value cannot pair with the start of the next).
  let bytes = Buffer.from(joined, 'utf8');
  const ascii = bytes.length === joined.length;
  if (!ascii) {
    let size = 0;
    let off = 0;
    for (const len of lengths)
      if (len > 0) size += Buffer.byteLength(joined.slice(off, (off += len)), 'utf8');
    bytes = Buffer.allocUnsafe(size);
  }
  const data: (Uint8Array | null)[] = new Array(lengths.length);
  let at = 0;
  let off = 0;
  for (let i = 0; i < lengths.length; i++) {
    const len = lengths[i] as number;
    if (len < 0) {
      data[i] = null;
      continue;
    }
    const n = ascii ? len : bytes.write(joined.slice(at, at + len), off, 'utf8');
    data[i] = bytes.subarray(off, off + n);
    off += n;
    at += len;
  }
  return { name, data, encoding: 'PLAIN' as const };
}
