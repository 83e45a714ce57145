import assert from 'node:assert/strict';
import { MAX_PAGE_SIZE, parseAssetPage, parseConfigDoc } from '@neurocipher/seg-contracts';
import type { Asset, AssetPage } from '@neurocipher/seg-contracts';
import {
  assertNoDuplicates,
  assertSameUrns,
  assertSubset,
  expectSegError,
  instant,
  urnsOf,
} from './assertions.ts';
import type { AnySubject, SubjectCheck } from './conformance-check.ts';
import { listAll, readPages, searchAll, smallLimit, spread } from './listing.ts';

// Pages of one asset read by the paging check (all of them when the listing is shorter).
const TINY_PAGES = 25;

// Captures may come from a provider clock a little ahead of ours.
const CLOCK_SKEW_MS = 5 * 60_000;

// Cursors no adapter makes: plain text, base64url of text, base64url of JSON.
const FOREIGN_CURSORS = [
  'not-a-cursor',
  Buffer.from('seg-conformance:not-a-cursor', 'utf8').toString('base64url'),
  Buffer.from(JSON.stringify({ after: 'urn:asset:other:thing:zzz' }), 'utf8').toString('base64url'),
];

async function wholeListing(subject: AnySubject): Promise<Asset[]> {
  const { assets } = await listAll(subject);
  assert.ok(
    assets.length >= 5,
    `the subject's listing must hold at least five assets, it holds ${assets.length}`,
  );
  return assets;
}

/** The kinds the kinds check splits the listing by: the subject's, or every kind it holds. */
function kindsOf(subject: AnySubject, assets: readonly Asset[]): string[] {
  const kinds = subject.kinds.length > 0 ? [...subject.kinds] : [...new Set(assets.map((a) => a.kind))];
  const held = kinds.filter((k) => assets.some((a) => a.kind === k));
  assert.ok(
    held.length >= 2,
    `the listing must hold assets of at least two kinds so the kinds filter is exercised; it holds [${held.join(', ')}]`,
  );
  return kinds;
}

const paging: SubjectCheck = {
  kind: 'subject',
  id: 'inventory.paging',
  capability: 'inventory',
  requires: [],
  title: 'pages every asset exactly once, within the limit, at the default, largest and a small page size',
  async run(subject) {
    const whole = await listAll(subject);
    assert.ok(
      whole.assets.length >= 5,
      `the listing must hold at least five assets, it holds ${whole.assets.length}`,
    );
    const urns = urnsOf(whole.assets);
    assertNoDuplicates(urns, 'the listing at the default page size');
    if (whole.assets.length > MAX_PAGE_SIZE) {
      assert.ok(
        whole.pages.length >= 2,
        `${whole.assets.length} assets came in one page at the default size`,
      );
    }
    if (subject.kinds.length > 0) {
      const wanted = new Set(subject.kinds);
      const other = whole.assets.filter((a) => !wanted.has(a.kind));
      assert.ok(other.length === 0, `the listing holds kinds it was not asked for: ${other[0]?.kind ?? ''}`);
    }
    const largest = await listAll(subject, { limit: MAX_PAGE_SIZE });
    assertSameUrns(urnsOf(largest.assets), urns, `pages of ${MAX_PAGE_SIZE}`);
    const limit = smallLimit(whole.assets.length);
    const small = await listAll(subject, { limit });
    assert.ok(small.pages.length >= 2, `a limit of ${limit} over ${urns.length} assets gave one page`);
    assertSameUrns(urnsOf(small.assets), urns, `pages of ${limit}`);
    // Pages of one: the first pages of a large listing, or all of a small one.
    const tiny = await readPages(
      (cursor) => subject.inventory.list_assets(subject.scope, subject.kinds, null, { cursor, limit: 1 }),
      1,
      'pages of 1',
      TINY_PAGES,
    );
    if (tiny.complete) assertSameUrns(urnsOf(tiny.assets), urns, 'pages of 1');
    else {
      assertNoDuplicates(urnsOf(tiny.assets), 'pages of 1');
      assertSubset(urnsOf(tiny.assets), urns, 'pages of 1');
      assert.equal(
        tiny.assets.length,
        TINY_PAGES,
        'pages of 1 before the end of the listing must not be empty',
      );
    }
  },
};

const cursors: SubjectCheck = {
  kind: 'subject',
  id: 'inventory.cursors',
  capability: 'inventory',
  requires: [],
  title: 'gives the same page for the same cursor, even after other listings ran in between',
  async run(subject) {
    const assets = await wholeListing(subject);
    const whole = urnsOf(assets);
    const limit = smallLimit(whole.length);
    const page = (cursor: string | null): Promise<AssetPage> =>
      subject.inventory
        .list_assets(subject.scope, subject.kinds, null, { cursor, limit })
        .then((p) => parseAssetPage(p));
    const first = await page(null);
    assert.ok(typeof first.next_cursor === 'string', `the first page of ${limit} carries no cursor`);
    const cursor = first.next_cursor;
    const second = await page(cursor);
    // Other listings and searches in between must not disturb the cursor.
    await listAll(subject, { kinds: [(assets[0] as Asset).kind], limit: limit + 1 });
    await searchAll(subject, { kinds: [(assets.at(-1) as Asset).kind], properties: {} }, limit);
    const again = await page(cursor);
    assert.deepEqual(urnsOf(again.assets), urnsOf(second.assets), 'the same cursor gave a different page');
    assert.equal(
      again.next_cursor ?? null,
      second.next_cursor ?? null,
      'the same cursor gave a different next cursor',
    );
    const seen = new Set(urnsOf(first.assets));
    const repeated = urnsOf(second.assets).filter((u) => seen.has(u));
    assert.ok(repeated.length === 0, `the second page repeats the first: ${repeated.join(', ')}`);
    const next = second.next_cursor ?? null;
    const tail =
      next === null
        ? []
        : urnsOf((await readPages((c) => page(c ?? next), limit, 'the rest of the listing')).assets);
    assertSameUrns(
      [...urnsOf(first.assets), ...urnsOf(second.assets), ...tail],
      whole,
      'the listing read page by page',
    );
  },
};

const foreignCursors: SubjectCheck = {
  kind: 'subject',
  id: 'inventory.foreign-cursors',
  capability: 'inventory',
  requires: [],
  title: 'refuses a cursor it did not make with SEG_INVALID_ARGUMENT, in list_assets and search',
  async run(subject) {
    for (const cursor of FOREIGN_CURSORS) {
      await expectSegError(
        subject.inventory.list_assets(subject.scope, subject.kinds, null, { cursor, limit: 2 }),
        ['SEG_INVALID_ARGUMENT'],
        `list_assets with the cursor ${JSON.stringify(cursor)}`,
        { retryable: false },
      );
      await expectSegError(
        subject.inventory.search({
          scope: subject.scope,
          kinds: subject.kinds.length > 0 ? [...subject.kinds] : null,
          properties: {},
          cursor,
          limit: 2,
        }),
        ['SEG_INVALID_ARGUMENT'],
        `search with the cursor ${JSON.stringify(cursor)}`,
        { retryable: false },
      );
    }
  },
};

const kinds: SubjectCheck = {
  kind: 'subject',
  id: 'inventory.kinds',
  capability: 'inventory',
  requires: [],
  title: 'lists exactly the assets of the requested kinds',
  async run(subject) {
    const whole = await wholeListing(subject);
    const all = kindsOf(subject, whole);
    for (const kind of all) {
      const expected = urnsOf(whole.filter((a) => a.kind === kind));
      const got = await listAll(subject, { kinds: [kind], limit: smallLimit(expected.length) });
      assertSameUrns(urnsOf(got.assets), expected, `kinds=[${kind}]`);
    }
    const pair = all.slice(0, 2);
    const expected = urnsOf(whole.filter((a) => pair.includes(a.kind)));
    const got = await listAll(subject, { kinds: pair, limit: smallLimit(expected.length) });
    assertSameUrns(urnsOf(got.assets), expected, `kinds=[${pair.join(',')}]`);
  },
};

const scopes: SubjectCheck = {
  kind: 'subject',
  id: 'inventory.scope',
  capability: 'inventory',
  requires: [],
  title: 'lists exactly the assets of each narrowed scope',
  async run(subject) {
    assert.ok(subject.narrowedScopes.length > 0, 'the subject declares no narrowed scope (narrowedScopes)');
    const whole = await wholeListing(subject);
    let selective = false;
    for (const narrowed of subject.narrowedScopes) {
      const expected = urnsOf(whole.filter((a) => narrowed.includes(a)));
      if (expected.length > 0 && expected.length < whole.length) selective = true;
      const got = await listAll(subject, { scope: narrowed.scope, limit: smallLimit(expected.length) });
      assertSameUrns(urnsOf(got.assets), expected, `scope ${JSON.stringify(narrowed.scope)}`);
    }
    assert.ok(
      selective,
      'no narrowed scope selects some but not all of the listing, so scoping is not exercised',
    );
  },
};

const since: SubjectCheck = {
  kind: 'subject',
  id: 'inventory.since',
  capability: 'inventory',
  requires: [],
  title: 'never drops an asset discovered at or after `since`, nor adds one outside the listing',
  async run(subject) {
    const whole = await wholeListing(subject);
    const times = whole
      .map((a) => instant(a.discovered_at, `discovered_at of ${a.ref.urn}`))
      .sort((a, b) => a - b);
    const at = new Date(times[Math.floor(times.length / 2)] as number).toISOString();
    const got = urnsOf((await listAll(subject, { since: at, limit: smallLimit(whole.length) })).assets);
    assertNoDuplicates(got, `since=${at}`);
    const fresh = urnsOf(whole.filter((a) => Date.parse(a.discovered_at) >= Date.parse(at)));
    assertSubset(fresh, got, `assets discovered at or after ${at} that since=${at} dropped`);
    assertSubset(got, urnsOf(whole), `since=${at} listed assets outside the listing`);
  },
};

const search: SubjectCheck = {
  kind: 'subject',
  id: 'inventory.search',
  capability: 'inventory',
  requires: [],
  title: 'search pages like list_assets and matches kinds, properties and name text',
  async run(subject) {
    const whole = await wholeListing(subject);
    const urns = urnsOf(whole);
    const limit = smallLimit(whole.length);
    const everything = await searchAll(subject, { properties: {} }, limit);
    assert.ok(everything.pages.length >= 2, `a search with a limit of ${limit} gave one page`);
    assertSameUrns(urnsOf(everything.assets), urns, 'a search with no filter');

    const kind = kindsOf(subject, whole)[0] as string;
    const ofKind = urnsOf(whole.filter((a) => a.kind === kind));
    const byKind = await searchAll(subject, { kinds: [kind], properties: {} }, smallLimit(ofKind.length));
    assertSameUrns(urnsOf(byKind.assets), ofKind, `a search of kind ${kind}`);

    // A property value that selects some but not all assets, when there is one.
    const candidates = whole.flatMap((a) => Object.entries(a.properties));
    const counts = new Map<string, number>();
    for (const [name, value] of candidates) {
      const key = JSON.stringify([name, value]);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const picked =
      [...counts].find(([, n]) => n > 1 && n < whole.length) ?? [...counts].find(([, n]) => n < whole.length);
    if (picked !== undefined) {
      const [name, value] = JSON.parse(picked[0]) as [string, string | number | boolean];
      const expected = urnsOf(whole.filter((a) => a.properties[name] === value));
      const got = await searchAll(subject, { properties: { [name]: value } }, smallLimit(expected.length));
      assertSameUrns(urnsOf(got.assets), expected, `a search of ${name}=${JSON.stringify(value)}`);
    }

    // Name text: every asset whose name contains it, and nothing whose name or URN lacks it.
    const named = spread(whole.filter((a) => typeof a.name === 'string' && a.name !== ''));
    for (const asset of named) {
      const text = asset.name as string;
      const got = await searchAll(subject, { text, properties: {} }, undefined);
      const found = urnsOf(got.assets);
      assertNoDuplicates(found, `a search of text ${JSON.stringify(text)}`);
      assertSubset(
        urnsOf(whole.filter((a) => (a.name ?? '').includes(text))),
        found,
        `a search of text ${JSON.stringify(text)} missed assets`,
      );
      const needle = text.toLowerCase();
      const unrelated = got.assets.filter(
        (a) => !(a.name ?? '').toLowerCase().includes(needle) && !a.ref.urn.toLowerCase().includes(needle),
      );
      assert.ok(
        unrelated.length === 0,
        `a search of text ${JSON.stringify(text)} returned ${unrelated[0]?.ref.urn ?? ''}`,
      );
    }
  },
};

const getConfig: SubjectCheck = {
  kind: 'subject',
  id: 'inventory.get-config',
  capability: 'inventory',
  requires: [],
  title:
    "get_config returns the asset's config; an unknown asset is SEG_NOT_FOUND, a malformed ref a caller error",
  async run(subject) {
    const whole = await wholeListing(subject);
    for (const asset of spread(whole)) {
      const doc = parseConfigDoc(await subject.inventory.get_config(asset.ref));
      assert.equal(doc.asset.urn, asset.ref.urn, 'get_config answered for another asset');
      const captured = instant(doc.captured_at, `captured_at of ${asset.ref.urn}`);
      assert.ok(
        captured <= Date.now() + CLOCK_SKEW_MS,
        `${asset.ref.urn} was captured in the future: ${doc.captured_at}`,
      );
    }
    const first = whole[0] as Asset;
    const unknown = subject.unknownRef ?? { urn: `${first.ref.urn}-seg-conformance-missing` };
    await expectSegError(
      subject.inventory.get_config(unknown),
      ['SEG_NOT_FOUND'],
      `get_config(${unknown.urn})`,
      {
        retryable: false,
      },
    );
    await expectSegError(
      subject.inventory.get_config({ urn: 'not-an-asset-urn' }),
      ['SEG_SCHEMA_VIOLATION', 'SEG_INVALID_ARGUMENT'],
      'get_config of a malformed ref',
      { retryable: false },
    );
  },
};

const badArguments: SubjectCheck = {
  kind: 'subject',
  id: 'inventory.bad-arguments',
  capability: 'inventory',
  requires: [],
  title: 'rejects a bad scope, page size or query with SEG_SCHEMA_VIOLATION',
  async run(subject) {
    const { inventory, scope } = subject;
    const kinds = subject.kinds;
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['list_assets with an empty org_id', () => inventory.list_assets({ org_id: '', tags: {} }, kinds)],
      ['list_assets with limit 0', () => inventory.list_assets(scope, kinds, null, { limit: 0 })],
      [
        `list_assets with limit ${MAX_PAGE_SIZE + 1}`,
        () => inventory.list_assets(scope, kinds, null, { limit: MAX_PAGE_SIZE + 1 }),
      ],
      [
        `search with limit ${MAX_PAGE_SIZE + 1}`,
        () => inventory.search({ scope, properties: {}, limit: MAX_PAGE_SIZE + 1 }),
      ],
      [
        'search with an empty org_id',
        () => inventory.search({ scope: { org_id: '', tags: {} }, properties: {} }),
      ],
    ];
    for (const [what, call] of cases) {
      await expectSegError(call(), ['SEG_SCHEMA_VIOLATION'], what, { retryable: false });
    }
  },
};

/** The inventory suite: what every adapter must pass (spec §6.1 and §8; the InventoryPort contract). */
export const INVENTORY_CHECKS: readonly SubjectCheck[] = [
  paging,
  cursors,
  foreignCursors,
  kinds,
  scopes,
  since,
  search,
  getConfig,
  badArguments,
];
