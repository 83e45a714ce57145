// Table metadata JSON (spec "Table Metadata Fields"), v2 only.
import { randomUUID } from 'node:crypto';
import type { IcebergSchema, PartitionSpec } from './schema.ts';

/** A snapshot as recorded in table metadata. Ids are bigint so 63-bit ids stay exact. */
export interface Snapshot {
  'snapshot-id': bigint | number;
  'parent-snapshot-id'?: bigint | number | null;
  'sequence-number': bigint | number;
  'timestamp-ms': number;
  'manifest-list': string;
  summary: Record<string, string> & { operation: string };
  'schema-id'?: number;
}

/** Table metadata, format version 2. */
export interface TableMetadata {
  'format-version': 2;
  'table-uuid': string;
  location: string;
  'last-sequence-number': bigint | number;
  'last-updated-ms': number;
  'last-column-id': number;
  'current-schema-id': number;
  schemas: IcebergSchema[];
  'default-spec-id': number;
  'partition-specs': PartitionSpec[];
  'last-partition-id': number;
  'default-sort-order-id': number;
  'sort-orders': { 'order-id': number; fields: unknown[] }[];
  properties: Record<string, string>;
  'current-snapshot-id': bigint | number | null;
  refs: Record<string, { 'snapshot-id': bigint | number; type: 'branch' | 'tag' }>;
  snapshots: Snapshot[];
  'snapshot-log': { 'timestamp-ms': number; 'snapshot-id': bigint | number }[];
  'metadata-log': { 'timestamp-ms': number; 'metadata-file': string }[];
}

/** Creates the metadata of a new, empty table. */
export function newTableMetadata(opts: {
  location: string;
  schema: IcebergSchema;
  spec: PartitionSpec;
  properties?: Record<string, string>;
  nowMs: number;
}): TableMetadata {
  return {
    'format-version': 2,
    'table-uuid': randomUUID(),
    location: opts.location,
    'last-sequence-number': 0,
    'last-updated-ms': opts.nowMs,
    'last-column-id': Math.max(0, ...opts.schema.fields.map((f) => f.id)),
    'current-schema-id': opts.schema['schema-id'],
    schemas: [opts.schema],
    'default-spec-id': opts.spec['spec-id'],
    'partition-specs': [opts.spec],
    'last-partition-id': Math.max(999, ...opts.spec.fields.map((f) => f['field-id'])),
    'default-sort-order-id': 0,
    'sort-orders': [{ 'order-id': 0, fields: [] }],
    properties: {
      'write.format.default': 'parquet',
      'write.parquet.compression-codec': 'zstd',
      ...opts.properties,
    },
    'current-snapshot-id': null,
    refs: {},
    snapshots: [],
    'snapshot-log': [],
    'metadata-log': [],
  };
}

/** The current snapshot id, or null (Java writes -1 for "none"). */
export function currentSnapshotId(m: TableMetadata): bigint | null {
  const id = m['current-snapshot-id'];
  if (id === null || id === undefined || BigInt(id) === -1n) return null;
  return BigInt(id);
}

/** The current snapshot, or undefined for an empty table. */
export function currentSnapshot(m: TableMetadata): Snapshot | undefined {
  const id = currentSnapshotId(m);
  if (id === null) return undefined;
  return m.snapshots.find((s) => BigInt(s['snapshot-id']) === id);
}

/** The current schema. */
export function currentSchema(m: TableMetadata): IcebergSchema {
  const s = m.schemas.find((x) => x['schema-id'] === m['current-schema-id']);
  if (!s) throw new Error(`schema ${m['current-schema-id']} missing from metadata`);
  return s;
}

/** The default partition spec. */
export function defaultSpec(m: TableMetadata): PartitionSpec {
  const s = m['partition-specs'].find((x) => x['spec-id'] === m['default-spec-id']);
  if (!s) throw new Error(`partition spec ${m['default-spec-id']} missing from metadata`);
  return s;
}

/** The ancestry of the current snapshot, newest first. */
export function snapshotAncestry(m: TableMetadata): Snapshot[] {
  const byId = new Map(m.snapshots.map((s) => [BigInt(s['snapshot-id']), s]));
  const out: Snapshot[] = [];
  let id = currentSnapshotId(m);
  while (id !== null) {
    const s = byId.get(id);
    if (!s) break;
    out.push(s);
    const p = s['parent-snapshot-id'];
    id = p === null || p === undefined ? null : BigInt(p);
  }
  return out;
}

/** Returns new metadata with a snapshot added and made current on `main`. */
export function withSnapshot(m: TableMetadata, snap: Snapshot, metadataFile: string): TableMetadata {
  const ts = snap['timestamp-ms'];
  return {
    ...m,
    'last-sequence-number': snap['sequence-number'],
    'last-updated-ms': ts,
    'current-snapshot-id': snap['snapshot-id'],
    refs: { ...m.refs, main: { 'snapshot-id': snap['snapshot-id'], type: 'branch' } },
    snapshots: [...m.snapshots, snap],
    'snapshot-log': [...m['snapshot-log'], { 'timestamp-ms': ts, 'snapshot-id': snap['snapshot-id'] }],
    'metadata-log': [
      ...m['metadata-log'],
      { 'timestamp-ms': m['last-updated-ms'], 'metadata-file': metadataFile },
    ],
  };
}

/** The version number in a metadata file name (`00042-<uuid>.metadata.json` → 42), or -1. */
export function metadataVersion(location: string): number {
  const m = /(\d+)-[^/]*\.metadata\.json$/.exec(location);
  return m ? Number(m[1]) : -1;
}
