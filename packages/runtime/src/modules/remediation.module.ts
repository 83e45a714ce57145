import { ContainerModule } from 'inversify';
import { isSegError } from '@neurocipher/seg-contracts';
import type { AwsInventoryAdapter, RemediationDefaults } from '@neurocipher/seg-adapter-aws';
import { GatesEvaluator, RemediationDesk, RemediationService } from '@neurocipher/seg-core';
import type { RemediationBench, RemediationGates } from '@neurocipher/seg-core';
import {
  BlobPlanRecordStore,
  BlobStoreId,
  BundleSourceId,
  EventBusId,
  EvidenceSinkId,
} from '@neurocipher/seg-ports';
import type { PlanRecordStore } from '@neurocipher/seg-ports';
import type { SegConfig } from '../config/seg-config.ts';
import {
  LakehouseId,
  RemediationDeskId,
  RemediationWorkbenchId,
  ResourcesId,
  SegConfigId,
  resolve,
} from '../ids.ts';
import { loadAwsAdapter } from './aws.ts';
import { loadTrustedKeys } from './evaluation.module.ts';
import { awsSessionOptions } from './inventory.module.ts';

/**
 * What works on one asset: the remediation workflow of core over the AWS steps, and the AWS inventory it
 * reads the live config with.
 */
export interface AssetRemediation {
  remediation: RemediationService;
  inventory: AwsInventoryAdapter;
}

/** What plan, apply and rollback work with (core's {@link RemediationBench} over AWS). */
export interface RemediationWorkbench extends RemediationBench {
  /** The durable plan records, under `plans/` of the blob store (create-only; apply/rollback log appended). */
  plans: PlanRecordStore;
  /**
   * The AWS adapters for the account of an asset URN, assuming `role/<aws.role_name>` there with the SDK's
   * default credentials (`AWS_PROFILE`), through `aws.endpoint_url` (`AWS_ENDPOINT_URL`) when set.
   * `defaults` are the remediation settings a plan needs (log buckets, KMS keys). Its clients are
   * released with the engine.
   */
  forAsset(urn: string, defaults?: RemediationDefaults): AssetRemediation;
  /** Whether `urn` names an asset the adapters can change (an AWS account scan's, not a snapshot's). */
  changeable(urn: string): boolean;
}

/**
 * Binds {@link RemediationWorkbenchId}: plan records in the configured blob store (`file:` or `s3://`),
 * beside the evidence the adapters write through the evidence sink, and AWS adapters made per target
 * account; and {@link RemediationDeskId}, the tenant's plan/apply/rollback use cases over it. The AWS
 * adapter package loads only when this is asked for.
 */
export function remediationModule(): ContainerModule {
  return new ContainerModule((options) => {
    options
      .bind<RemediationWorkbench>(RemediationWorkbenchId)
      .toDynamicValue(async (context): Promise<RemediationWorkbench> => {
        const config: SegConfig = await resolve(context, SegConfigId);
        const resources = await resolve(context, ResourcesId);
        const blobs = await resolve(context, BlobStoreId);
        const evidence = await resolve(context, EvidenceSinkId);
        const bus = await resolve(context, EventBusId);
        const aws = await loadAwsAdapter('remediation');
        const plans = new BlobPlanRecordStore({ store: blobs, prefix: 'plans' });
        return {
          plans,
          forAsset(urn, defaults = {}) {
            const at = aws.parseAwsAssetUrn(urn);
            if (config.aws.profile) process.env['AWS_PROFILE'] = config.aws.profile;
            const regions =
              config.aws.regions.length > 0 ? config.aws.regions : at.region === 'global' ? [] : [at.region];
            const session = new aws.AwsSession(awsSessionOptions(config, [at.account_id], regions));
            resources.hold(session, () => session.destroy());
            const inventory = new aws.AwsInventoryAdapter({ session, evidence, history: blobs });
            const remediation = new RemediationService({
              steps: new aws.AwsRemediationSteps({ session, inventory, defaults }),
              evidence,
              plans,
              events: { bus, org_id: config.tenant },
            });
            return { remediation, inventory };
          },
          changeable(urn) {
            try {
              aws.parseAwsAssetUrn(urn);
              return true;
            } catch (error) {
              if (isSegError(error)) return false;
              throw error;
            }
          },
        };
      })
      .inSingletonScope();
    options
      .bind<RemediationDesk>(RemediationDeskId)
      .toDynamicValue(async (context) => {
        const config: SegConfig = await resolve(context, SegConfigId);
        const bench = await resolve(context, RemediationWorkbenchId);
        const lake = await resolve(context, LakehouseId);
        const settings = config.tenants[config.tenant]?.remediation;
        let gates: RemediationGates | undefined;
        if (settings?.gates) {
          const [id, version] = settings.gates.bundle.split('@') as [string, string];
          const evaluator = new GatesEvaluator({
            bundleSource: await resolve(context, BundleSourceId),
            trustedKeys: await loadTrustedKeys(config),
            bundle: { id, version },
          });
          (await resolve(context, ResourcesId)).hold(evaluator, () => evaluator.close());
          gates = { decide: (input) => evaluator.decide(input), rollout_phase: settings.gates.rollout_phase };
        }
        return new RemediationDesk(config.tenant, bench, lake.store, { guardrails: settings, gates });
      })
      .inSingletonScope();
  });
}
