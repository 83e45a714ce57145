import assert from 'node:assert/strict';
import { isSegError, parseConfigDoc } from '@neurocipher/seg-contracts';
import type { Asset } from '@neurocipher/seg-contracts';
import { expectSegError, instant, pause } from './assertions.ts';
import { hook } from './conformance-check.ts';
import type { SubjectCheck } from './conformance-check.ts';
import { listAll, spread } from './listing.ts';

const EPOCH = '1970-01-01T00:00:00.000Z';

const pointInTime: SubjectCheck = {
  kind: 'subject',
  id: 'history.point-in-time',
  capability: 'history',
  requires: ['history'],
  title:
    'answers get_config at a point in time: a capture at its own instant, never a later one, nothing before the first',
  async run(subject) {
    const { assets } = await listAll(subject);
    assert.ok(assets.length > 0, 'the listing is empty');
    for (const asset of spread(assets)) {
      const { ref } = asset;
      const latest = parseConfigDoc(await subject.inventory.get_config(ref));
      const at = instant(latest.captured_at, `captured_at of ${ref.urn}`);
      const same = parseConfigDoc(await subject.inventory.get_config(ref, latest.captured_at));
      assert.deepEqual(
        same.body,
        latest.body,
        `get_config(${ref.urn}, its own captured_at) gave another config`,
      );
      assert.ok(
        instant(same.captured_at, 'captured_at') <= at,
        `get_config(${ref.urn}, ${latest.captured_at}) answered a capture of ${same.captured_at}`,
      );
      // Just before the latest capture: an earlier capture, or SEG_NOT_FOUND, never the latest.
      const before = new Date(at - 1).toISOString();
      try {
        const earlier = parseConfigDoc(await subject.inventory.get_config(ref, before));
        assert.ok(
          instant(earlier.captured_at, 'captured_at') <= at - 1,
          `get_config(${ref.urn}, ${before}) answered a capture of ${earlier.captured_at}, after the instant asked`,
        );
      } catch (error) {
        if (!isSegError(error)) throw error;
        assert.equal(
          error.error_code,
          'SEG_NOT_FOUND',
          `get_config(${ref.urn}, ${before}): ${error.message}`,
        );
      }
      await expectSegError(
        subject.inventory.get_config(ref, EPOCH),
        ['SEG_NOT_FOUND'],
        `get_config(${ref.urn}, ${EPOCH})`,
        {
          retryable: false,
        },
      );
    }
  },
};

const afterChange: SubjectCheck = {
  kind: 'subject',
  id: 'history.after-change',
  capability: 'history',
  requires: ['history', 'mutation'],
  title:
    "after the provider changes, get_config at the earlier capture's instant still answers the earlier config",
  async run(subject) {
    const mutate = hook(subject.mutate, 'mutate()', 'mutation');
    const asset = (await listAll(subject)).assets[0] as Asset | undefined;
    assert.ok(asset !== undefined, 'the listing is empty');
    const then = parseConfigDoc(await subject.inventory.get_config(asset.ref));
    await pause(10);
    await mutate(asset);
    const now = parseConfigDoc(await subject.inventory.get_config(asset.ref));
    assert.notDeepEqual(now.body, then.body, `mutate(${asset.ref.urn}) did not change its config`);
    const past = parseConfigDoc(await subject.inventory.get_config(asset.ref, then.captured_at));
    assert.deepEqual(
      past.body,
      then.body,
      `get_config(${asset.ref.urn}, ${then.captured_at}) is not the earlier config`,
    );
  },
};

/** The `history` suite: point-in-time `get_config` (and, with `mutation`, across a change). */
export const HISTORY_CHECKS: readonly SubjectCheck[] = [pointInTime, afterChange];
