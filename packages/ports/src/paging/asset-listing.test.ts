import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isSegError } from '@neurocipher/seg-contracts';
import type { Asset, AssetPage, Scope } from '@neurocipher/seg-contracts';
import { assetInScope, compareAssetUrns, listAssetsPage, searchAssetsPage } from './asset-listing.ts';
import { encodeKeysetCursor } from './keyset-cursor.ts';

const scope: Scope = { org_id: 'org-1', tags: {} };

function asset(i: number, overrides: Partial<Asset> = {}): Asset {
  return {
    ref: { urn: `urn:asset:aws:bucket:b-${String(i).padStart(4, '0')}` },
    kind: i % 2 === 0 ? 'bucket' : 'vm',
    provider: 'aws',
    name: `Asset ${i}`,
    properties: {
      region: i % 3 === 0 ? 'eu-west-1' : 'us-east-1',
      project: `p${i % 4}`,
      'tag:env': i % 5 === 0 ? 'prod' : 'dev',
      index: i,
    },
    discovered_at: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
    ...overrides,
  };
}

const sorted = Array.from({ length: 300 }, (_, i) => asset(i)).sort(compareAssetUrns);

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isSegError(error)) return error.error_code;
    throw error;
  }
  throw new Error('expected a SegError');
}

function drain(next: (cursor: string | undefined) => AssetPage): string[] {
  const urns: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10_000; pages += 1) {
    const page = next(cursor);
    urns.push(...page.assets.map((a) => a.ref.urn));
    cursor = page.next_cursor ?? undefined;
    if (cursor === undefined) return urns;
  }
  throw new Error('the listing never ended');
}

describe('compareAssetUrns', () => {
  it('orders by URN and is zero only for the same URN', () => {
    expect(compareAssetUrns(asset(1), asset(2))).toBe(-1);
    expect(compareAssetUrns(asset(2), asset(1))).toBe(1);
    expect(compareAssetUrns(asset(2), asset(2))).toBe(0);
  });
});

describe('assetInScope', () => {
  const a = asset(0);

  it('matches region, project and tags against the properties of those names', () => {
    expect(assetInScope(a, scope)).toBe(true);
    expect(assetInScope(a, { ...scope, region: 'eu-west-1', project: 'p0', tags: { env: 'prod' } })).toBe(
      true,
    );
    expect(assetInScope(a, { ...scope, region: 'us-east-1' })).toBe(false);
    expect(assetInScope(a, { ...scope, project: 'p1' })).toBe(false);
    expect(assetInScope(a, { ...scope, tags: { env: 'dev' } })).toBe(false);
    expect(assetInScope(a, { ...scope, region: null, project: null })).toBe(true);
  });

  it('matches no scope of another tenant when bound to one', () => {
    expect(assetInScope(a, scope, { org_id: 'org-1' })).toBe(true);
    expect(assetInScope(a, { org_id: 'org-2', tags: {} }, { org_id: 'org-1' })).toBe(false);
  });
});

describe('listAssetsPage', () => {
  it('pages every asset once, in URN order, 1,000 at most', () => {
    const urns = drain((cursor) => listAssetsPage(sorted, scope, [], null, { cursor, limit: 7 }));
    expect(urns).toEqual(sorted.map((a) => a.ref.urn));
    expect(listAssetsPage(sorted, scope, []).assets).toHaveLength(300);
  });

  it('filters by kind, since and scope', () => {
    const page = listAssetsPage(sorted, { ...scope, region: 'eu-west-1', tags: { env: 'prod' } }, ['bucket']);
    expect(page.assets.map((a) => a.properties['index'])).toEqual(
      sorted
        .filter((a) => a.kind === 'bucket' && a.properties['region'] === 'eu-west-1')
        .filter((a) => a.properties['tag:env'] === 'prod')
        .map((a) => a.properties['index']),
    );
    const recent = listAssetsPage(sorted, scope, [], '2026-01-01T00:00:58Z');
    expect(recent.assets.map((a) => a.properties['index'])).toEqual(
      sorted.filter((a) => (a.properties['index'] as number) % 60 >= 58).map((a) => a.properties['index']),
    );
    expect(listAssetsPage(sorted, { org_id: 'org-2', tags: {} }, [], null, {}, { org_id: 'org-1' })).toEqual({
      assets: [],
    });
  });

  it('returns copies, so callers cannot change the listed assets', () => {
    const page = listAssetsPage(sorted, scope, [], null, { limit: 1 });
    (page.assets[0] as Asset).properties['index'] = -1;
    expect(sorted[0]?.properties['index']).toBe(0);
  });

  it('rejects a bad scope, since or page with SEG_SCHEMA_VIOLATION and a foreign cursor with SEG_INVALID_ARGUMENT', () => {
    expect(codeOf(() => listAssetsPage(sorted, { org_id: '', tags: {} }, []))).toBe('SEG_SCHEMA_VIOLATION');
    expect(codeOf(() => listAssetsPage(sorted, scope, [], 'yesterday'))).toBe('SEG_SCHEMA_VIOLATION');
    expect(codeOf(() => listAssetsPage(sorted, scope, [], null, { limit: 1001 }))).toBe(
      'SEG_SCHEMA_VIOLATION',
    );
    expect(codeOf(() => listAssetsPage(sorted, scope, [], null, { cursor: 'x.y' }))).toBe(
      'SEG_INVALID_ARGUMENT',
    );
  });

  it('agrees with a plain filter for any assets, filter and limit (property)', () => {
    const arbAsset = fc.record({
      id: fc.stringMatching(/^[a-z0-9]{1,6}$/),
      kind: fc.constantFrom('bucket', 'vm', 'key'),
      region: fc.constantFrom('us-east-1', 'eu-west-1'),
      second: fc.integer({ min: 0, max: 59 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(arbAsset, { selector: (a) => a.id, maxLength: 60 }),
        fc.subarray(['bucket', 'vm', 'key']),
        fc.option(fc.constantFrom('us-east-1', 'eu-west-1'), { nil: undefined }),
        fc.integer({ min: 1, max: 12 }),
        (raw, kinds, region, limit) => {
          const assets = raw
            .map((r) =>
              asset(0, {
                ref: { urn: `urn:asset:aws:${r.kind}:${r.id}` },
                kind: r.kind,
                properties: { region: r.region },
                discovered_at: `2026-01-01T00:00:${String(r.second).padStart(2, '0')}Z`,
              }),
            )
            .sort(compareAssetUrns);
          const s: Scope = { org_id: 'org-1', tags: {}, ...(region ? { region } : {}) };
          const expected = assets
            .filter(
              (a) =>
                (kinds.length === 0 || kinds.includes(a.kind)) &&
                (!region || a.properties['region'] === region),
            )
            .map((a) => a.ref.urn);
          const urns = drain((cursor) => {
            const page = listAssetsPage(assets, s, kinds, null, { cursor, limit });
            expect(page.assets.length).toBeLessThanOrEqual(limit);
            return page;
          });
          expect(urns).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('searchAssetsPage', () => {
  it('matches kinds, name text (case-insensitive), properties and scope, paged without gaps', () => {
    const query = {
      scope: { ...scope, region: 'us-east-1' },
      kinds: ['vm'],
      text: 'asset 1',
      properties: { 'tag:env': 'dev' },
    };
    const urns = drain((cursor) => searchAssetsPage(sorted, { ...query, cursor, limit: 5 }));
    const expected = sorted
      .filter(
        (a) =>
          a.kind === 'vm' &&
          (a.name ?? '').toLowerCase().includes('asset 1') &&
          a.properties['tag:env'] === 'dev' &&
          a.properties['region'] === 'us-east-1',
      )
      .map((a) => a.ref.urn);
    expect(expected.length).toBeGreaterThan(5);
    expect(urns).toEqual(expected);
  });

  it('treats absent and empty kinds as every kind, and honours the tenant binding', () => {
    expect(searchAssetsPage(sorted, { scope, kinds: [], properties: { index: 4 } }).assets).toHaveLength(1);
    expect(searchAssetsPage(sorted, { scope, properties: { index: 5 } }).assets).toHaveLength(1);
    expect(
      searchAssetsPage(sorted, { scope: { org_id: 'other', tags: {} }, properties: {} }, { org_id: 'org-1' }),
    ).toEqual({ assets: [] });
  });

  it('continues after a cursor, and rejects a bad query or cursor with SegErrors', () => {
    const page = searchAssetsPage(sorted, {
      scope,
      properties: {},
      cursor: encodeKeysetCursor(sorted[297]?.ref.urn as string),
    });
    expect(page.assets.map((a) => a.ref.urn)).toEqual(sorted.slice(298).map((a) => a.ref.urn));
    expect(codeOf(() => searchAssetsPage(sorted, { scope, properties: {}, limit: 5000 }))).toBe(
      'SEG_SCHEMA_VIOLATION',
    );
    expect(codeOf(() => searchAssetsPage(sorted, { scope, properties: {}, cursor: 'nope' }))).toBe(
      'SEG_INVALID_ARGUMENT',
    );
  });
});
