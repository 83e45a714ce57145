import { describe, expect, it } from '@jest/globals';
import { parseSegConfig } from '../config/seg-config.ts';
import { parseRunJob, tenantEngineConfig } from './run-job.ts';

const config = parseSegConfig(
  {
    aws: { regions: ['us-east-1'], role_name: 'SegAudit' },
    tenants: {
      acme: { inventory: { kind: 'snapshot', path: 'inv/acme.ndjson' } },
      beta: { inventory: { kind: 'aws', accounts: ['123456789012'], regions: ['eu-west-1'] } },
      gamma: {},
    },
  },
  { cwd: '/srv/seg' },
);

describe('tenantEngineConfig', () => {
  it("gives the tenant's engine config and provider: a snapshot path, or AWS accounts folded into aws", () => {
    expect(tenantEngineConfig(config, 'acme', '/srv/seg')).toMatchObject({
      config: { tenant: 'acme' },
      provider: { kind: 'snapshot', path: '/srv/seg/inv/acme.ndjson' },
    });
    const beta = tenantEngineConfig(config, 'beta');
    expect(beta.provider).toEqual({ kind: 'aws' });
    expect(beta.config.aws).toMatchObject({
      accounts: ['123456789012'],
      regions: ['eu-west-1'],
      role_name: 'SegAudit',
    });
  });

  it('is SEG_NOT_FOUND for a tenant that is not listed or has no inventory', () => {
    for (const org of ['nobody', 'gamma'])
      expect(() => tenantEngineConfig(config, org)).toThrow(
        expect.objectContaining({ error_code: 'SEG_NOT_FOUND', details: { org_id: org } }),
      );
  });

  it('refuses an inventory of an unknown kind or with a bad account, naming the key', () => {
    expect(() =>
      parseSegConfig({ tenants: { acme: { inventory: { kind: 'aws', accounts: ['12'] } } } }, { cwd: '/' }),
    ).toThrow(/invalid config: tenants\.acme\.inventory\.accounts\.0: must be a 12-digit account id/);
    expect(() => parseSegConfig({ tenants: { acme: { inventory: { kind: 'ftp' } } } }, { cwd: '/' })).toThrow(
      /invalid config: tenants\.acme\.inventory/,
    );
  });
});

describe('parseRunJob', () => {
  it('takes a run id, a tenant, a time and optional control ids, and nothing else', () => {
    const job = {
      run_id: '6c1d7b1e-2f0a-4e59-8b77-3f8a0d9c1e21',
      org_id: 'acme',
      now: '2026-12-03T00:00:00Z',
    };
    expect(parseRunJob(job)).toEqual(job);
    for (const bad of [
      { ...job, run_id: 'x' },
      { ...job, org_id: '../etc' },
      { ...job, extra: 1 },
      { ...job, control_ids: [] },
    ])
      expect(() => parseRunJob(bad)).toThrow(expect.objectContaining({ error_code: 'SEG_SCHEMA_VIOLATION' }));
  });
});
