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

/**
 * The seven canonical Iceberg tables of one catalog namespace, with their contract layouts. The first
 * write (append or compaction) to any of them creates all seven, so a reader of a lakehouse that has
 * been committed to once finds every table, empty or not.
 */
export class LakehouseTables {
  /** Catalog namespace. */
  readonly namespace: string;
  readonly #tables = new Map<TableName, { table: IcebergTable; layout: TableLayout }>();
  #created: Promise<void> | undefined;

  /** Binds the tables; each is created on first use, and all of them on the first write to one. */
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
        beforeWrite: () => this.ensureAll(),
      });
      this.#tables.set(name, { table, layout });
    }
  }

  /**
   * Creates every canonical table that does not exist yet (with its schema, partition spec and contract
   * property). Idempotent, and safe against other processes creating them at the same time (the
   * catalog's create is create-if-absent); done once per instance when it succeeds, tried again after a
   * failure. Call it when opening a lakehouse for writing; every write calls it first.
   */
  ensureAll(): Promise<void> {
    this.#created ??= Promise.all(TABLE_NAMES.map((name) => this.table(name).ensure())).then(
      () => undefined,
      (err: unknown) => {
        this.#created = undefined;
        throw err;
      },
    );
    return this.#created;
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
