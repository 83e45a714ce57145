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
  let estimate = 1024;
  for (const data of columns) estimate += data.length * 16;
  const writer = new ByteWriter(estimate);
  const pending = parquetWrite({
    writer,
    columnData: schema.fields.map((f, i) => {
      const data = columns[i] as readonly RowValue[];
      return f.type === 'string' && mostlyUnique(data) ? plainStrings(f.name, data) : { name: f.name, data };
    }) as never,
    schema: parquetSchema(schema) as never,
    rowGroupSize: 1_000_000,
    // Column bounds and counts go into the manifest (Iceberg metrics), which is what Iceberg readers
    // plan with; Parquet-level statistics would double the encoding cost.
    statistics: false,
    ...(CODECS[codec] as object),
  });
  // parquetWrite returns a promise only for asynchronous compressors; ours are synchronous, so the file
  // is complete here. Were one asynchronous, the bytes would be cut short: refuse rather than return them.
  if (pending !== undefined) throw new Error(`parquet codec ${codec} compressed asynchronously`);
  return writer.getBytes();
}

// Whether a sample of the values is mostly distinct (ids, hashes, JSON): a dictionary gains nothing.
function mostlyUnique(data: readonly RowValue[]): boolean {
  const sample = new Set<RowValue>();
  const n = Math.min(data.length, 512);
  for (let i = 0; i < n; i++) sample.add(data[Math.floor((i * data.length) / n)] ?? null);
  return data.length >= 64 && sample.size >= n * 0.9;
}

// A mostly-distinct string column is written PLAIN, UTF-8-encoded in one native call over the joined
// column (Array#join makes one flat string; nulls join as '') with a view per value. When every
// character is ASCII, byte offsets are character offsets; otherwise each value is encoded on its own,
// so that a lone surrogate at the end of one value cannot pair with the start of the next.
function plainStrings(name: string, data: readonly RowValue[]) {
  const joined = data.join('');
  let bytes = Buffer.from(joined, 'utf8');
  const ascii = bytes.length === joined.length;
  if (!ascii) {
    let size = 0;
    for (const v of data) if (v !== null) size += Buffer.byteLength(v as string, 'utf8');
    bytes = Buffer.allocUnsafe(size);
  }
  const out: (Uint8Array | null)[] = new Array(data.length);
  let off = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as string | null;
    if (v === null) {
      out[i] = null;
      continue;
    }
    const n = ascii ? v.length : bytes.write(v, off, 'utf8');
    out[i] = bytes.subarray(off, off + n);
    off += n;
  }
  return { name, data: out, encoding: 'PLAIN' as const };
}
