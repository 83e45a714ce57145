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
export { IcebergTable } from './table/iceberg-table.ts';
export type {
  AppendOptions,
  CommitOutcome,
  CommitStep,
  IcebergTableOptions,
  ScanOptions,
} from './table/iceberg-table.ts';
