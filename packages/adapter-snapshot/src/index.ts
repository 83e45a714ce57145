// Public surface of @neurocipher/seg-adapter-snapshot: an InventoryPort over NDJSON snapshot files and
// the deterministic demo tenant generator.
export { SnapshotInventory } from './inventory/snapshot-inventory.ts';
export type {
  SnapshotInventoryOpenOptions,
  SnapshotInventoryOptions,
} from './inventory/snapshot-inventory.ts';
export { parseSnapshotRecord, serializeSnapshotRecord } from './snapshot/snapshot-record.ts';
export type { SnapshotRecord } from './snapshot/snapshot-record.ts';
export {
  DEFAULT_SNAPSHOT_MAX_LINE_BYTES,
  SNAPSHOT_MAX_LINE_BYTES_LIMIT,
  readSnapshotFile,
  writeSnapshotFile,
} from './snapshot/snapshot-file.ts';
export type { ReadSnapshotOptions } from './snapshot/snapshot-file.ts';
export {
  DEMO_CAPTURED_AT,
  DEMO_KINDS,
  DEMO_REGIONS,
  DEMO_SCHEMA_VERSION,
  demoAccountId,
  generateDemoTenant,
} from './demo/demo-tenant.ts';
export type { DemoTenantOptions } from './demo/demo-tenant.ts';
export { createPrng } from './demo/prng.ts';
export type { Prng } from './demo/prng.ts';
