// Plan, dry-run, apply, roll back and show remediations of one tenant: what `seg plan|apply|rollback` and
// the API's /plans routes both do, over the remediation workbench and the tenant's lakehouse.
import { z } from 'zod';
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import type { ApplyResult, RemediationPlan, RollbackResult } from '@neurocipher/seg-contracts';
import type {
  PlanEvent,
  PlanRecord,
  RemediationDefaults,
  RemediationPreview,
} from '@neurocipher/seg-adapter-aws';
import { assertApproved } from '@neurocipher/seg-core';
import type { StoredFinding } from '@neurocipher/seg-lakehouse';
import type { Lakehouse } from '../modules/lakehouse.module.ts';
import type { RemediationWorkbench } from '../modules/remediation.module.ts';
import { remediableFinding } from './remediable-finding.ts';

/** The settings some AWS remediations need (docs/adapters/aws.md): log buckets, KMS keys, ports. */
export const RemediationSettingsSchema = z
  .object({
    access_log_bucket: z.string().min(1),
    flow_log_bucket: z.string().min(1),
    trail_kms_key_id: z.string().min(1),
    bucket_kms_key_id: z.string().min(1),
    support_role_trusted_principal: z.string().min(1),
    admin_ports: z
      .string()
      .regex(/^\d{1,5}(,\d{1,5})*$/, 'must be comma-separated port numbers')
      .transform((s) => s.split(',').map(Number)),
  })
  .partial()
  .strict();

/** A one-line hint of how the caller gives a missing setting (`--set key=<value>`, say). */
export type SettingHint = (key: string) => string;

/** A plan just made: the plan (no steps when the asset already complies), its preview and log. */
export interface MadePlan {
  plan: RemediationPlan;
  finding: StoredFinding;
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

/**
 * The remediation use cases of one tenant. A plan belongs to the tenant whose committed finding it
 * remediates: any other tenant's plan id is `SEG_NOT_FOUND`, exactly like an id never made.
 */
export class RemediationDesk {
  readonly #tenant: string;
  readonly #bench: RemediationWorkbench;
  readonly #lake: Pick<Lakehouse, 'store'>;

  constructor(tenant: string, bench: RemediationWorkbench, lake: Pick<Lakehouse, 'store'>) {
    this.#tenant = tenant;
    this.#bench = bench;
    this.#lake = lake;
  }

  /**
   * Plans the remediation of a committed, failing AWS finding from the asset's live config and records
   * it (plans table and plan record). `hint` turns a missing setting into how the caller gives it.
   */
  async plan(finding_id: string, settings: RemediationDefaults = {}, hint?: SettingHint): Promise<MadePlan> {
    const finding = await remediableFinding(this.#lake.store, this.#tenant, finding_id, (urn) =>
      this.#bench.changeable(urn),
    );
    const { remediation } = this.#bench.forAsset(finding.finding.asset.urn, settings);
    const plan = await remediation.plan(finding.finding, 'apply').catch((error: unknown) => {
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
    await this.#lake.store.recordPlans([plan], this.#tenant);
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
    const { remediation, inventory } = this.#bench.forAsset(record.asset);
    const preview = await remediation.preview(record.plan.id);
    const live = await inventory.get_config({ urn: record.asset });
    return {
      plan: record.plan,
      preview,
      drift: this.#bench.diff(preview.before, live.body),
      history: await remediation.history(record.plan.id),
    };
  }

  /** Applies a plan once every approval it requires is given (`SEG_INVALID_ARGUMENT` naming the rest). */
  async apply(plan_id: string, approvals: readonly string[]): Promise<ApplyResult> {
    const record = await this.#record(plan_id);
    assertApproved(record.plan, approvals);
    return this.#bench.forAsset(record.asset).remediation.apply(record.plan);
  }

  /** Restores the pre-state of an applied plan; `SEG_INVALID_ARGUMENT` for a plan never applied. */
  async rollback(plan_id: string): Promise<RollbackResult> {
    const record = await this.#record(plan_id);
    const events = await this.#bench.plans.events(record.plan.id);
    if (!events.some((e) => e.kind === 'apply')) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: `plan ${record.plan.id} has not been applied: nothing to roll back`,
        details: { plan_id: record.plan.id },
      });
    }
    return this.#bench.forAsset(record.asset).remediation.rollback(record.plan.id);
  }

  // The plan record of an id, if this tenant's lakehouse holds the finding it remediates.
  async #record(plan_id: string): Promise<PlanRecord> {
    this.#bench.assertPlanId(plan_id);
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
      await this.#lake.store.finding(this.#tenant, record.plan.finding_id);
    } catch (error) {
      if (isSegError(error) && error.error_code === 'SEG_NOT_FOUND') throw unknown();
      throw error;
    }
    return record;
  }
}
