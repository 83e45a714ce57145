import { describe, expect, it } from '@jest/globals';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { partitionColumns } from './data-file-writer.ts';
import { PARQUET_DECOMPRESSORS, codecOf, encodeColumns } from './parquet-encoder.ts';
import type { ParquetCodec } from './parquet-encoder.ts';
import type { IcebergSchema, PartitionSpec } from './schema.ts';

const schema: IcebergSchema = {
  type: 'struct',
  'schema-id': 0,
  fields: [
    { id: 1, name: 'org_id', required: true, type: 'string' },
    { id: 2, name: 'n', required: false, type: 'long' },
    { id: 3, name: 'at', required: true, type: 'timestamptz' },
  ],
};
const bySourceAndDay: PartitionSpec = {
  'spec-id': 0,
  fields: [
    { 'source-id': 1, 'field-id': 1000, name: 'org_id', transform: 'identity' },
    { 'source-id': 3, 'field-id': 1001, name: 'at_day', transform: 'day' },
  ],
};
const DAY = 86_400_000_000n;

describe('partitionColumns', () => {
  it('groups rows by partition tuple in first-seen order and transposes each group', () => {
    const groups = partitionColumns(schema, bySourceAndDay, [
      { org_id: 'a', n: 1n, at: 0n },
      { org_id: 'b', n: null, at: DAY + 5n },
      // numbers in long and timestamp columns become bigints
      { org_id: 'a', n: 3, at: 7 },
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

  it('rejects a null in a required column, naming it', () => {
    expect(() => partitionColumns(schema, bySourceAndDay, [{ org_id: 'a', n: 1n, at: null }])).toThrow(
      'required column at is null',
    );
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
