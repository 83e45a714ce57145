// Iceberg REST catalog through iceberg-js. iceberg-js parses and serialises with plain JSON, which
// rounds 63-bit snapshot ids; a fetch wrapper makes the wire lossless: responses carry big integers as
// decimal strings to iceberg-js, and requests turn id strings back into exact JSON integers.
import { IcebergError, IcebergRestCatalog } from 'iceberg-js';
import type { TableMetadata as RestTableMetadata } from 'iceberg-js';
import { parseLossless, stringifyLossless } from '../iceberg/lossless-json.ts';
import type { Snapshot, TableMetadata } from '../iceberg/table-metadata.ts';
import { currentSnapshotId } from '../iceberg/table-metadata.ts';
import type { Catalog, LoadedTable, TableCreateSpec, TableIdent } from './catalog.ts';
import { CommitConflictError } from './catalog.ts';
import { TableNotFoundError } from './sql-catalog.ts';

const ID_KEYS = new Set(['snapshot-id', 'parent-snapshot-id', 'sequence-number', 'current-snapshot-id']);

function bigToString(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(bigToString);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bigToString(x)]));
  return v;
}

function idStringsToBig(v: unknown, key?: string): unknown {
  if (typeof v === 'string' && key !== undefined && ID_KEYS.has(key) && /^-?\d+$/.test(v)) return BigInt(v);
  if (Array.isArray(v)) return v.map((x) => idStringsToBig(x));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, idStringsToBig(x, k)]));
  return v;
}

/** A fetch that keeps 64-bit integers exact across iceberg-js's plain JSON handling. */
export function losslessFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    let body = init?.body;
    if (typeof body === 'string' && body.length > 0)
      body = stringifyLossless(idStringsToBig(JSON.parse(body)));
    const res = await inner(input, { ...init, ...(body !== undefined ? { body } : {}) });
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('json')) return res;
    const text = await res.text();
    const fixed = text ? JSON.stringify(bigToString(parseLossless(text))) : text;
    return new Response(fixed, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/** Options of {@link RestCatalog}. */
export interface RestCatalogOptions {
  /** Base URL of the REST catalog (`http://127.0.0.1:8181`). */
  uri: string;
  /** Catalog name reported by {@link Catalog.name}. */
  name?: string;
  /**
   * Warehouse identifier sent to `GET /v1/config` (optional), for servers that hold several (a name, not
   * a location). When the server answers no `prefix`, iceberg-js puts it in every request path.
   */
  warehouse?: string;
  /** Bearer token, if the server wants one. */
  token?: string;
  /** Inner fetch (defaults to the global one). */
  fetch?: typeof fetch;
}

/**
 * A local file URI in the `file:///abs` form the rest of the lakehouse (and pyiceberg) writes: Java
 * servers name local files the Hadoop way, `file:/abs`, which would not match as a prefix.
 */
export function canonicalFileUri(uri: string): string {
  return uri.replace(/^file:\/(?!\/)/, 'file:///');
}

function toLoaded(ident: TableIdent, location: string, metadata: RestTableMetadata): LoadedTable {
  const loaded = idStringsToBig(metadata) as TableMetadata;
  return {
    ident,
    metadataLocation: canonicalFileUri(location),
    metadata: { ...loaded, location: canonicalFileUri(loaded.location) },
  };
}

/**
 * {@link Catalog} over the Iceberg REST protocol. The server writes the metadata files; commits carry
 * `assert-table-uuid` and `assert-ref-snapshot-id` requirements, so a concurrent commit is a 409 and
 * the caller retries from a fresh load.
 */
export class RestCatalog implements Catalog {
  /** Catalog name. */
  readonly name: string;
  /** Warehouse as configured (the server decides table locations). */
  readonly warehouse: string;
  readonly #client: IcebergRestCatalog;
  readonly #namespaces = new Map<string, Promise<void>>();

  /** Creates the client (no request is made until first use). */
  constructor(options: RestCatalogOptions) {
    this.name = options.name ?? 'rest';
    this.warehouse = options.warehouse ?? '';
    this.#client = new IcebergRestCatalog({
      baseUrl: options.uri,
      ...(options.warehouse ? { warehouse: options.warehouse } : {}),
      ...(options.token ? { auth: { type: 'bearer', token: options.token } } : {}),
      fetch: losslessFetch(options.fetch),
    } as ConstructorParameters<typeof IcebergRestCatalog>[0]);
  }

  /** Creates the namespace if missing. */
  async ensureNamespace(namespace: string): Promise<void> {
    let done = this.#namespaces.get(namespace);
    if (!done) {
      done = this.#client.createNamespaceIfNotExists({ namespace: [namespace] }).then(
        () => undefined,
        async (err: unknown) => {
          // Another client may have created it between the server's check and insert.
          if (!(await this.#client.namespaceExists({ namespace: [namespace] }))) throw err;
        },
      );
      this.#namespaces.set(namespace, done);
      done.catch(() => this.#namespaces.delete(namespace));
    }
    await done;
  }

  /** Loads a table's current metadata. */
  async loadTable(ident: TableIdent): Promise<LoadedTable> {
    try {
      const res = await this.#client.loadTableResult({ namespace: [ident.namespace], name: ident.name });
      if (!res) throw new TableNotFoundError(ident);
      return toLoaded(ident, res['metadata-location'] ?? '', res.metadata);
    } catch (err) {
      if (err instanceof IcebergError && err.isNotFound()) throw new TableNotFoundError(ident);
      throw err;
    }
  }

  /** Creates the table if missing. */
  async ensureTable(ident: TableIdent, create: TableCreateSpec): Promise<LoadedTable> {
    await this.ensureNamespace(ident.namespace);
    if (await this.#client.tableExists({ namespace: [ident.namespace], name: ident.name }))
      return this.loadTable(ident);
    try {
      await this.#client.createTable({ namespace: [ident.namespace] }, {
        name: ident.name,
        schema: create.schema,
        'partition-spec': create.spec,
        'write-order': { 'order-id': 0, fields: [] },
        properties: create.properties ?? {},
      } as never);
    } catch (err) {
      if (!(err instanceof IcebergError && err.isConflict())) throw err;
    }
    return this.loadTable(ident);
  }

  /** Commits a snapshot with optimistic requirements; a 409 becomes {@link CommitConflictError}. */
  async commitSnapshot(base: LoadedTable, snapshot: Snapshot): Promise<LoadedTable> {
    const parent = currentSnapshotId(base.metadata);
    const id = BigInt(snapshot['snapshot-id']).toString();
    const wire = bigToString({
      ...snapshot,
      'parent-snapshot-id': snapshot['parent-snapshot-id'] ?? undefined,
    }) as Record<string, unknown>;
    try {
      const res = await this.#client.updateTable(
        { namespace: [base.ident.namespace], name: base.ident.name },
        {
          requirements: [
            { type: 'assert-table-uuid', uuid: base.metadata['table-uuid'] },
            {
              type: 'assert-ref-snapshot-id',
              ref: 'main',
              'snapshot-id': parent === null ? null : parent.toString(),
            },
          ],
          updates: [
            { action: 'add-snapshot', snapshot: wire },
            { action: 'set-snapshot-ref', 'ref-name': 'main', type: 'branch', 'snapshot-id': id },
          ],
        } as never,
      );
      return toLoaded(base.ident, res['metadata-location'], res.metadata);
    } catch (err) {
      if (err instanceof IcebergError && err.isConflict()) throw new CommitConflictError(base.ident);
      throw err;
    }
  }

  /** Nothing to release. */
  async close(): Promise<void> {}
}
