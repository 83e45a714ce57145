import { SegError } from '@neurocipher/seg-contracts';
import type { RemediationPlan } from '@neurocipher/seg-contracts';

/** The roles a plan requires (`approvals_required`) that `approved` does not hold, in the plan's order. */
export function missingApprovals(
  plan: Pick<RemediationPlan, 'approvals_required'>,
  approved: readonly string[],
): string[] {
  return plan.approvals_required.filter((role) => !approved.includes(role));
}

/**
 * Refuses to go on unless every role the plan requires has approved: `SEG_INVALID_ARGUMENT` naming the
 * missing roles and the approvals to give (`details.approvals_required`, `details.missing`).
 */
export function assertApproved(
  plan: Pick<RemediationPlan, 'id' | 'approvals_required'>,
  approved: readonly string[],
): void {
  const missing = missingApprovals(plan, approved);
  if (missing.length === 0) return;
  throw new SegError({
    error_code: 'SEG_INVALID_ARGUMENT',
    message: `plan ${plan.id} needs approval by ${missing.join(', ')}: once approved, add --approve ${plan.approvals_required.join(',')}`,
    details: { plan_id: plan.id, approvals_required: plan.approvals_required, missing },
  });
}
