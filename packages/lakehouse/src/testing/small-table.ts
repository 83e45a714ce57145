// A three-column table partitioned by tenant and day, for the writer's and the table's tests.
import type { IcebergSchema, PartitionSpec } from '../iceberg/schema.ts';

/** `org_id` (required string), `n` (optional long), `at` (required timestamptz). */
export const smallSchema: IcebergSchema = {
  type: 'struct',
  'schema-id': 0,
  fields: [
    { id: 1, name: 'org_id', required: true, type: 'string' },
    { id: 2, name: 'n', required: false, type: 'long' },
    { id: 3, name: 'at', required: true, type: 'timestamptz' },
  ],
};

/** Partitioned by `org_id` (identity) and `day(at)` as `at_day`. */
export const orgDaySpec: PartitionSpec = {
  'spec-id': 0,
  fields: [
    { 'source-id': 1, 'field-id': 1000, name: 'org_id', transform: 'identity' },
    { 'source-id': 3, 'field-id': 1001, name: 'at_day', transform: 'day' },
  ],
};
