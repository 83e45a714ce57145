import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import { serializeSnapshotRecord } from '../snapshot/snapshot-record.ts';
import { SnapshotInventory } from '../inventory/snapshot-inventory.ts';
import { DEMO_KINDS, generateDemoTenant } from './demo-tenant.ts';
import { createPrng } from './prng.ts';

function digest(options: Parameters<typeof generateDemoTenant>[0]): { sha: string; count: number } {
  const hash = createHash('sha256');
  let count = 0;
  for (const record of generateDemoTenant(options)) {
    hash.update(serializeSnapshotRecord(record) + '\n');
    count += 1;
  }
  return { sha: hash.digest('hex'), count };
}

describe('generateDemoTenant', () => {
  it('yields exactly the requested number of assets, the same bytes on every run', () => {
    const a = digest({ assets: 10_000 });
    const b = digest({ assets: 10_000 });
    expect(a.count).toBe(10_000);
    expect(b).toEqual(a);
    expect(digest({ assets: 10_000, seed: 'other' }).sha).not.toBe(a.sha);
  });

  it('covers every CIS kind with unique URNs, a tenth of accounts per thousand, and some misconfigured', () => {
    const records = [...generateDemoTenant({ assets: 10_000 })];
    const kinds = new Set(records.map((r) => r.asset.kind));
    expect([...kinds].sort()).toEqual([...DEMO_KINDS].sort());
    expect(new Set(records.map((r) => r.asset.ref.urn)).size).toBe(10_000);
    expect(records.filter((r) => r.asset.kind === 'iam-account')).toHaveLength(10);
    // Every record is a valid snapshot record: the inventory indexes it.
    expect(new SnapshotInventory({ records }).size).toBe(10_000);
    const openSsh = records.filter(
      (r) =>
        r.asset.kind === 'security-group' &&
        JSON.stringify(r.configs[0]?.body['ingress']).includes(
          '"from_port":22,"to_port":22,"ipv4_ranges":["0.0.0.0/0"]',
        ),
    ).length;
    const groups = records.filter((r) => r.asset.kind === 'security-group').length;
    expect(openSsh).toBeGreaterThan(0);
    expect(openSsh).toBeLessThan(groups / 2);
    const imdsOptional = records.filter(
      (r) =>
        r.asset.kind === 'ec2-instance' &&
        JSON.stringify(r.configs[0]?.body).includes('"http_tokens":"optional"'),
    ).length;
    expect(imdsOptional).toBeGreaterThan(0);
  });

  it('with a misconfiguration rate of zero produces no open admin port and no optional IMDS', () => {
    for (const record of generateDemoTenant({ assets: 2_000, misconfiguration_rate: 0 })) {
      const body = JSON.stringify(record.configs[0]?.body);
      expect(body).not.toContain('"http_tokens":"optional"');
      expect(body).not.toContain('"from_port":22,"to_port":22,"ipv4_ranges":["0.0.0.0/0"]');
    }
  });

  it('rejects fewer than six assets and rates outside [0, 1]', () => {
    for (const options of [
      { assets: 5 },
      { assets: 100, misconfiguration_rate: 2 },
      { captured_at: 'soon' },
    ]) {
      let caught: unknown;
      try {
        generateDemoTenant(options).next();
      } catch (error) {
        caught = error;
      }
      expect(isSegError(caught) && caught.error_code).toBe('SEG_INVALID_ARGUMENT');
    }
  });
});

describe('createPrng', () => {
  it('repeats its sequence for a seed and stays in range', () => {
    const a = createPrng('x');
    const b = createPrng('x');
    const seqA = Array.from({ length: 100 }, () => a.int(3, 7));
    expect(Array.from({ length: 100 }, () => b.int(3, 7))).toEqual(seqA);
    expect(Math.min(...seqA)).toBe(3);
    expect(Math.max(...seqA)).toBe(7);
    expect(createPrng(42).next()).toBe(createPrng(42).next());
  });
});
