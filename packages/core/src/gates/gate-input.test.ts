import { describe, expect, it } from '@jest/globals';
import { parseGateInput } from './gate-input.ts';

const valid = {
  action: 'apply',
  plan: {
    id: '3e2d1c0b-a998-4877-8665-544332211000',
    finding_id: '0b9f3c2a-4d5e-5f60-8a1b-2c3d4e5f6a7b',
    control_id: 'cis-s3-block-public-access',
    estimated_risk: 'medium',
    steps: [{ action: 's3:PutBucketPolicy', description: 'Replace the policy', params: { Bucket: 'b1' } }],
    blast_radius: { dependents: 3 },
  },
  asset: { urn: 'urn:asset:aws:bucket:b1', tags: { environment: 'production' } },
  tenant: { org_id: 'acme', rollout_phase: 3 },
  approvals: [{ approver: 'alice@example.com', role: 'security-owner', plan_digest: 'a'.repeat(64) }],
};

function paths(value: unknown): string[] {
  try {
    parseGateInput(value);
  } catch (error) {
    return (error as { details: { paths: string[] } }).details.paths;
  }
  return [];
}

describe('GateInputSchema', () => {
  it('accepts the documented input, keeping extra step fields, with or without approvals', () => {
    expect(parseGateInput(valid)).toEqual(valid);
    const { approvals: _approvals, ...without } = valid;
    expect(parseGateInput(without)).toEqual(without);
  });

  it('refuses an unknown action, risk or phase, a fractional blast radius, and a non-string tag', () => {
    expect(
      paths({
        ...valid,
        action: 'destroy',
        plan: { ...valid.plan, estimated_risk: 'extreme', blast_radius: { dependents: 1.5 } },
        asset: { ...valid.asset, tags: { environment: 1 } },
        tenant: { org_id: 'acme', rollout_phase: 4 },
      }),
    ).toEqual([
      'action',
      'plan.estimated_risk',
      'plan.blast_radius.dependents',
      'asset.tags.environment',
      'tenant.rollout_phase',
    ]);
  });

  it('refuses unknown fields outside steps, a step without an action, and an incomplete approval', () => {
    expect(paths({ ...valid, plan: { ...valid.plan, mode: 'apply' } })).toEqual(['plan']);
    expect(paths({ ...valid, plan: { ...valid.plan, steps: [{ description: 'x' }] } })).toEqual([
      'plan.steps.0.action',
    ]);
    expect(paths({ ...valid, approvals: [{ approver: 'alice', role: 'security-owner' }] })).toEqual([
      'approvals.0.plan_digest',
    ]);
    expect(paths({ ...valid, plan: { ...valid.plan, id: 'plan-1' } })).toEqual(['plan.id']);
  });
});
