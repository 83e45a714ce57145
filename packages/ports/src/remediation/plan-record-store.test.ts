import { describe, expect, it } from '@jest/globals';
import { isSegError, type ApplyResult, type RollbackResult } from '@neurocipher/seg-contracts';
import { InMemoryBlobStore } from '../testing/in-memory-blob-store.ts';
import { BlobPlanRecordStore } from './blob-plan-record-store.ts';
import { InMemoryPlanRecordStore } from './in-memory-plan-record-store.ts';
import type { PlanRecord, PlanRecordStore } from './plan-record-store.ts';

const PLAN_ID = '6f1c2a3b-4d5e-5f60-8a7b-9c0d1e2f3a4b';
const FINDING_ID = '0b9a8c7d-6e5f-5a4b-9c3d-2e1f0a9b8c7d';
const URN = 'urn:asset:aws:bucket:123456789012:us-east-1:logs';

function record(description = 'deny plain HTTP'): PlanRecord {
  return {
    plan: {
      id: PLAN_ID,
      finding_id: FINDING_ID,
      mode: 'apply',
      steps: [
        {
          action: 's3:PutBucketPolicy',
          description,
          params: { asset: URN, control_id: 'cis-storage-secure-transport' },
        },
      ],
      estimated_risk: 'low',
      change_window: null,
      approvals_required: [],
      created_at: '2026-11-26T10:00:00.000Z',
    },
    control_id: 'cis-storage-secure-transport',
    asset: URN,
    preview: { hash: 'a'.repeat(64), media_type: 'application/json' },
  };
}

const applied: ApplyResult = {
  plan_id: PLAN_ID,
  status: 'success',
  results: [{ step_index: 0, status: 'success', provider_change_id: 'req-1', message: null }],
  started_at: '2026-11-26T10:01:00.000Z',
  ended_at: '2026-11-26T10:01:01.000Z',
};
const rolledBack: RollbackResult = { ...applied, started_at: '2026-11-26T10:02:00.000Z' };

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

function codeOf(err: unknown): string | undefined {
  return isSegError(err) ? err.error_code : undefined;
}

const blobs = new InMemoryBlobStore();
const stores: [string, () => PlanRecordStore][] = [
  ['InMemoryPlanRecordStore', () => new InMemoryPlanRecordStore()],
  ['BlobPlanRecordStore', () => new BlobPlanRecordStore({ store: new InMemoryBlobStore() })],
];

describe.each(stores)('%s', (_name, make) => {
  describe('#create', () => {
    it('records a plan once: a second create of the id keeps and returns the first record', async () => {
      const store = make();
      expect(await store.get(PLAN_ID)).toBeNull();
      expect(await store.create(record())).toEqual(record());
      expect(await store.create(record('something else'))).toEqual(record());
      expect(await store.get(PLAN_ID)).toEqual(record());
    });

    it('refuses a plan id that is not a UUID', async () => {
      const store = make();
      expect(codeOf(await failure(store.get('../../etc/passwd')))).toBe('SEG_INVALID_ARGUMENT');
    });
  });

  describe('#capturePreState', () => {
    it('keeps the first capture of a step and returns it to later captures', async () => {
      const store = make();
      await store.create(record());
      const first = { step_index: 0, state: { policy: null }, captured_at: '2026-11-26T10:01:00.000Z' };
      expect(await store.capturePreState(PLAN_ID, first)).toEqual(first);
      const later = { step_index: 0, state: { policy: 'changed' }, captured_at: '2026-11-26T10:05:00.000Z' };
      expect(await store.capturePreState(PLAN_ID, later)).toEqual(first);
      const second = { step_index: 1, state: [1, 2], captured_at: '2026-11-26T10:01:00.000Z' };
      await store.capturePreState(PLAN_ID, second);
      expect(await store.preStates(PLAN_ID)).toEqual([first, second]);
    });

    it('refuses a capture for a plan it does not hold', async () => {
      const store = make();
      const err = await failure(
        store.capturePreState(PLAN_ID, { step_index: 0, state: null, captured_at: applied.started_at }),
      );
      expect(codeOf(err)).toBe('SEG_NOT_FOUND');
    });
  });

  describe('#append', () => {
    it('keeps the apply and rollback log in order', async () => {
      const store = make();
      await store.create(record());
      expect(await store.events(PLAN_ID)).toEqual([]);
      await store.append(PLAN_ID, { kind: 'apply', result: applied });
      await store.append(PLAN_ID, { kind: 'rollback', result: rolledBack });
      expect(await store.events(PLAN_ID)).toEqual([
        { kind: 'apply', result: applied },
        { kind: 'rollback', result: rolledBack },
      ]);
    });

    it('loses no event when appends race', async () => {
      const store = make();
      await store.create(record());
      await Promise.all(
        [1, 2, 3, 4, 5].map((n) =>
          store.append(PLAN_ID, {
            kind: 'apply',
            result: { ...applied, ended_at: `2026-11-26T10:0${n}:59.000Z` },
          }),
        ),
      );
      const ends = (await store.events(PLAN_ID))
        .map((e) => (e.kind === 'approval' ? '' : e.result.ended_at))
        .sort();
      expect(ends).toEqual([1, 2, 3, 4, 5].map((n) => `2026-11-26T10:0${n}:59.000Z`));
    });
  });
});

describe('BlobPlanRecordStore', () => {
  it('survives a new store instance over the same blobs, under plans/<plan_id>…', async () => {
    const first = new BlobPlanRecordStore({ store: blobs });
    await first.create(record());
    await first.capturePreState(PLAN_ID, { step_index: 0, state: { a: 1 }, captured_at: applied.started_at });
    await first.append(PLAN_ID, { kind: 'apply', result: applied });

    const second = new BlobPlanRecordStore({ store: blobs });
    expect(await second.get(PLAN_ID)).toEqual(record());
    expect(await second.preStates(PLAN_ID)).toEqual([
      { step_index: 0, state: { a: 1 }, captured_at: applied.started_at },
    ]);
    expect(await second.events(PLAN_ID)).toEqual([{ kind: 'apply', result: applied }]);
    expect((await blobs.list('plans/')).keys).toEqual([
      `plans/${PLAN_ID}.json`,
      `plans/${PLAN_ID}/events/000000.json`,
      `plans/${PLAN_ID}/pre-states/0000.json`,
    ]);
  });

  it('reports a stored record that does not parse as SEG_SCHEMA_VIOLATION', async () => {
    const raw = new InMemoryBlobStore();
    await raw.put(`plans/${PLAN_ID}.json`, new TextEncoder().encode('{"plan": 1}'));
    const err = await failure(new BlobPlanRecordStore({ store: raw }).get(PLAN_ID));
    expect(codeOf(err)).toBe('SEG_SCHEMA_VIOLATION');
  });
});

describe('approval events', () => {
  it('are kept in the plan log as given, and a malformed one is refused', async () => {
    const store = new BlobPlanRecordStore({ store: new InMemoryBlobStore() });
    const approval = {
      approver: 'alice@acme.example',
      role: 'security-owner',
      approved_at: '2026-12-04T10:00:00Z',
      justification: 'CAB-1234',
      plan_digest: 'a'.repeat(64),
    };
    await store.create(record());
    await store.append(PLAN_ID, { kind: 'approval', approval });
    expect(await store.events(PLAN_ID)).toEqual([{ kind: 'approval', approval }]);
    await expect(
      store.append(PLAN_ID, { kind: 'approval', approval: { ...approval, plan_digest: 'nope' } }),
    ).rejects.toMatchObject({ error_code: 'SEG_SCHEMA_VIOLATION' });
  });
});
