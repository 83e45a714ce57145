import assert from 'node:assert/strict';
import { MAX_PAGE_SIZE, parseAssetPage } from '@neurocipher/seg-contracts';
import type { Asset, AssetPage, InventoryQuery, Scope } from '@neurocipher/seg-contracts';
import type { AnySubject } from './conformance-check.ts';

/** A listing read to its end: every page in order, and their assets. */
export interface Listing {
  pages: AssetPage[];
  assets: Asset[];
  /** False when reading stopped at `maxPages` before the last page. */
  complete: boolean;
}

// Far more pages than any subject of the kit should need; a listing past it never ends.
const MAX_PAGES = 100_000;

/**
 * Reads a paged listing to its end, or to `maxPages`. Every page must parse as an `AssetPage` and hold at
 * most `limit` (default `MAX_PAGE_SIZE`) assets, and a cursor must never repeat (a listing that loops fails).
 */
export async function readPages(
  read: (cursor: string | null) => Promise<AssetPage>,
  limit: number | undefined,
  what: string,
  maxPages = MAX_PAGES,
): Promise<Listing> {
  const pages: AssetPage[] = [];
  const cursors = new Set<string>();
  let cursor: string | null = null;
  do {
    const page = parseAssetPage(await read(cursor));
    assert.ok(
      page.assets.length <= (limit ?? MAX_PAGE_SIZE),
      `${what}: a page of ${page.assets.length} assets for a limit of ${limit ?? `${MAX_PAGE_SIZE} (default)`}`,
    );
    pages.push(page);
    cursor = page.next_cursor ?? null;
    if (cursor !== null) {
      assert.ok(!cursors.has(cursor), `${what}: the cursor of page ${pages.length} was returned before`);
      cursors.add(cursor);
    }
    if (pages.length >= maxPages && cursor !== null) {
      assert.ok(maxPages < MAX_PAGES, `${what}: more than ${MAX_PAGES} pages`);
      return { pages, assets: pages.flatMap((p) => p.assets), complete: false };
    }
  } while (cursor !== null);
  return { pages, assets: pages.flatMap((p) => p.assets), complete: true };
}

/** What to list: the subject's scope and kinds unless overridden; no page size means the default. */
export interface ListingRequest {
  scope?: Scope;
  kinds?: readonly string[];
  since?: string | null;
  limit?: number;
}

/** Reads `list_assets` of the subject to its end. */
export function listAll(subject: AnySubject, request: ListingRequest = {}): Promise<Listing> {
  const scope = request.scope ?? subject.scope;
  const kinds = request.kinds ?? subject.kinds;
  const { limit } = request;
  return readPages(
    (cursor) =>
      subject.inventory.list_assets(scope, kinds, request.since ?? null, {
        cursor,
        ...(limit === undefined ? {} : { limit }),
      }),
    limit,
    `list_assets(kinds=[${kinds.join(',')}]${limit === undefined ? '' : `, limit=${limit}`})`,
  );
}

/** Reads `search` of the subject to its end; the query's scope and kinds default to the subject's. */
export function searchAll(
  subject: AnySubject,
  query: Omit<InventoryQuery, 'scope' | 'cursor' | 'limit'> & { scope?: Scope },
  limit: number | undefined,
): Promise<Listing> {
  const kinds = query.kinds ?? (subject.kinds.length > 0 ? [...subject.kinds] : null);
  const base: InventoryQuery = { ...query, scope: query.scope ?? subject.scope, kinds };
  return readPages(
    (cursor) => subject.inventory.search({ ...base, cursor, ...(limit === undefined ? {} : { limit }) }),
    limit,
    `search(${JSON.stringify({ kinds: base.kinds, text: base.text, properties: base.properties })})`,
  );
}

/** A page size that splits `count` assets over about seven pages (at least 2 a page). */
export function smallLimit(count: number): number {
  return Math.min(MAX_PAGE_SIZE, Math.max(2, Math.ceil(count / 7)));
}

/** A few assets spread over a listing: the first, the middle and the last. */
export function spread(assets: readonly Asset[]): Asset[] {
  const picks = [0, Math.floor(assets.length / 2), assets.length - 1];
  return [...new Set(picks)].flatMap((i) => (assets[i] === undefined ? [] : [assets[i] as Asset]));
}
