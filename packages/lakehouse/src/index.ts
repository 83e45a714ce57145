export type { Catalog, LoadedTable, TableCreateSpec, TableIdent } from './catalog/catalog.ts';
export { CommitConflictError } from './catalog/catalog.ts';
export { PostgresDriver } from './catalog/postgres-driver.ts';
export type { SqlDriver } from './catalog/sql-driver.ts';
export { SqlCatalog, TableNotFoundError } from './catalog/sql-catalog.ts';
export type { SqlCatalogOptions } from './catalog/sql-catalog.ts';
export { SqliteDriver } from './catalog/sqlite-driver.ts';
export { parseLossless, stringifyLossless } from './iceberg/lossless-json.ts';
export type {
  IcebergField,
  IcebergSchema,
  IcebergType,
  PartitionField,
  PartitionSpec,
  PartitionTransform,
  Row,
  RowValue,
} from './iceberg/schema.ts';
export type { Snapshot, TableMetadata } from './iceberg/table-metadata.ts';
export type { FileIO } from './io/file-io.ts';
export { fileUri, LocalFileIO, localPath } from './io/local-file-io.ts';
export { BlobStoreFileIO } from './io/blob-store-file-io.ts';
export type { BlobStoreFileIOOptions } from './io/blob-store-file-io.ts';
export { IcebergTable } from './table/iceberg-table.ts';
export { CODEC_PROPERTY, codecOf } from './iceberg/parquet-encoder.ts';
export type { ParquetCodec } from './iceberg/parquet-encoder.ts';
export type {
  AppendOptions,
  ColumnIn,
  CommitOutcome,
  CommitStep,
  CompactOptions,
  CompactOutcome,
  IcebergTableOptions,
  RowRemoval,
  ScanOptions,
} from './table/iceberg-table.ts';
export { aesGcmDecrypt, aesGcmEncrypt, UriSealer } from './evidence/envelope.ts';
export type { UriSealerOptions } from './evidence/envelope.ts';
export { LocalKeyProvider } from './evidence/local-key-provider.ts';
export type { LocalKeyProviderOptions } from './evidence/local-key-provider.ts';
export {
  COMMIT_KEY_SUMMARY_KEY,
  DEAD_RUN_GRACE_MS,
  IcebergFindingStore,
  REMOVED_ROWS_SUMMARY_KEY,
  REMOVED_RUNS_SUMMARY_KEY,
  RUN_ID_SUMMARY_KEY,
} from './ingest/iceberg-finding-store.ts';
export type {
  CompactedTable,
  FindingQuery,
  IcebergFindingStoreOptions,
  MaintenanceOptions,
  RunDiff,
  RunFindingFilter,
  StoredFinding,
} from './ingest/iceberg-finding-store.ts';
export { columnsFromContract } from './tables/columns-from-contract.ts';
export type { ContractColumn } from './tables/columns-from-contract.ts';
export { LakehouseTables } from './tables/lakehouse-tables.ts';
export type { LakehouseTablesOptions } from './tables/lakehouse-tables.ts';
export { fromRow, toRow } from './tables/row-codec.ts';
export type { SegRowValues } from './tables/row-codec.ts';
export { TABLE_DEFINITIONS, TABLE_NAMES, tableLayout } from './tables/table-definitions.ts';
export type { TableDefinition, TableLayout, TableName } from './tables/table-definitions.ts';
export { isoToMicros, microsToIso } from './tables/timestamps.ts';
export { openEmbeddedLakehouse } from './embedded/open-embedded-lakehouse.ts';
export { openLakehouse } from './embedded/open-lakehouse.ts';
export type { LakehouseParts, OpenedLakehouse } from './embedded/open-lakehouse.ts';
export type { EmbeddedLakehouse, EmbeddedLakehouseOptions } from './embedded/open-embedded-lakehouse.ts';
export { CHUNK_SIZE, DEFAULT_RETENTION_DAYS, EvidenceStore } from './evidence/evidence-store.ts';
export type {
  BlobReference,
  ChunkMap,
  EvidenceStoreOptions,
  PurgeResult,
  StoredEvidence,
} from './evidence/evidence-store.ts';
export { LocalBlobStore } from './evidence/local-blob-store.ts';
export type { LocalBlobStoreOptions } from './evidence/local-blob-store.ts';
export { IcebergTableStore, TABLE_COMMIT_KEY } from './tables/iceberg-table-store.ts';
export type { IcebergTableStoreOptions } from './tables/iceberg-table-store.ts';
export { RestCatalog, losslessFetch } from './catalog/rest-catalog.ts';
export type { RestCatalogOptions } from './catalog/rest-catalog.ts';
export { committedFiles, lakehouseTableName, tableFileUri } from './ingest/committed-files.ts';
export type { CommittedTable } from './ingest/committed-files.ts';
export { attestationById, runAttestations } from './ingest/run-attestations.ts';
export { lakehouseSubjectResolver } from './attestation/lakehouse-subject-resolver.ts';
export type { LakehouseSubjectResolverOptions } from './attestation/lakehouse-subject-resolver.ts';
