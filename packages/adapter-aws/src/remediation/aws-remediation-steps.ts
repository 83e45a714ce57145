import { SegError, parseFinding, type Finding, type RemediationStep } from '@neurocipher/seg-contracts';
import type { InventoryPort, PlanDraft, RemediationStepPort, StepOp } from '@neurocipher/seg-ports';
import { withAbortSignal } from '../provider/aws-call.ts';
import { parseAwsAssetUrn } from '../inventory/asset-urn.ts';
import type { AssetLocator } from '../inventory/collector.ts';
import type { AwsSession } from '../provider/aws-session.ts';
import { blastRadius } from './blast-radius.ts';
import { STEP_OPS, remediationFor, type RemediationDefaults } from './control-remediations.ts';
import type { StepContext, StepOp as AwsStepOp } from './step-op.ts';

/** Options of {@link AwsRemediationSteps}. */
export interface AwsRemediationStepsOptions {
  session: AwsSession;
  /** Reads the normalized config a plan starts from and drift is checked against (the AWS inventory adapter). */
  inventory: InventoryPort;
  /** Settings some remediations need that a finding does not carry (log buckets, KMS keys). */
  defaults?: RemediationDefaults;
}

const RISK = ['low', 'medium', 'high'] as const;

/**
 * The AWS remediations as a {@link RemediationStepPort}: a catalog of step ops over direct AWS service
 * APIs and, per control, the steps that drive a finding's asset to pass (notes/moto.md §3). `draft`
 * reads the live normalized config and builds the minimal steps, the after-state, the blast radius and
 * the risk; nothing changes. `op` carries one step out on the account and region of its asset: every AWS
 * call of it honours the workflow's abort signal (and then does not retry). The workflow that names,
 * records, applies, compensates and rolls back is `RemediationService` of `@neurocipher/seg-core`.
 */
export class AwsRemediationSteps implements RemediationStepPort {
  readonly #session: AwsSession;
  readonly #inventory: InventoryPort;
  readonly #defaults: RemediationDefaults;
  readonly #ops = new Map<string, StepOp>();

  constructor(options: AwsRemediationStepsOptions) {
    this.#session = options.session;
    this.#inventory = options.inventory;
    this.#defaults = options.defaults ?? {};
  }

  async draft(finding: Finding): Promise<PlanDraft> {
    const f = parseFinding(finding);
    const rem = remediationFor(f.control_id);
    if (!rem) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `control ${f.control_id} has no AWS remediation`,
        details: { control_id: f.control_id },
      });
    }
    const at = parseAwsAssetUrn(f.asset.urn);
    if (at.kind !== rem.kind) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: `control ${f.control_id} remediates ${rem.kind} assets, not ${at.kind}`,
        details: { control_id: f.control_id, urn: f.asset.urn },
      });
    }
    const doc = await this.#inventory.get_config(f.asset);
    const before = doc.body;
    const planned = rem.plan(before, at, this.#defaults);
    const after = structuredClone(before);
    for (const s of planned) s.project(after);
    const blast = await blastRadius(this.#session, at, before);
    const needsApproval = rem.automation === 'approval' || planned.some((s) => s.needs_approval);
    let risk = RISK.indexOf(rem.risk);
    if (planned.some((s) => s.needs_approval)) risk = Math.max(risk, 1);
    if (blast.dependents.length > 5) risk = Math.min(2, risk + 1);
    return {
      control_id: f.control_id,
      asset: f.asset.urn,
      before,
      after,
      steps: planned.map((s) => ({
        action: s.op.action,
        description: s.op.exactInverse
          ? s.description
          : `${s.description}. Rollback is not exact: ${s.op.inverseNote ?? ''}`,
        params: { ...s.params, asset: f.asset.urn, control_id: f.control_id },
      })),
      estimated_risk: RISK[risk] ?? 'high',
      approvals_required: needsApproval ? ['security-owner'] : [],
      blast_radius: blast,
    };
  }

  op(action: string): StepOp {
    let op = this.#ops.get(action);
    if (!op) {
      const aws = STEP_OPS.get(action);
      if (!aws) {
        throw new SegError({
          error_code: 'SEG_INVALID_ARGUMENT',
          message: `unknown remediation action ${action}`,
          details: { action },
        });
      }
      op = this.#wrap(aws);
      this.#ops.set(action, op);
    }
    return op;
  }

  async live(asset: string): Promise<Record<string, unknown>> {
    return (await this.#inventory.get_config({ urn: asset })).body;
  }

  // The AWS op as the workflow calls it: the step's asset gives the account and region, and its calls run
  // under the workflow's abort signal.
  #wrap(aws: AwsStepOp): StepOp {
    const ctx = (step: RemediationStep): StepContext => this.#ctx(step.params);
    return {
      action: aws.action,
      exactInverse: aws.exactInverse,
      inverseNote: aws.inverseNote,
      capture: (step, signal) => withAbortSignal(signal, () => aws.capture(ctx(step))),
      satisfied: (state, step) => aws.satisfied(state, ctx(step)),
      apply: (step, pre, signal) => withAbortSignal(signal, () => aws.apply(ctx(step), pre)),
      restore: (step, pre, signal) => withAbortSignal(signal, () => aws.restore(ctx(step), pre)),
      ...(aws.restoredEquivalent
        ? { restoredEquivalent: (current: unknown, pre: unknown) => aws.restoredEquivalent!(current, pre) }
        : {}),
    };
  }

  #ctx(params: Record<string, unknown>): StepContext {
    const urn = params['asset'];
    if (typeof urn !== 'string') {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'remediation step has no asset parameter',
      });
    }
    const at: AssetLocator = parseAwsAssetUrn(urn);
    return { session: this.#session, at, params };
  }
}
