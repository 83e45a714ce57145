import { describe, expect, it } from '@jest/globals';
import { assertApproved, missingApprovals } from './approvals.ts';

const plan = { id: 'plan-1', approvals_required: ['security-owner', 'asset-owner'] };

describe('approvals', () => {
  it('names the roles still missing, in the order the plan asks for them', () => {
    expect(missingApprovals(plan, ['asset-owner'])).toEqual(['security-owner']);
    expect(missingApprovals(plan, ['asset-owner', 'security-owner', 'other'])).toEqual([]);
    expect(missingApprovals({ approvals_required: [] }, [])).toEqual([]);
  });

  it('refuses a plan without every approval, saying which to add', () => {
    expect(() => assertApproved(plan, ['asset-owner'])).toThrow(
      expect.objectContaining({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: expect.stringContaining('needs approval by security-owner'),
        details: expect.objectContaining({ missing: ['security-owner'] }),
      }),
    );
    expect(() => assertApproved(plan, ['security-owner', 'asset-owner'])).not.toThrow();
  });
});
