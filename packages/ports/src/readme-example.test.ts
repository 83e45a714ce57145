// The example of README.md, run as a test so the README stays true to the code.
import { describe, expect, it } from '@jest/globals';
import type { Scope } from '@neurocipher/seg-contracts';
import type { InventoryPort } from './index.ts';
import {
  InMemoryEvaluation,
  InMemoryEventBus,
  InMemoryFindingIngest,
  InMemoryInventory,
  ManualClock,
} from './testing/index.ts';

// Code under test depends on the port only…
async function countAssets(inventory: InventoryPort, scope: Scope): Promise<number> {
  let count = 0;
  let cursor: string | null | undefined = null;
  do {
    const page = await inventory.list_assets(scope, ['bucket'], null, { cursor });
    count += page.assets.length;
    cursor = page.next_cursor;
  } while (cursor);
  return count;
}

describe('README example', () => {
  it('runs an evaluation, commits it and acknowledges it with in-memory ports', async () => {
    // …and tests give it the in-memory implementation.
    const inventory = new InMemoryInventory({
      assets: [
        {
          ref: { urn: 'urn:asset:aws:bucket:logs' },
          kind: 'bucket',
          provider: 'aws',
          properties: { encrypted: false },
          discovered_at: '2026-01-01T00:00:00Z',
        },
      ],
      configs: [
        {
          asset: { urn: 'urn:asset:aws:bucket:logs' },
          captured_at: '2026-01-01T00:00:00Z',
          schema_version: '1',
          body: { encrypted: false },
        },
      ],
    });
    const scope: Scope = { org_id: 'acme', tags: {} };
    expect(await countAssets(inventory, scope)).toBe(1);

    const evaluation = new InMemoryEvaluation({
      inventory,
      clock: new ManualClock({ start: '2026-03-01T00:00:00Z' }),
      controls: [
        {
          spec: {
            id: 'CIS-S3-1',
            version: '1.0.0',
            title: 'Buckets are encrypted',
            benchmark: 'CIS',
            description: '',
            inputs: {},
            target_kinds: ['bucket'],
            policy_bundle: 'aws-cis',
            severity: 'high',
          },
          evaluate: (_asset, config) =>
            config.body['encrypted'] === true
              ? { result: 'pass', message: 'encrypted' }
              : { result: 'fail', message: 'bucket is not encrypted' },
        },
      ],
    });
    const {
      run,
      findings,
      evidence: pointers,
    } = await evaluation.evaluate({ scope, control_ids: ['CIS-S3-1'] });
    // Evidence is committed with the findings that cite it.
    const evidence = pointers.map((pointer) => ({
      ...pointer,
      finding_ids: findings.filter((f) => f.evidence.some((e) => e.hash === pointer.hash)).map((f) => f.id),
    }));
    expect(findings.map((f) => f.result)).toEqual(['fail']);

    const events = new InMemoryEventBus();
    const ingest = new InMemoryFindingIngest({ events });
    const committed = await ingest.commit(findings, evidence, { run, assets: [], controls: [] });
    expect(committed.replayed).toBe(false);
    expect((await ingest.commit(findings, evidence, { run, assets: [], controls: [] })).replayed).toBe(true);
    await ingest.ack(run.run_id);
    expect(events.published().map((e) => e.type)).toEqual(['seg.findings.committed']);
  });
});
