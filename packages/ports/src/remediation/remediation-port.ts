import type {
  ApplyResult,
  Finding,
  Mode,
  RemediationPlan,
  RollbackResult,
  Window,
} from '@neurocipher/seg-contracts';
import type { PortId } from '../ids/port-id.ts';

/**
 * Plans and applies changes with dry-run safety, and rolls them back (spec §6.3, §15).
 *
 * Errors: `SEG_NOT_FOUND` for an unknown plan or a finding with no remediation, `SEG_INVALID_ARGUMENT`
 * when a plan is applied outside its change window or without its approvals, `SEG_ADAPTER_TIMEOUT` /
 * `SEG_ADAPTER_UNAVAILABLE` when the provider cannot be reached before any step ran. A step that fails
 * after others succeeded is not thrown: the result is `partial` with the compensated steps.
 */
export interface RemediationPort {
  /**
   * The minimal change set that drives `finding` toward pass, with its risk. In `plan` mode nothing is
   * changed. Idempotent: the same finding gives the same steps. Not paged.
   */
  plan(finding: Finding, mode: Mode): Promise<RemediationPlan>;

  /**
   * Applies the plan's steps in order with a timeout per step, capturing each resource's exact pre-state.
   * Idempotent: applying the same plan again changes nothing and reports every step `skipped`.
   */
  apply(plan: RemediationPlan, change_window?: Window | null): Promise<ApplyResult>;

  /**
   * Restores the pre-state captured when the plan was applied. Idempotent: a second rollback reports every
   * step `skipped`. Steps with no exact inverse say so in their result message.
   */
  rollback(plan_id: string): Promise<RollbackResult>;
}

/** Inversion-of-control id of {@link RemediationPort}. */
export const RemediationPortId: PortId<RemediationPort> = Symbol.for('seg.ports.RemediationPort');
