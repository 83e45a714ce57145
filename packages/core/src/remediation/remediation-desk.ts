// Plan, dry-run, apply, roll back and show the remediations of one tenant: what `seg plan|apply|rollback`
// and the API's /plans routes both do, over the tenant's committed findings and its providers' workflows.
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import type { ApplyResult, RemediationPlan, RollbackResult } from '@neurocipher/seg-contracts';
import { assertPlanId, systemClock } from '@neurocipher/seg-ports';
import type {
  Clock,
  PlanApproval,
  PlanDraft,
  PlanEvent,
  PlanRecord,
  PlanRecordStore,
} from '@neurocipher/seg-ports';
import { approvalOf, approvalsOfPlan, assertApproved } from './approvals.ts';
import type { ApprovalNeed } from './approvals.ts';
import type { GateDecision } from '../gates/gate-decision.ts';
import type { GateInput } from '../gates/gate-input.ts';
import { GuardrailsSchema, assertGuardrails } from './guardrails.ts';
import type { Guardrails } from './guardrails.ts';
import { remediableFinding } from './remediable-finding.ts';
import type { CommittedFinding, FindingSource } from './remediable-finding.ts';
import type { RemediationPreview, RemediationService } from './remediation-service.ts';

/** Where a tenant's remediations run: its plan records, and the workflow for an asset's provider. */
export interface RemediationBench {
  plans: PlanRecordStore;
  /** The workflow over the steps of the provider of the asset `urn`, with the settings its plan needs. */
  forAsset(urn: string, settings?: object): { remediation: RemediationService };
  /** Whether `urn` names an asset a provider here can change (an AWS account scan's, not a snapshot's). */
  changeable(urn: string): boolean;
}

/** The committed findings of the tenant, and where its plans are recorded for reads (the plans table). */
export interface PlanLedger extends FindingSource {
  recordPlans(plans: readonly RemediationPlan[], org_id: string): Promise<unknown>;
}

/** A one-line hint of how the caller gives a missing setting (`--set key=<value>`, say). */
export type SettingHint = (key: string) => string;

/** A plan just made: the plan (no steps when the asset already complies), its preview and log. */
export interface MadePlan {
  plan: RemediationPlan;
  finding: CommittedFinding;
  /** `null` when the plan has no steps (nothing was recorded). */
  preview: RemediationPreview | null;
  history: PlanEvent[];
}

/** A dry run of an apply: the plan, its preview, where the live config left the plan's "before". */
export interface DryRun {
  plan: RemediationPlan;
  preview: RemediationPreview;
  /** JSON-pointer paths where the live config differs from the preview's `before`. */
  drift: Array<{ path: string; before: unknown; after: unknown }>;
  history: PlanEvent[];
}

/** A recorded plan with its apply/rollback log. */
export interface ShownPlan {
  record: PlanRecord;
  history: PlanEvent[];
}

/** The gates of a tenant: the decisions of its signed gates bundle, at its rollout phase (spec §16). */
export interface RemediationGates {
  decide(input: GateInput): Promise<GateDecision>;
  rollout_phase: GateInput['tenant']['rollout_phase'];
}

/**
 * The remediation use cases of one tenant. A plan belongs to the tenant whose committed finding it
 * remediates: any other tenant's plan id is `SEG_NOT_FOUND`, exactly like an id never made.
 */
export class RemediationDesk {
  readonly #tenant: string;
  readonly #bench: RemediationBench;
  readonly #ledger: PlanLedger;
  readonly #guardrails: Guardrails;
  readonly #clock: Clock;
  readonly #gates: RemediationGates | undefined;

  /**
   * `guardrails`: the tenant's change windows and production hours (default: none, any time). `gates`:
   * the signed gates bundle's decisions and the tenant's rollout phase (default: none, the plan's own
   * `approvals_required`, one approver each).
   */
  constructor(
    tenant: string,
    bench: RemediationBench,
    ledger: PlanLedger,
    options: {
      guardrails?: Guardrails | undefined;
      clock?: Clock | undefined;
      gates?: RemediationGates | undefined;
    } = {},
  ) {
    this.#tenant = tenant;
    this.#bench = bench;
    this.#ledger = ledger;
    this.#guardrails = options.guardrails ?? GuardrailsSchema.parse({});
    this.#clock = options.clock ?? systemClock;
    this.#gates = options.gates;
  }

  /**
   * Plans the remediation of a committed, failing AWS finding from the asset's live config and records
   * it (plans table and plan record). `hint` turns a missing setting into how the caller gives it.
   */
  async plan(finding_id: string, settings: object = {}, hint?: SettingHint): Promise<MadePlan> {
    const finding = await remediableFinding(this.#ledger, this.#tenant, finding_id, (urn) =>
      this.#bench.changeable(urn),
    );
    const { remediation } = this.#bench.forAsset(finding.finding.asset.urn, settings);
    // The gates see the plan before anything is recorded: a tenant in rollout phase 0 plans nothing.
    const admit = this.#gates
      ? async (made: RemediationPlan, draft: PlanDraft) => {
          await this.#decide('plan', {
            plan: made,
            control_id: draft.control_id,
            asset: draft.asset,
            dependents: draft.blast_radius.dependents.length,
            tags: draft.asset_tags ?? {},
            events: [],
          });
        }
      : undefined;
    const plan = await remediation
      .plan(finding.finding, 'apply', admit ? { admit } : {})
      .catch((error: unknown) => {
        if (hint && isSegError(error) && typeof error.details['missing'] === 'string')
          throw new SegError({
            error_code: error.error_code,
            message: `${error.message}: ${hint(error.details['missing'])}`,
            details: error.details,
            cause: error,
          });
        throw error;
      });
    if (plan.steps.length === 0) return { plan, finding, preview: null, history: [] };
    await this.#ledger.recordPlans([plan], this.#tenant);
    return {
      plan,
      finding,
      preview: await remediation.preview(plan.id),
      history: await remediation.history(plan.id),
    };
  }

  /** A plan of this tenant and its log; `SEG_NOT_FOUND` for an id this tenant never planned. */
  async show(plan_id: string): Promise<ShownPlan> {
    const record = await this.#record(plan_id);
    return { record, history: await this.#bench.plans.events(record.plan.id) };
  }

  /** What an apply would do, changing nothing: the preview and the drift of the live config from it. */
  async dryRun(plan_id: string): Promise<DryRun> {
    const record = await this.#record(plan_id);
    const { remediation } = this.#bench.forAsset(record.asset);
    return {
      plan: record.plan,
      preview: await remediation.preview(record.plan.id),
      drift: await remediation.drift(record.plan.id),
      history: await remediation.history(record.plan.id),
    };
  }

  /**
   * Records `approver`'s approval of the plan, in `role`, with a justification: an approval of this exact
   * plan (its digest), in the plan's log. Approving again in the same role records nothing new.
   */
  async approve(
    plan_id: string,
    approval: { approver: string; role: string; justification?: string | undefined; now?: Date | undefined },
  ): Promise<PlanApproval> {
    const record = await this.#record(plan_id);
    const made = approvalOf(
      record.plan,
      approval.approver,
      approval.role,
      approval.now ?? this.#clock.now(),
      approval.justification ?? null,
    );
    const before = (await this.#bench.plans.events(record.plan.id)).find(
      (e) =>
        e.kind === 'approval' &&
        e.approval.approver === made.approver &&
        e.approval.role === made.role &&
        e.approval.plan_digest === made.plan_digest,
    );
    if (before?.kind === 'approval') return before.approval;
    await this.#bench.plans.append(record.plan.id, { kind: 'approval', approval: made });
    return made;
  }

  /**
   * Applies a plan when its gates allow it (the gates bundle's decision at the tenant's rollout phase,
   * else the plan's `approvals_required`), the approvals recorded for this exact plan fill what they
   * require, and `now` (default: the clock) is inside the tenant's change windows and, for a production
   * asset, its production hours; refused with `SEG_INVALID_ARGUMENT` before any step runs otherwise.
   */
  async apply(plan_id: string, options: { now?: Date | undefined } = {}): Promise<ApplyResult> {
    const record = await this.#record(plan_id);
    const { remediation } = this.#bench.forAsset(record.asset);
    const preview = record.preview ? await remediation.preview(record.plan.id) : undefined;
    const events = await this.#bench.plans.events(record.plan.id);
    const { needs, distinct } = await this.#gated('apply', record, preview, events);
    assertApproved(record.plan, events, needs, distinct);
    assertGuardrails(this.#guardrails, options.now ?? this.#clock.now(), {
      urn: record.asset,
      tags: preview?.asset_tags,
    });
    return remediation.apply(record.plan);
  }

  // What the gates require of an action on a recorded plan; refuses an action they deny.
  async #gated(
    action: 'apply' | 'rollback',
    record: PlanRecord,
    preview: RemediationPreview | undefined,
    events: readonly PlanEvent[],
  ): Promise<{ needs: ApprovalNeed[]; distinct: number }> {
    if (!this.#gates) return { needs: action === 'apply' ? approvalsOfPlan(record.plan) : [], distinct: 0 };
    const decision = await this.#decide(action, {
      plan: record.plan,
      control_id: record.control_id,
      asset: record.asset,
      dependents: preview?.blast_radius.dependents.length ?? 0,
      tags: preview?.asset_tags ?? {},
      events,
    });
    return { needs: decision.required, distinct: decision.distinct_approvers };
  }

  // The gates' decision on an action, refused with SEG_INVALID_ARGUMENT naming their reasons when denied.
  async #decide(
    action: GateInput['action'],
    on: {
      plan: RemediationPlan;
      control_id: string;
      asset: string;
      dependents: number;
      tags: Record<string, string>;
      events: readonly PlanEvent[];
    },
  ): Promise<GateDecision> {
    const gates = this.#gates!;
    const decision = await gates.decide({
      action,
      plan: {
        id: on.plan.id,
        finding_id: on.plan.finding_id,
        control_id: on.control_id,
        estimated_risk: on.plan.estimated_risk,
        steps: on.plan.steps,
        blast_radius: { dependents: on.dependents },
      },
      asset: { urn: on.asset, tags: on.tags },
      tenant: { org_id: this.#tenant, rollout_phase: gates.rollout_phase },
      approvals: on.events.flatMap((e) =>
        e.kind === 'approval'
          ? [{ approver: e.approval.approver, role: e.approval.role, plan_digest: e.approval.plan_digest }]
          : [],
      ),
    });
    if (!decision.allow)
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: `the gates refuse the ${action} of plan ${on.plan.id}: ${decision.deny.join('; ')}`,
        details: { plan_id: on.plan.id, deny: decision.deny },
        retryable: false,
      });
    return decision;
  }

  /** Restores the pre-state of an applied plan; `SEG_INVALID_ARGUMENT` for a plan never applied. */
  async rollback(plan_id: string): Promise<RollbackResult> {
    const record = await this.#record(plan_id);
    const { remediation } = this.#bench.forAsset(record.asset);
    if (this.#gates) {
      const preview = record.preview ? await remediation.preview(record.plan.id) : undefined;
      const events = await this.#bench.plans.events(record.plan.id);
      const { needs, distinct } = await this.#gated('rollback', record, preview, events);
      assertApproved(record.plan, events, needs, distinct);
    }
    return remediation.rollback(record.plan.id);
  }

  // The plan record of an id, if this tenant's lakehouse holds the finding it remediates.
  async #record(plan_id: string): Promise<PlanRecord> {
    assertPlanId(plan_id);
    const record = await this.#bench.plans.get(plan_id);
    const unknown = () =>
      new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `unknown plan ${plan_id}`,
        details: { plan_id },
        retryable: false,
      });
    if (!record) throw unknown();
    try {
      await this.#ledger.finding(this.#tenant, record.plan.finding_id);
    } catch (error) {
      if (isSegError(error) && error.error_code === 'SEG_NOT_FOUND') throw unknown();
      throw error;
    }
    return record;
  }
}
