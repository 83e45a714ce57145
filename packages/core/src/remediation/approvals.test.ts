import { describe, expect, it } from '@jest/globals';
import type { RemediationPlan } from '@neurocipher/seg-contracts';
import type { PlanEvent } from '@neurocipher/seg-ports';
import { approvalOf, approvalShortfall, approvalsOfPlan, assertApproved, planDigest } from './approvals.ts';

const plan: RemediationPlan = {
  id: '6f1c2a3b-4d5e-5f60-8a7b-9c0d1e2f3a4b',
  finding_id: '7d1c4b2a-3e5f-5a6b-8c7d-9e0f1a2b3c4d',
  mode: 'apply',
  steps: [{ action: 'iam:DetachUserPolicy', description: 'detach', params: {} }],
  estimated_risk: 'high',
  change_window: null,
  approvals_required: ['security-owner', 'service-owner'],
  created_at: '2026-12-04T10:00:00Z',
};
const at = new Date('2026-12-04T11:00:00Z');
const approval = (approver: string, role: string, of: RemediationPlan = plan): PlanEvent => ({
  kind: 'approval',
  approval: approvalOf(of, approver, role, at, 'CAB-1'),
});

describe('approvals', () => {
  it('name the exact plan by its digest, and record who, in which role, when and why', () => {
    expect(planDigest(plan)).toMatch(/^[0-9a-f]{64}$/);
    expect(planDigest({ ...plan, estimated_risk: 'low' })).not.toBe(planDigest(plan));
    expect(approval('alice', 'security-owner')).toEqual({
      kind: 'approval',
      approval: {
        approver: 'alice',
        role: 'security-owner',
        approved_at: '2026-12-04T11:00:00.000Z',
        justification: 'CAB-1',
        plan_digest: planDigest(plan),
      },
    });
  });

  it('fill each required role once per person, and count only approvals of this plan', () => {
    const needs = approvalsOfPlan(plan);
    expect(needs).toEqual([
      { role: 'security-owner', count: 1 },
      { role: 'service-owner', count: 1 },
    ]);
    expect(approvalShortfall(plan, [approval('alice', 'security-owner')], needs).missing).toEqual([
      { role: 'service-owner', count: 1 },
    ]);
    // The same person cannot fill the second role.
    const same = [approval('alice', 'security-owner'), approval('alice', 'service-owner')];
    expect(approvalShortfall(plan, same, needs).missing).toEqual([{ role: 'service-owner', count: 1 }]);
    // An approval of another version of the plan does not count.
    const changed = { ...plan, steps: [...plan.steps, plan.steps[0]!] };
    expect(approvalShortfall(plan, [approval('bob', 'service-owner', changed)], needs).missing).toHaveLength(
      2,
    );
    const both = [approval('alice', 'security-owner'), approval('bob', 'service-owner')];
    expect(approvalShortfall(plan, both, needs)).toEqual({ missing: [], distinct_missing: 0 });
    expect(approvalShortfall(plan, both, needs, 3).distinct_missing).toBe(1);
  });

  it('refuse an apply without them, naming what is missing and how to give it', () => {
    const needs = [{ role: 'security-owner', count: 2 }];
    expect(() => assertApproved(plan, [approval('alice', 'security-owner')], needs, 2)).toThrow(
      expect.objectContaining({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: `plan ${plan.id} needs approval by security-owner and 1 more distinct approver of this exact plan: record them with seg approve`,
      }),
    );
    expect(() =>
      assertApproved(
        plan,
        [approval('alice', 'security-owner'), approval('bob', 'security-owner')],
        needs,
        2,
      ),
    ).not.toThrow();
    expect(() =>
      assertApproved({ ...plan, approvals_required: [] }, [], approvalsOfPlan({ approvals_required: [] })),
    ).not.toThrow();
  });
});
