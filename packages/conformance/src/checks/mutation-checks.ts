import assert from 'node:assert/strict';
import { parseAssetPage, parseConfigDoc } from '@neurocipher/seg-contracts';
import type { Asset } from '@neurocipher/seg-contracts';
import { assertSameUrns, pause, urnsOf } from './assertions.ts';
import { hook } from './conformance-check.ts';
import type { SubjectCheck } from './conformance-check.ts';
import { listAll, readPages, smallLimit } from './listing.ts';

const stableListing: SubjectCheck = {
  kind: 'subject',
  id: 'mutation.stable-listing',
  capability: 'mutation',
  requires: ['mutation'],
  title: 'keeps a listing stable while the provider changes between pages',
  async run(subject) {
    const mutate = hook(subject.mutate, 'mutate()', 'mutation');
    const whole = urnsOf((await listAll(subject)).assets);
    const limit = smallLimit(whole.length);
    const first = parseAssetPage(
      await subject.inventory.list_assets(subject.scope, subject.kinds, null, { limit }),
    );
    const target = first.assets[0];
    assert.ok(target !== undefined, 'the first page is empty');
    assert.ok(typeof first.next_cursor === 'string', `the first page of ${limit} carries no cursor`);
    await mutate(target);
    const next = first.next_cursor;
    const rest = await readPages(
      (cursor) =>
        subject.inventory.list_assets(subject.scope, subject.kinds, null, { cursor: cursor ?? next, limit }),
      limit,
      'the pages after the change',
    );
    assertSameUrns(
      [...urnsOf(first.assets), ...urnsOf(rest.assets)],
      whole,
      'the listing read across the change',
    );
  },
};

const drift: SubjectCheck = {
  kind: 'subject',
  id: 'mutation.drift',
  capability: 'mutation',
  requires: ['mutation'],
  title: 'get_config sees a change made at the provider',
  async run(subject) {
    const mutate = hook(subject.mutate, 'mutate()', 'mutation');
    const asset = (await listAll(subject)).assets[0] as Asset | undefined;
    assert.ok(asset !== undefined, 'the listing is empty');
    const before = parseConfigDoc(await subject.inventory.get_config(asset.ref));
    await pause(10);
    await mutate(asset);
    const after = parseConfigDoc(await subject.inventory.get_config(asset.ref));
    assert.notDeepEqual(after.body, before.body, `get_config(${asset.ref.urn}) did not see the change`);
    assert.ok(
      Date.parse(after.captured_at) >= Date.parse(before.captured_at),
      `the config after the change was captured before the one before it`,
    );
  },
};

/** The `mutation` suite: listings and configs while the provider changes. */
export const MUTATION_CHECKS: readonly SubjectCheck[] = [stableListing, drift];
