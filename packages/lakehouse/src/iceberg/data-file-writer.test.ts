import { describe, expect, it } from '@jest/globals';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import type { FileIO } from '../io/file-io.ts';
import { partitionColumns, writeDataFiles } from './data-file-writer.ts';
import { PARQUET_DECOMPRESSORS, codecOf, encodeColumns } from './parquet-encoder.ts';
import type { ParquetCodec } from './parquet-encoder.ts';
import type { IcebergSchema, PartitionSpec } from './schema.ts';
import { orgDaySpec, smallSchema } from '../testing/small-table.ts';

const schema = smallSchema;
const bySourceAndDay = orgDaySpec;
const DAY = 86_400_000_000n;

describe('partitionColumns', () => {
  it('groups rows by partition tuple in first-seen order and transposes each group', () => {
    const groups = partitionColumns(schema, bySourceAndDay, [
      { org_id: 'a', n: 1n, at: 0n },
      { org_id: 'b', n: null, at: DAY + 5n },
      { org_id: 'a', n: 3n, at: 7n },
      { org_id: 'a', n: 4n, at: DAY },
    ]);
    expect(groups).toEqual([
      {
        partition: { org_id: 'a', at_day: 0 },
        count: 2,
        columns: [
          ['a', 'a'],
          [1n, 3n],
          [0n, 7n],
        ],
      },
      { partition: { org_id: 'b', at_day: 1 }, count: 1, columns: [['b'], [null], [DAY + 5n]] },
      { partition: { org_id: 'a', at_day: 1 }, count: 1, columns: [['a'], [4n], [DAY]] },
    ]);
  });

  it('keeps the string "1" and the number 1 in different partitions, and null in its own', () => {
    const s: IcebergSchema = {
      ...schema,
      fields: [{ id: 1, name: 'k', required: false, type: 'string' }],
    };
    const spec: PartitionSpec = {
      'spec-id': 0,
      fields: [{ 'source-id': 1, 'field-id': 1000, name: 'k', transform: 'identity' }],
    };
    const groups = partitionColumns(s, spec, [{ k: '1' }, { k: 1 }, { k: null }, { k: '1' }]);
    expect(groups.map((g) => [g.partition.k, g.count])).toEqual([
      ['1', 2],
      [1, 1],
      [null, 1],
    ]);
  });

  it('partitions a long given as a number with the same value given as a bigint', () => {
    const spec: PartitionSpec = {
      'spec-id': 0,
      fields: [{ 'source-id': 2, 'field-id': 1000, name: 'n', transform: 'identity' }],
    };
    const groups = partitionColumns(schema, spec, [
      { org_id: 'a', n: 7, at: 0n },
      { org_id: 'a', n: 7n, at: 0n },
    ]);
    expect(groups.map((g) => [g.partition.n, g.count])).toEqual([[7n, 2]]);
  });

  it('puts every row in one group when the table is unpartitioned', () => {
    const groups = partitionColumns(schema, { 'spec-id': 0, fields: [] }, [
      { org_id: 'a', n: 1n, at: 0n },
      { org_id: 'b', n: 2n, at: DAY },
    ]);
    expect(groups).toEqual([
      {
        partition: {},
        count: 2,
        columns: [
          ['a', 'b'],
          [1n, 2n],
          [0n, DAY],
        ],
      },
    ]);
  });
});

describe('writeDataFiles', () => {
  const written = new Map<string, Uint8Array>();
  const io: FileIO = {
    read: async (uri) => Buffer.from(written.get(uri)!),
    writeNew: async (uri, bytes) => void written.set(uri, bytes),
    exists: async (uri) => written.has(uri),
    delete: async (uri) => void written.delete(uri),
    list: async () => [...written.keys()],
  };

  it('writes one file per partition with counts and bounds, numbers in long columns read as bigints', async () => {
    const { files, durable } = await writeDataFiles(
      io,
      'file:///w',
      schema,
      bySourceAndDay,
      [
        { org_id: 'a', n: 3, at: 7 },
        { org_id: 'a', n: null, at: 1n },
        { org_id: 'b', n: 5n, at: DAY },
      ],
      'zstd',
    );
    await durable;
    expect(files.map((f) => [f.partition, f.record_count])).toEqual([
      [{ org_id: 'a', at_day: 0 }, 2n],
      [{ org_id: 'b', at_day: 1 }, 1n],
    ]);
    const a = files[0]!;
    expect(a.null_value_counts).toEqual([
      { key: 1, value: 0n },
      { key: 2, value: 1n },
      { key: 3, value: 0n },
    ]);
    expect(a.lower_bounds!.find((b) => b.key === 3)!.value.readBigInt64LE(0)).toBe(1n);
    expect(a.upper_bounds!.find((b) => b.key === 3)!.value.readBigInt64LE(0)).toBe(7n);
    const bytes = written.get(a.file_path)!;
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const rows = await parquetReadObjects({
      file,
      compressors: PARQUET_DECOMPRESSORS,
      parsers: { timestampFromMicroseconds: (m: bigint) => m } as never,
    });
    expect(rows.map((r) => [r.org_id, r.n ?? null, r.at])).toEqual([
      ['a', 3n, 7n],
      ['a', null, 1n],
    ]);
  });

  it('rejects a null in a required column, naming it, and leaves no file behind', async () => {
    written.clear();
    await expect(
      writeDataFiles(
        io,
        'file:///w',
        schema,
        bySourceAndDay,
        [
          { org_id: 'a', n: 1n, at: 0n },
          { org_id: 'b', n: 1n, at: DAY },
          { org_id: null, n: 1n, at: DAY },
        ],
        'zstd',
      ),
    ).rejects.toThrow('required column org_id is null');
    expect([...written.keys()]).toEqual([]);
  });
});

describe('encodeColumns', () => {
  const columns = [
    Array.from({ length: 200 }, (_, i) => `org-${i % 3}`),
    Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? null : BigInt(i) * 9_007_199_254_740_993n)),
    Array.from({ length: 200 }, (_, i) => BigInt(i) * DAY),
  ];

  it.each<[ParquetCodec, string]>([
    ['zstd', 'ZSTD'],
    ['snappy', 'SNAPPY'],
    ['gzip', 'GZIP'],
    ['uncompressed', 'UNCOMPRESSED'],
  ])('writes %s files that read back exactly, with field ids', async (codec, parquetCodec) => {
    const bytes = encodeColumns(schema, columns, codec);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const metadata = parquetMetadata(file);
    expect(metadata.schema.slice(1).map((e) => [e.name, e.field_id])).toEqual([
      ['org_id', 1],
      ['n', 2],
      ['at', 3],
    ]);
    expect(metadata.row_groups[0]!.columns.map((c) => c.meta_data!.codec)).toEqual([
      parquetCodec,
      parquetCodec,
      parquetCodec,
    ]);
    const rows = await parquetReadObjects({
      file,
      metadata,
      compressors: PARQUET_DECOMPRESSORS,
      parsers: { timestampFromMicroseconds: (m: bigint) => m } as never,
    });
    expect(rows.map((r) => [r.org_id, r.n ?? null, r.at])).toEqual(
      columns[0]!.map((_, i) => [columns[0]![i], columns[1]![i], columns[2]![i]]),
    );
  });

  it('takes the codec from the table property, zstd by default, and refuses one it lacks', () => {
    expect(codecOf(undefined)).toBe('zstd');
    expect(codecOf({ 'write.parquet.compression-codec': 'SNAPPY' })).toBe('snappy');
    expect(() => codecOf({ 'write.parquet.compression-codec': 'lz4' })).toThrow(
      'unsupported write.parquet.compression-codec "lz4"',
    );
  });
});
