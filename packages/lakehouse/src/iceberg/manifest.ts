// Manifests and manifest lists (spec "Manifests", "Manifest Lists"), with the exact v2 field ids.
import { readAvroContainer, writeAvroContainer } from './avro-container.ts';
import type { IcebergSchema, PartitionSpec } from './schema.ts';
import { avroPrimitive, partitionResultType } from './schema.ts';

/** Manifest entry status (field 0). */
export const ENTRY_EXISTING = 0;
/** Manifest entry status (field 0). */
export const ENTRY_ADDED = 1;
/** Manifest entry status (field 0). */
export const ENTRY_DELETED = 2;

/** One data file as described in a manifest (`data_file`, field 2). */
export interface DataFile {
  content: number;
  file_path: string;
  file_format: string;
  /** Partition values keyed by partition field name. */
  partition: Record<string, unknown>;
  record_count: bigint;
  file_size_in_bytes: bigint;
  value_counts?: { key: number; value: bigint }[] | null;
  null_value_counts?: { key: number; value: bigint }[] | null;
  lower_bounds?: { key: number; value: Buffer }[] | null;
  upper_bounds?: { key: number; value: Buffer }[] | null;
}

/** One manifest entry (`manifest_entry`). Null sequence numbers are inherited from the manifest. */
export interface ManifestEntry {
  status: number;
  snapshot_id: bigint | null;
  sequence_number: bigint | null;
  file_sequence_number: bigint | null;
  data_file: DataFile;
}

/** Summary of one partition field over a manifest (`field_summary`, 508). */
export interface FieldSummary {
  contains_null: boolean;
  contains_nan: boolean | null;
  lower_bound: Buffer | null;
  upper_bound: Buffer | null;
}

/** One manifest list row (`manifest_file`). */
export interface ManifestFile {
  manifest_path: string;
  manifest_length: bigint;
  partition_spec_id: number;
  content: number;
  sequence_number: bigint;
  min_sequence_number: bigint;
  added_snapshot_id: bigint;
  added_files_count: number;
  existing_files_count: number;
  deleted_files_count: number;
  added_rows_count: bigint;
  existing_rows_count: bigint;
  deleted_rows_count: bigint;
  partitions: FieldSummary[] | null;
  key_metadata: Buffer | null;
}

const opt = (type: unknown, name: string, id: number) => ({
  name,
  type: ['null', type],
  default: null,
  'field-id': id,
});
const req = (type: unknown, name: string, id: number) => ({ name, type, 'field-id': id });
const intMap = (name: string, id: number, keyId: number, valueId: number, valueType: unknown) =>
  opt(
    {
      type: 'array',
      logicalType: 'map',
      items: {
        type: 'record',
        name: `k${keyId}_v${valueId}`,
        fields: [req('int', 'key', keyId), req(valueType, 'value', valueId)],
      },
    },
    name,
    id,
  );

/** The Avro schema of a v2 manifest for a table schema and partition spec. */
export function manifestEntrySchema(schema: IcebergSchema, spec: PartitionSpec): object {
  const partition = {
    type: 'record',
    name: 'r102',
    fields: spec.fields.map((f) => opt(avroPrimitive(partitionResultType(f, schema)), f.name, f['field-id'])),
  };
  return {
    type: 'record',
    name: 'manifest_entry',
    fields: [
      req('int', 'status', 0),
      opt('long', 'snapshot_id', 1),
      opt('long', 'sequence_number', 3),
      opt('long', 'file_sequence_number', 4),
      req(
        {
          type: 'record',
          name: 'r2',
          fields: [
            req('int', 'content', 134),
            req('string', 'file_path', 100),
            req('string', 'file_format', 101),
            req(partition, 'partition', 102),
            req('long', 'record_count', 103),
            req('long', 'file_size_in_bytes', 104),
            intMap('column_sizes', 108, 117, 118, 'long'),
            intMap('value_counts', 109, 119, 120, 'long'),
            intMap('null_value_counts', 110, 121, 122, 'long'),
            intMap('nan_value_counts', 137, 138, 139, 'long'),
            intMap('lower_bounds', 125, 126, 127, 'bytes'),
            intMap('upper_bounds', 128, 129, 130, 'bytes'),
            opt('bytes', 'key_metadata', 131),
            opt({ type: 'array', items: 'long', 'element-id': 133 }, 'split_offsets', 132),
            opt({ type: 'array', items: 'int', 'element-id': 136 }, 'equality_ids', 135),
            opt('int', 'sort_order_id', 140),
          ],
        },
        'data_file',
        2,
      ),
    ],
  };
}

/** The Avro schema of a v2 manifest list. */
export const MANIFEST_LIST_SCHEMA = {
  type: 'record',
  name: 'manifest_file',
  fields: [
    req('string', 'manifest_path', 500),
    req('long', 'manifest_length', 501),
    req('int', 'partition_spec_id', 502),
    req('int', 'content', 517),
    req('long', 'sequence_number', 515),
    req('long', 'min_sequence_number', 516),
    req('long', 'added_snapshot_id', 503),
    req('int', 'added_files_count', 504),
    req('int', 'existing_files_count', 505),
    req('int', 'deleted_files_count', 506),
    req('long', 'added_rows_count', 512),
    req('long', 'existing_rows_count', 513),
    req('long', 'deleted_rows_count', 514),
    opt(
      {
        type: 'array',
        'element-id': 508,
        items: {
          type: 'record',
          name: 'r508',
          fields: [
            req('boolean', 'contains_null', 509),
            opt('boolean', 'contains_nan', 518),
            opt('bytes', 'lower_bound', 510),
            opt('bytes', 'upper_bound', 511),
          ],
        },
      },
      'partitions',
      507,
    ),
    opt('bytes', 'key_metadata', 519),
  ],
} as const;

function fillDataFile(d: DataFile): Record<string, unknown> {
  return {
    column_sizes: null,
    value_counts: null,
    null_value_counts: null,
    nan_value_counts: null,
    lower_bounds: null,
    upper_bounds: null,
    key_metadata: null,
    split_offsets: null,
    equality_ids: null,
    sort_order_id: null,
    ...d,
  };
}

/** Encodes a manifest file with the metadata keys Java and pyiceberg write. */
export function encodeManifest(
  entries: readonly ManifestEntry[],
  schema: IcebergSchema,
  spec: PartitionSpec,
): Buffer {
  return writeAvroContainer(
    entries.map((e) => ({ ...e, data_file: fillDataFile(e.data_file) })),
    {
      schema: manifestEntrySchema(schema, spec),
      metadata: {
        schema: JSON.stringify(schema),
        'schema-id': String(schema['schema-id']),
        'partition-spec': JSON.stringify(spec.fields),
        'partition-spec-id': String(spec['spec-id']),
        'format-version': '2',
        content: 'data',
      },
    },
  );
}

/** Decodes a manifest file. */
export function decodeManifest(buf: Buffer): ManifestEntry[] {
  return readAvroContainer<ManifestEntry>(buf).records;
}

/** Encodes a manifest list with its snapshot metadata keys. */
export function encodeManifestList(
  rows: readonly ManifestFile[],
  meta: { snapshotId: bigint; parentSnapshotId: bigint | null; sequenceNumber: bigint },
): Buffer {
  return writeAvroContainer(rows, {
    schema: MANIFEST_LIST_SCHEMA,
    metadata: {
      'snapshot-id': meta.snapshotId.toString(),
      'parent-snapshot-id': meta.parentSnapshotId === null ? 'null' : meta.parentSnapshotId.toString(),
      'sequence-number': meta.sequenceNumber.toString(),
      'format-version': '2',
    },
  });
}

/** Decodes a manifest list (v1 lists lack some fields; they come back undefined). */
export function decodeManifestList(buf: Buffer): ManifestFile[] {
  return readAvroContainer<ManifestFile>(buf).records;
}
