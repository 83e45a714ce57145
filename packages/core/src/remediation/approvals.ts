// Approvals are records in a plan's log (spec §15): who approved, in which role, when, why, and the
// digest of the exact plan approved. An apply counts only approvals of the plan as recorded, and one
// person fills at most one required approval.
import { SegError } from '@neurocipher/seg-contracts';
import type { RemediationPlan } from '@neurocipher/seg-contracts';
import { canonicalJson } from '@neurocipher/seg-attest';
import { sha256Hex } from '@neurocipher/seg-ports';
import type { PlanApproval, PlanEvent } from '@neurocipher/seg-ports';

/** The digest an approval names: sha256 hex of the plan's RFC 8785 JSON. */
export function planDigest(plan: RemediationPlan): string {
  return sha256Hex(canonicalJson(plan));
}

/** One role that must approve, and how many people in it. */
export interface ApprovalNeed {
  role: string;
  count: number;
}

/** The roles a plan requires (`approvals_required`), one approver each: the need without a gates bundle. */
export function approvalsOfPlan(plan: Pick<RemediationPlan, 'approvals_required'>): ApprovalNeed[] {
  return [...new Set(plan.approvals_required)].map((role) => ({ role, count: 1 }));
}

/** What is still missing: per role, how many more approvers; and how many more distinct people. */
export interface ApprovalShortfall {
  missing: ApprovalNeed[];
  distinct_missing: number;
}

/**
 * Fills `needs` with the recorded approvals of `plan` (those naming its digest), each approver counting
 * for one need at most, and says what is left (`distinct` is the least number of different approvers).
 */
export function approvalShortfall(
  plan: RemediationPlan,
  events: readonly PlanEvent[],
  needs: readonly ApprovalNeed[],
  distinct = 0,
): ApprovalShortfall {
  const digest = planDigest(plan);
  const left = new Map(needs.map((n) => [n.role, n.count]));
  const used = new Set<string>();
  for (const event of events) {
    if (event.kind !== 'approval' || event.approval.plan_digest !== digest) continue;
    const { approver, role } = event.approval;
    if (used.has(approver) || (left.get(role) ?? 0) <= 0) continue;
    used.add(approver);
    left.set(role, (left.get(role) ?? 0) - 1);
  }
  const missing = [...left].filter(([, count]) => count > 0).map(([role, count]) => ({ role, count }));
  const approvers = new Set(
    events.flatMap((e) =>
      e.kind === 'approval' && e.approval.plan_digest === digest ? [e.approval.approver] : [],
    ),
  );
  return { missing, distinct_missing: Math.max(0, distinct - approvers.size) };
}

/**
 * Refuses to go on unless the recorded approvals of the plan fill `needs` and come from at least
 * `distinct` people: `SEG_INVALID_ARGUMENT` naming what is missing (`details.missing`,
 * `details.distinct_missing`) and how to give it (`hint`).
 */
export function assertApproved(
  plan: RemediationPlan,
  events: readonly PlanEvent[],
  needs: readonly ApprovalNeed[],
  distinct = 0,
  hint = 'record them with seg approve',
): void {
  const { missing, distinct_missing } = approvalShortfall(plan, events, needs, distinct);
  if (missing.length === 0 && distinct_missing === 0) return;
  const roles = missing.map((m) => (m.count > 1 ? `${m.count} × ${m.role}` : m.role));
  const what = [
    ...(roles.length > 0 ? [`approval by ${roles.join(', ')}`] : []),
    ...(distinct_missing > 0
      ? [`${distinct_missing} more distinct approver${distinct_missing > 1 ? 's' : ''}`]
      : []),
  ];
  throw new SegError({
    error_code: 'SEG_INVALID_ARGUMENT',
    message: `plan ${plan.id} needs ${what.join(' and ')} of this exact plan: ${hint}`,
    details: { plan_id: plan.id, missing, distinct_missing },
    retryable: false,
  });
}

/** An approval record of `plan` by `approver` in `role`. */
export function approvalOf(
  plan: RemediationPlan,
  approver: string,
  role: string,
  at: Date,
  justification: string | null = null,
): PlanApproval {
  return { approver, role, approved_at: at.toISOString(), justification, plan_digest: planDigest(plan) };
}
