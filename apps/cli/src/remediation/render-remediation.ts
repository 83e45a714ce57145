import type { ApplyResult, RemediationPlan, RollbackResult } from '@neurocipher/seg-contracts';
import type { RemediationPreview } from '@neurocipher/seg-core';
import type { PlanEvent } from '@neurocipher/seg-ports';
import { terminalText } from '../output/terminal-text.ts';

const json = (v: unknown): string => (v === undefined ? 'absent' : JSON.stringify(v));

/**
 * The text of a plan and its dry-run preview: what it changes (steps), the before → after diff of the
 * normalized config (JSON Pointer paths), the blast radius, the risk, the approvals it needs, and the steps
 * whose rollback is not an exact inverse. Data is printed through `terminalText` (controls escaped).
 */
export function renderPlan(plan: RemediationPlan, preview: RemediationPreview): string {
  const lines = [
    `plan ${plan.id}`,
    `  finding:   ${plan.finding_id}`,
    `  control:   ${preview.control_id}`,
    `  asset:     ${preview.asset}`,
    `  risk:      ${plan.estimated_risk} (${preview.automation === 'auto' ? 'automatic' : 'needs approval'})`,
    `  approvals: ${plan.approvals_required.length > 0 ? plan.approvals_required.join(', ') : 'none'}`,
    `  created:   ${plan.created_at}`,
    `steps (${plan.steps.length}):`,
    ...plan.steps.map((s, i) => `  ${i + 1}. ${s.action}: ${s.description}`),
    `diff (before → after, ${preview.diff.length} change${preview.diff.length === 1 ? '' : 's'}):`,
    ...preview.diff.map((d) => `  ~ ${d.path}: ${json(d.before)} → ${json(d.after)}`),
    `blast radius: ${preview.blast_radius.scope}-wide, ${preview.blast_radius.dependents.length} dependent${preview.blast_radius.dependents.length === 1 ? '' : 's'}`,
    ...preview.blast_radius.dependents.map((d) => `  - ${d.type} ${d.id} (${d.relation})`),
    preview.inexact_rollback.length === 0
      ? 'rollback: exact (every step restores its captured pre-state)'
      : 'rollback: not exact for',
    ...preview.inexact_rollback.map((x) => `  step ${x.step_index + 1}: ${x.note}`),
  ];
  return lines.map(terminalText).join('\n') + '\n';
}

/**
 * The text of an apply or rollback: the overall status, then one line per step with its change id or
 * message (control characters escaped).
 */
export function renderStepRun(
  kind: 'apply' | 'rollback',
  plan: RemediationPlan,
  result: ApplyResult | RollbackResult,
): string {
  const lines = [`${kind} ${result.status}: plan ${result.plan_id}`];
  for (const r of result.results) {
    const action = plan.steps[r.step_index]?.action ?? '?';
    const extra = [
      r.provider_change_id ? `change id ${r.provider_change_id}` : null,
      r.message ? r.message : null,
    ].filter((x) => x !== null);
    lines.push(
      `  ${r.step_index + 1}. ${action}: ${r.status}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}`,
    );
  }
  if (kind === 'apply' && result.status === 'partial') {
    const uncompensated = result.results.some((r) => r.message?.includes('compensation failed'));
    lines.push(
      uncompensated
        ? 'a step failed and not every change could be compensated (see above): seg rollback retries the restore'
        : 'a step failed: the steps done before it were compensated (restored to their captured pre-state)',
    );
  }
  return lines.map(terminalText).join('\n') + '\n';
}

/** One line per apply and rollback a plan has been through, oldest first. */
export function renderHistory(events: readonly PlanEvent[]): string {
  if (events.length === 0) return 'history: never applied\n';
  const line = (e: PlanEvent) =>
    e.kind === 'approval'
      ? `  ${e.approval.approved_at} approval ${e.approval.role} by ${e.approval.approver}`
      : `  ${e.result.ended_at} ${e.kind} ${e.result.status}`;
  return `history:\n${events.map(line).join('\n')}\n`;
}
