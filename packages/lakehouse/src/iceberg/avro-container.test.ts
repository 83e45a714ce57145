import { describe, expect, it } from '@jest/globals';
import { avroType, readAvroContainer, writeAvroContainer } from './avro-container.ts';
import { decodeManifestList, encodeManifestList, MANIFEST_LIST_SCHEMA } from './manifest.ts';

describe('avro-container', () => {
  describe('#writeAvroContainer', () => {
    it('keeps field ids in the header and 63-bit longs exact', () => {
      const schema = {
        type: 'record',
        name: 'r',
        fields: [
          { name: 'id', type: 'long', 'field-id': 500 },
          {
            name: 'tags',
            type: ['null', { type: 'array', items: 'int', 'element-id': 7 }],
            default: null,
            'field-id': 6,
          },
        ],
      };
      const big = 9_223_372_036_854_775_000n;
      const buf = writeAvroContainer(
        [
          { id: big, tags: [1, 2] },
          { id: -3n, tags: null },
        ],
        {
          schema,
          metadata: { 'format-version': '2' },
        },
      );
      const back = readAvroContainer<{ id: bigint; tags: number[] | null }>(buf);
      expect(back.records).toEqual([
        { id: big, tags: [1, 2] },
        { id: -3n, tags: null },
      ]);
      expect(JSON.parse(back.metadata['avro.schema'] ?? '{}')).toEqual(schema);
      expect(back.metadata['format-version']).toBe('2');
      expect(back.metadata['avro.codec']).toBe('deflate');
    });

    it('rejects a corrupted sync marker', () => {
      const buf = writeAvroContainer([{ id: 1n }], {
        schema: { type: 'record', name: 'r', fields: [{ name: 'id', type: 'long', 'field-id': 1 }] },
        codec: 'null',
      });
      buf[buf.length - 1] = (buf[buf.length - 1] ?? 0) ^ 0xff;
      expect(() => readAvroContainer(buf)).toThrow(/sync marker/);
    });
  });

  describe('#avroType', () => {
    it('builds one Type per schema text (compiling one costs more than decoding a manifest)', () => {
      const schema = { type: 'record', name: 'c', fields: [{ name: 'n', type: 'long', 'field-id': 1 }] };
      const type = avroType(schema);
      expect(avroType(JSON.parse(JSON.stringify(schema)) as object)).toBe(type);
      expect(avroType({ ...schema, name: 'd' })).not.toBe(type);
      const file = writeAvroContainer([{ n: 2n ** 62n }], { schema });
      expect(readAvroContainer(file).records).toEqual([{ n: 2n ** 62n }]);
    });
  });

  describe('#encodeManifestList', () => {
    it('round-trips manifest list rows with their snapshot metadata', () => {
      const row = {
        manifest_path: 'file:///w/m0.avro',
        manifest_length: 10n,
        partition_spec_id: 0,
        content: 0,
        sequence_number: 3n,
        min_sequence_number: 3n,
        added_snapshot_id: 7_000_000_000_000_000_001n,
        added_files_count: 1,
        existing_files_count: 0,
        deleted_files_count: 0,
        added_rows_count: 5n,
        existing_rows_count: 0n,
        deleted_rows_count: 0n,
        partitions: [
          {
            contains_null: false,
            contains_nan: false,
            lower_bound: Buffer.from('a'),
            upper_bound: Buffer.from('b'),
          },
        ],
        key_metadata: null,
      };
      const buf = encodeManifestList([row], {
        snapshotId: row.added_snapshot_id,
        parentSnapshotId: null,
        sequenceNumber: 3n,
      });
      expect(decodeManifestList(buf)).toEqual([row]);
      expect(JSON.parse(readAvroContainer(buf).metadata['avro.schema'] ?? '{}')).toEqual(
        MANIFEST_LIST_SCHEMA,
      );
      expect(readAvroContainer(buf).metadata['snapshot-id']).toBe('7000000000000000001');
    });
  });
});
