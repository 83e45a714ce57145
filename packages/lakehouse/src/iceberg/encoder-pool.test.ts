import { afterAll, describe, expect, it } from '@jest/globals';
import { parquetReadObjects } from 'hyparquet';
import { InlineParquetEncoder, ParquetEncoderPool } from './encoder-pool.ts';
import { PARQUET_DECOMPRESSORS } from './parquet-encoder.ts';
import type { IcebergSchema, RowValue } from './schema.ts';

const schema: IcebergSchema = {
  type: 'struct',
  'schema-id': 0,
  fields: [
    { id: 1, name: 'kind', required: true, type: 'string' },
    { id: 2, name: 'id', required: false, type: 'string' },
    { id: 3, name: 'at', required: true, type: 'timestamptz' },
  ],
};
const rows = 3000;
const columns = (): RowValue[][] => [
  Array.from({ length: rows }, (_, i) => `kind-${i % 5}`),
  // distinct values, some non-ASCII (a surrogate pair included), some null
  Array.from({ length: rows }, (_, i) => (i % 11 === 0 ? null : `id-${i}-${i % 3 === 0 ? 'é😀' : 'x'}`)),
  Array.from({ length: rows }, (_, i) => BigInt(i) * 1_000_000n),
];

describe('ParquetEncoderPool', () => {
  const pool = new ParquetEncoderPool({ size: 2 });
  afterAll(() => pool.close());

  it('encodes on worker threads byte for byte what the calling thread encodes', async () => {
    const inline = await new InlineParquetEncoder().encode(schema, columns(), 'zstd');
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => pool.encode(schema, columns(), 'zstd')));
    expect(Buffer.from(a!).equals(Buffer.from(inline))).toBe(true);
    expect(Buffer.from(b!).equals(Buffer.from(inline))).toBe(true);
    expect(Buffer.from(c!).equals(Buffer.from(inline))).toBe(true);
    const file = inline.buffer.slice(inline.byteOffset, inline.byteOffset + inline.byteLength) as ArrayBuffer;
    const back = await parquetReadObjects({
      file,
      compressors: PARQUET_DECOMPRESSORS,
      parsers: { timestampFromMicroseconds: (m: bigint) => m } as never,
    });
    const expected = columns();
    expect(back.map((r) => [r.kind, r.id ?? null, r.at])).toEqual(
      expected[0]!.map((_, i) => [expected[0]![i], expected[1]![i], expected[2]![i]]),
    );
  });

  it('rejects values that do not fit the schema with the encoder error, and keeps working', async () => {
    const bad = columns();
    bad[2] = bad[2]!.map(() => 'not a timestamp');
    await expect(pool.encode(schema, bad, 'zstd')).rejects.toThrow(/^parquet encoding failed: /);
    expect((await pool.encode(schema, columns(), 'zstd')).byteLength).toBeGreaterThan(0);
  });

  it('rejects queued work when closed, and starts again on the next encode', async () => {
    const other = new ParquetEncoderPool({ size: 1 });
    const running = other.encode(schema, columns(), 'zstd');
    const queued = other.encode(schema, columns(), 'zstd');
    await other.close();
    await expect(running).rejects.toThrow('parquet encoder pool closed');
    await expect(queued).rejects.toThrow('parquet encoder pool closed');
    expect((await other.encode(schema, columns(), 'zstd')).byteLength).toBeGreaterThan(0);
    await other.close();
  });
});
