// The snapshot adapter against the adapter conformance kit, over a generated demo tenant of 3,000 assets
// (so listings cross the default page of 1,000). A snapshot is inventory with history and nothing else:
// it declares `history`, and the kit reports mutation, remediation, evidence and faults as not declared.
// It lives here because adapters may not depend on the kit (DESIGN.md §4).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DEMO_CAPTURED_AT,
  SnapshotInventory,
  demoAccountId,
  generateDemoTenant,
  writeSnapshotFile,
  type SnapshotRecord,
} from '@neurocipher/seg-adapter-snapshot';
import type { Asset, Scope } from '@neurocipher/seg-contracts';
import { conformancePassed, describeAdapterConformance } from '@neurocipher/seg-conformance';
import type { NarrowedScope } from '@neurocipher/seg-conformance';

const ASSETS = 3000;
const ORG = 'demo';
const scope: Scope = { org_id: ORG, tags: {} };
const dir = mkdtempSync(join(tmpdir(), 'seg-e2e-snapshot-'));
const path = join(dir, 'tenant.ndjson');
const reportFile = join(import.meta.dirname, 'test-output', 'snapshot-conformance.json');
const EARLIER = new Date(Date.parse(DEMO_CAPTURED_AT) - 86_400_000).toISOString();

/** The demo tenant, with every other asset given an earlier capture, so histories have depth. */
function* withHistory(records: Iterable<SnapshotRecord>): Generator<SnapshotRecord> {
  let i = 0;
  for (const record of records) {
    const latest = record.configs[0];
    yield i++ % 2 === 0 && latest !== undefined
      ? {
          ...record,
          configs: [
            { ...latest, captured_at: EARLIER, body: { ...latest.body, previous_capture: true } },
            latest,
          ],
        }
      : record;
  }
}

let inventory: SnapshotInventory | undefined;
beforeAll(async () => {
  const written = await writeSnapshotFile(
    path,
    withHistory(generateDemoTenant({ assets: ASSETS, seed: 'conformance' })),
  );
  expect(written).toBe(ASSETS);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const report = describeAdapterConformance({
  name: `snapshot (demo tenant, ${ASSETS} assets)`,
  capabilities: ['history'],
  reportFile,
  async setup() {
    // A snapshot never changes, so one instance serves every check.
    inventory ??= await SnapshotInventory.open({ path, org_id: ORG });
    const prop = (name: string, value: string) => (a: Asset) => a.properties[name] === value;
    const narrowedScopes: NarrowedScope[] = [
      { scope: { ...scope, region: 'eu-west-1' }, includes: prop('region', 'eu-west-1') },
      { scope: { ...scope, project: demoAccountId(1) }, includes: prop('project', demoAccountId(1)) },
      { scope: { ...scope, tags: { env: 'prod' } }, includes: prop('tag:env', 'prod') },
      {
        scope: { ...scope, region: 'us-east-1', tags: { env: 'dev' } },
        includes: (a) => prop('region', 'us-east-1')(a) && prop('tag:env', 'dev')(a),
      },
      // Bound to its tenant: another tenant's scope sees nothing.
      { scope: { org_id: 'someone-else', tags: {} }, includes: () => false },
    ];
    return { inventory, scope, kinds: [], narrowedScopes, async close() {} };
  },
});

describe('the snapshot conformance report', () => {
  it('passes every inventory and history check over more than one default page', () => {
    expect(inventory?.size).toBe(ASSETS);
    const ran = report.checks.filter((c) => c.capability === 'inventory' || c.capability === 'history');
    expect(ran.map((c) => [c.id, c.status])).toEqual(
      ran.map((c) => [c.id, c.id === 'history.after-change' ? 'not declared' : 'passed']),
    );
    expect(conformancePassed(report)).toBe(true);
  });

  it('reports mutation, remediation, evidence and faults as not declared, and writes the report', () => {
    expect(report.capabilities).toEqual({
      inventory: 'declared',
      history: 'declared',
      mutation: 'not declared',
      remediation: 'not declared',
      evidence: 'not declared',
      faults: 'not declared',
    });
    for (const check of report.checks.filter(
      (c) => c.capability !== 'inventory' && c.capability !== 'history',
    )) {
      expect(check.status).toBe('not declared');
    }
    expect(JSON.parse(readFileSync(reportFile, 'utf8'))).toEqual(report);
  });
});
