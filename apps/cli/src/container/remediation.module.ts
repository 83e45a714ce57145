import { ContainerModule } from 'inversify';
import { SegError } from '@neurocipher/seg-contracts';
import {
  AwsInventoryAdapter,
  AwsRemediationAdapter,
  AwsSession,
  BlobPlanRecordStore,
  parseAwsAssetUrn,
} from '@neurocipher/seg-adapter-aws';
import type { PlanRecordStore, RemediationDefaults } from '@neurocipher/seg-adapter-aws';
import { EvidenceStore, LocalBlobStore } from '@neurocipher/seg-lakehouse';
import type { Redactor } from '@neurocipher/seg-ports';
import { RedactorId } from '@neurocipher/seg-ports';
import type { CliConfig } from '../config/cli-config.ts';
import { CliConfigId } from './ids.ts';

/** Container id of the CLI's remediation side ({@link CliRemediation}). */
export const CliRemediationId = Symbol.for('seg.cli.Remediation');

/** The AWS adapters that work on one asset: the remediation and the inventory it reads the live config with. */
export interface AssetRemediation {
  remediation: AwsRemediationAdapter;
  inventory: AwsInventoryAdapter;
}

/** What `seg plan`, `seg apply` and `seg rollback` work with. */
export interface CliRemediation {
  /** The durable plan records, under `<blobs>/plans/` (create-only; apply/rollback log appended). */
  plans: PlanRecordStore;
  /**
   * The AWS adapters for the account of an asset URN, assuming `role/<aws.role_name>` there with the SDK's
   * default credentials (`AWS_PROFILE` / `--profile`), through `aws.endpoint_url` (`AWS_ENDPOINT_URL`)
   * when set. `defaults` are the remediation settings a plan needs (log buckets, KMS keys).
   */
  forAsset(urn: string, defaults?: RemediationDefaults): AssetRemediation;
  /** Releases the AWS clients made by {@link forAsset}. */
  close(): void;
}

/**
 * Binds {@link CliRemediationId}: plan records in the configured local blob store (`blobs: file:…`), beside
 * the evidence the adapters write there, and AWS adapters made per target account.
 */
export function remediationModule(): ContainerModule {
  return new ContainerModule((options) => {
    options
      .bind<CliRemediation>(CliRemediationId)
      .toResolvedValue(
        (config: CliConfig, redactor: Redactor): CliRemediation => {
          if (!config.blobs.startsWith('file:')) {
            throw new SegError({
              error_code: 'SEG_INVALID_ARGUMENT',
              message: 'the CLI keeps plans and AWS evidence in a local blob store (blobs: file:…) for now',
              details: { blobs: config.blobs },
            });
          }
          const blobs = new LocalBlobStore({ root: config.blobs.slice('file:'.length) });
          const plans = new BlobPlanRecordStore({ store: blobs, prefix: 'plans' });
          const evidence = new EvidenceStore({ blobs, redactor });
          const sessions: AwsSession[] = [];
          return {
            plans,
            forAsset(urn, defaults = {}) {
              const at = parseAwsAssetUrn(urn);
              if (config.aws.profile) process.env['AWS_PROFILE'] = config.aws.profile;
              const regions =
                config.aws.regions.length > 0
                  ? config.aws.regions
                  : at.region === 'global'
                    ? []
                    : [at.region];
              const session = new AwsSession({
                accounts: [
                  {
                    account_id: at.account_id,
                    role_arn: `arn:aws:iam::${at.account_id}:role/${config.aws.role_name}`,
                  },
                ],
                ...(regions.length > 0 ? { regions } : {}),
                ...(config.aws.endpoint_url ? { endpoint: config.aws.endpoint_url } : {}),
              });
              sessions.push(session);
              const inventory = new AwsInventoryAdapter({ session, evidence, history: blobs });
              const remediation = new AwsRemediationAdapter({
                session,
                inventory,
                evidence,
                plans,
                defaults,
              });
              return { remediation, inventory };
            },
            close() {
              for (const s of sessions.splice(0)) s.destroy();
            },
          };
        },
        [CliConfigId, RedactorId],
      )
      .inSingletonScope();
  });
}
