import { AwareDatetimeSchema, SegError, makeParser, parseAssetRef } from '@neurocipher/seg-contracts';
import type {
  Asset,
  AssetPage,
  AssetRef,
  ConfigDoc,
  InventoryQuery,
  PageRequest,
  Scope,
} from '@neurocipher/seg-contracts';
import { compareAssetUrns, listAssetsPage, searchAssetsPage } from '@neurocipher/seg-ports';
import type { AssetListingOptions, InventoryPort } from '@neurocipher/seg-ports';
import { readSnapshotFile } from '../snapshot/snapshot-file.ts';
import type { SnapshotRecord } from '../snapshot/snapshot-record.ts';

/** Options of {@link SnapshotInventory}. */
export interface SnapshotInventoryOptions {
  /** The snapshot's records (already validated, e.g. by {@link readSnapshotFile}). */
  records: Iterable<SnapshotRecord>;
  /** When set, only scopes of this tenant see the assets; scopes of any tenant do otherwise. */
  org_id?: string;
}

/** Options of {@link SnapshotInventory.open}. */
export interface SnapshotInventoryOpenOptions {
  /** Path of the NDJSON snapshot file. */
  path: string;
  /** See {@link SnapshotInventoryOptions.org_id}. */
  org_id?: string;
  /** Longest line accepted, in bytes (as `readSnapshotFile` takes it); default 64 MiB. */
  maxLineBytes?: number;
}

const parseDatetime = makeParser('AwareDatetime', AwareDatetimeSchema);

/**
 * An {@link InventoryPort} over a snapshot: a frozen set of assets and their configs, read from an NDJSON
 * file. It serves offline scans, golden runs and the demo tenant.
 *
 * Listings are in URN order, at most 1,000 assets a page; the cursor names the last URN returned, so
 * the same cursor always yields the same page and reading the pages in turn yields each asset once.
 * Scope: `scope.region` and `scope.project` match the asset properties `region` and `project`, each
 * `scope.tags` entry `k: v` matches the property `tag:k`; an unset field matches all. `since` keeps
 * assets whose `discovered_at` is at or after it. `get_config` without `at` returns the latest capture.
 * Every error is a `SegError`. Listing and search are `listAssetsPage` and `searchAssetsPage` of
 * `@neurocipher/seg-ports` (keyset pages found by binary search), shared with `InMemoryInventory`.
 */
export class SnapshotInventory implements InventoryPort {
  readonly #assets: Asset[];
  readonly #configs = new Map<string, ConfigDoc[]>();
  readonly #listing: AssetListingOptions;

  /** Indexes `options.records`; `SEG_SCHEMA_VIOLATION` when two records name the same asset. */
  constructor(options: SnapshotInventoryOptions) {
    this.#listing = options.org_id === undefined ? {} : { org_id: options.org_id };
    const assets: Asset[] = [];
    for (const record of options.records) {
      const urn = record.asset.ref.urn;
      if (this.#configs.has(urn)) {
        throw new SegError({
          error_code: 'SEG_SCHEMA_VIOLATION',
          message: 'the snapshot holds the same asset twice',
          details: { urn },
        });
      }
      assets.push(record.asset);
      const history = [...record.configs].sort(
        (a, b) => Date.parse(a.captured_at) - Date.parse(b.captured_at),
      );
      this.#configs.set(urn, history);
    }
    assets.sort(compareAssetUrns);
    this.#assets = assets;
  }

  /**
   * Reads a snapshot file and indexes it. `SEG_ADAPTER_UNAVAILABLE` when the file cannot be read,
   * `SEG_SCHEMA_VIOLATION` for a malformed line (too long, not UTF-8, not a record) or a repeated asset.
   */
  static async open(options: SnapshotInventoryOpenOptions): Promise<SnapshotInventory> {
    const records: SnapshotRecord[] = [];
    const read = options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes };
    for await (const record of readSnapshotFile(options.path, read)) records.push(record);
    return new SnapshotInventory({
      records,
      ...(options.org_id === undefined ? {} : { org_id: options.org_id }),
    });
  }

  /** Number of assets in the snapshot. */
  get size(): number {
    return this.#assets.length;
  }

  /** Lists assets in scope, of the given kinds (all when empty), discovered at or after `since`. Paged. */
  async list_assets(
    scope: Scope,
    kinds: readonly string[],
    since?: string | null,
    page?: PageRequest,
  ): Promise<AssetPage> {
    return listAssetsPage(this.#assets, scope, kinds, since, page, this.#listing);
  }

  /** The asset's latest config captured at or before `at` (the latest of all without `at`). */
  async get_config(ref: AssetRef, at?: string | null): Promise<ConfigDoc> {
    const { urn } = parseAssetRef(ref);
    const history = this.#configs.get(urn);
    if (history === undefined) {
      throw new SegError({ error_code: 'SEG_NOT_FOUND', message: 'unknown asset', details: { urn } });
    }
    const atMs = at === undefined || at === null ? Infinity : Date.parse(parseDatetime(at));
    const config = history.findLast((doc) => Date.parse(doc.captured_at) <= atMs);
    if (config === undefined) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: 'no config of the asset at that time',
        details: { urn, at: at ?? null },
      });
    }
    return structuredClone(config);
  }

  /** Assets in scope matching kinds, a case-insensitive name substring and exact property values. Paged. */
  async search(query: InventoryQuery): Promise<AssetPage> {
    return searchAssetsPage(this.#assets, query, this.#listing);
  }
}
