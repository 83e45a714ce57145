import {
  AwareDatetimeSchema,
  makeParser,
  parseInventoryQuery,
  parsePageRequest,
  parseScope,
} from '@neurocipher/seg-contracts';
import type { Asset, AssetPage, InventoryQuery, PageRequest, Scope } from '@neurocipher/seg-contracts';
import { pageAfter } from './keyset-page.ts';

/** Options of {@link listAssetsPage} and {@link searchAssetsPage}. */
export interface AssetListingOptions {
  /** When set, only scopes of this tenant see the assets; scopes of any tenant do otherwise. */
  org_id?: string;
}

const parseDatetime = makeParser('AwareDatetime', AwareDatetimeSchema);

/** Orders assets by URN (plain code-unit order), the order {@link listAssetsPage} pages in. */
export function compareAssetUrns(a: Asset, b: Asset): number {
  return a.ref.urn < b.ref.urn ? -1 : a.ref.urn > b.ref.urn ? 1 : 0;
}

/**
 * Whether `asset` lies in `scope`: `scope.region` and `scope.project` match the asset properties `region`
 * and `project`, each `scope.tags` entry `k: v` matches the property `tag:k` equal to `v`; an unset field
 * matches all. With `options.org_id`, a scope of another tenant matches nothing.
 */
export function assetInScope(asset: Asset, scope: Scope, options: AssetListingOptions = {}): boolean {
  if (options.org_id !== undefined && scope.org_id !== options.org_id) return false;
  if (scope.region !== undefined && scope.region !== null && asset.properties['region'] !== scope.region) {
    return false;
  }
  if (
    scope.project !== undefined &&
    scope.project !== null &&
    asset.properties['project'] !== scope.project
  ) {
    return false;
  }
  return Object.entries(scope.tags).every(([tag, value]) => asset.properties[`tag:${tag}`] === value);
}

function toAssetPage(items: readonly Asset[], next_cursor: string | undefined): AssetPage {
  const assets = items.map((asset) => structuredClone(asset));
  return next_cursor === undefined ? { assets } : { assets, next_cursor };
}

/**
 * `InventoryPort.list_assets` over assets held in memory: validates the arguments (`SEG_SCHEMA_VIOLATION`
 * for a bad scope, `since` or page request, `SEG_INVALID_ARGUMENT` for a cursor this package did not
 * make), keeps assets in scope ({@link assetInScope}) whose kind is in `kinds` (all when empty) and whose
 * `discovered_at` is at or after `since`, and returns copies of one keyset page ({@link pageAfter}) in URN
 * order. `sorted` must be sorted by strictly increasing URN ({@link compareAssetUrns}).
 */
export function listAssetsPage(
  sorted: readonly Asset[],
  scope: Scope,
  kinds: readonly string[],
  since?: string | null,
  page?: PageRequest,
  options: AssetListingOptions = {},
): AssetPage {
  const parsedScope = parseScope(scope);
  const sinceMs = since === undefined || since === null ? null : Date.parse(parseDatetime(since));
  const request = parsePageRequest(page ?? {});
  const wanted = new Set(kinds);
  const result = pageAfter(
    sorted,
    (asset) => asset.ref.urn,
    request.cursor,
    request.limit,
    (asset) =>
      (wanted.size === 0 || wanted.has(asset.kind)) &&
      (sinceMs === null || Date.parse(asset.discovered_at) >= sinceMs) &&
      assetInScope(asset, parsedScope, options),
  );
  return toAssetPage(result.items, result.next_cursor);
}

/**
 * `InventoryPort.search` over assets held in memory: validates the query (`SEG_SCHEMA_VIOLATION`; a
 * foreign cursor is `SEG_INVALID_ARGUMENT`) and pages, like {@link listAssetsPage}, the assets in scope
 * whose kind is one of `query.kinds` (all when absent or empty), whose name contains `query.text`
 * (case-insensitive) and whose properties equal every entry of `query.properties`.
 */
export function searchAssetsPage(
  sorted: readonly Asset[],
  query: InventoryQuery,
  options: AssetListingOptions = {},
): AssetPage {
  const parsed = parseInventoryQuery(query);
  const kinds = new Set(parsed.kinds ?? []);
  const text = parsed.text?.toLowerCase() ?? '';
  const properties = Object.entries(parsed.properties);
  const result = pageAfter(
    sorted,
    (asset) => asset.ref.urn,
    parsed.cursor,
    parsed.limit,
    (asset) =>
      (kinds.size === 0 || kinds.has(asset.kind)) &&
      (text === '' || (asset.name ?? '').toLowerCase().includes(text)) &&
      properties.every(([name, value]) => asset.properties[name] === value) &&
      assetInScope(asset, parsed.scope, options),
  );
  return toAssetPage(result.items, result.next_cursor);
}
