import {
  AwareDatetimeSchema,
  SegError,
  makeParser,
  parseAsset,
  parseAssetRef,
  parseConfigDoc,
} from '@neurocipher/seg-contracts';
import type {
  Asset,
  AssetPage,
  AssetRef,
  ConfigDoc,
  InventoryQuery,
  PageRequest,
  Scope,
} from '@neurocipher/seg-contracts';
import type { InventoryPort } from '../inventory/inventory-port.ts';
import { systemClock } from '../time/clock.ts';
import type { Clock } from '../time/clock.ts';
import { compareAssetUrns, listAssetsPage, searchAssetsPage } from '../paging/asset-listing.ts';
import type { AssetListingOptions } from '../paging/asset-listing.ts';

/** Options of {@link InMemoryInventory}. */
export interface InMemoryInventoryOptions {
  /** Initial assets (validated). */
  assets?: readonly Asset[];
  /** Initial configs (validated); several per asset make a history for `get_config(ref, at)`. */
  configs?: readonly ConfigDoc[];
  /** When set, only scopes of this org see the assets; any org does otherwise. */
  org_id?: string;
  /** "Now" for `get_config` without `at`. */
  clock?: Clock;
}

const parseSince = makeParser('AwareDatetime', AwareDatetimeSchema);

/**
 * An {@link InventoryPort} over assets and configs held in memory.
 *
 * Scope: `scope.region` and `scope.project` match the asset properties `region` and `project`, and each
 * `scope.tags` entry `k: v` matches the property `tag:k` equal to `v`; an unset scope field matches all.
 * `since` keeps assets whose `discovered_at` is at or after it. Listings are in URN order and paged with
 * cursors naming the last URN returned, so pages read while assets are added or removed never repeat an
 * asset and never skip one that was there throughout. Listing and search are {@link listAssetsPage} and
 * {@link searchAssetsPage}, shared with the snapshot adapter.
 */
export class InMemoryInventory implements InventoryPort {
  readonly #assets = new Map<string, Asset>();
  readonly #configs = new Map<string, ConfigDoc[]>();
  readonly #listing: AssetListingOptions;
  readonly #clock: Clock;
  #sorted: Asset[] | null = null;

  constructor(options: InMemoryInventoryOptions = {}) {
    this.#listing = options.org_id === undefined ? {} : { org_id: options.org_id };
    this.#clock = options.clock ?? systemClock;
    for (const asset of options.assets ?? []) this.put_asset(asset);
    for (const config of options.configs ?? []) this.put_config(config);
  }

  /** Adds or replaces an asset (validated; `SEG_SCHEMA_VIOLATION`). A test helper, not part of the port. */
  put_asset(asset: Asset): void {
    const parsed = parseAsset(asset);
    this.#assets.set(parsed.ref.urn, parsed);
    this.#sorted = null;
  }

  /** Removes an asset and its configs. A test helper, not part of the port. */
  remove_asset(ref: AssetRef): void {
    this.#assets.delete(ref.urn);
    this.#configs.delete(ref.urn);
    this.#sorted = null;
  }

  /** Adds a config to its asset's history (validated). A test helper, not part of the port. */
  put_config(config: ConfigDoc): void {
    const parsed = parseConfigDoc(config);
    const history = this.#configs.get(parsed.asset.urn) ?? [];
    history.push(parsed);
    history.sort((a, b) => Date.parse(a.captured_at) - Date.parse(b.captured_at));
    this.#configs.set(parsed.asset.urn, history);
  }

  async list_assets(
    scope: Scope,
    kinds: readonly string[],
    since?: string | null,
    page?: PageRequest,
  ): Promise<AssetPage> {
    return listAssetsPage(this.#sortedAssets(), scope, kinds, since, page, this.#listing);
  }

  async get_config(ref: AssetRef, at?: string | null): Promise<ConfigDoc> {
    const { urn } = parseAssetRef(ref);
    if (!this.#assets.has(urn)) {
      throw new SegError({ error_code: 'SEG_NOT_FOUND', message: 'unknown asset', details: { urn } });
    }
    const atMs = at === undefined || at === null ? this.#clock.now().getTime() : Date.parse(parseSince(at));
    const config = (this.#configs.get(urn) ?? []).findLast((doc) => Date.parse(doc.captured_at) <= atMs);
    if (config === undefined) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: 'no config of the asset at that time',
        details: { urn, at: at ?? null },
      });
    }
    return structuredClone(config);
  }

  async search(query: InventoryQuery): Promise<AssetPage> {
    return searchAssetsPage(this.#sortedAssets(), query, this.#listing);
  }

  #sortedAssets(): readonly Asset[] {
    this.#sorted ??= [...this.#assets.values()].sort(compareAssetUrns);
    return this.#sorted;
  }
}
