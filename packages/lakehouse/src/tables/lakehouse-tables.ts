import type { Catalog } from '../catalog/catalog.ts';
import type { FileIO } from '../io/file-io.ts';
import type { CommitStep } from '../table/iceberg-table.ts';
import { IcebergTable } from '../table/iceberg-table.ts';
import type { TableLayout, TableName } from './table-definitions.ts';
import { TABLE_NAMES, tableLayout } from './table-definitions.ts';

/** Options of {@link LakehouseTables}. */
export interface LakehouseTablesOptions {
  catalog: Catalog;
  io: FileIO;
  /** Catalog namespace of the tables (default `seg`). */
  namespace?: string;
  /** Clock (ms) for snapshot timestamps. */
  now?: () => number;
  /** Test hook forwarded to every table (crash injection). */
  onCommitStep?: (table: TableName, step: CommitStep) => void | Promise<void>;
}

/** The seven canonical Iceberg tables of one catalog namespace, with their contract layouts. */
export class LakehouseTables {
  /** Catalog namespace. */
  readonly namespace: string;
  readonly #tables = new Map<TableName, { table: IcebergTable; layout: TableLayout }>();

  /** Binds the tables; each is created on first use. */
  constructor(options: LakehouseTablesOptions) {
    this.namespace = options.namespace ?? 'seg';
    for (const name of TABLE_NAMES) {
      const layout = tableLayout(name);
      const hook = options.onCommitStep;
      const table = new IcebergTable({
        catalog: options.catalog,
        io: options.io,
        ident: { namespace: this.namespace, name },
        create: {
          schema: layout.schema,
          spec: layout.spec,
          properties: { 'seg.contract': layout.definition.contract },
        },
        ...(options.now ? { now: options.now } : {}),
        ...(hook ? { onCommitStep: (step: CommitStep) => hook(name, step) } : {}),
      });
      this.#tables.set(name, { table, layout });
    }
  }

  /** The table object of a canonical table. */
  table(name: TableName): IcebergTable {
    return (this.#tables.get(name) as { table: IcebergTable }).table;
  }

  /** The layout (columns, schema, spec) of a canonical table. */
  layout(name: TableName): TableLayout {
    return (this.#tables.get(name) as { layout: TableLayout }).layout;
  }
}
