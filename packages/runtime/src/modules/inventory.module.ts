import { ContainerModule } from 'inversify';
import { SegError, normalizedConfigSchemaFor } from '@neurocipher/seg-contracts';
import { SnapshotInventory } from '@neurocipher/seg-adapter-snapshot';
import { BlobStoreId, EvidenceSinkId, InventoryPortId } from '@neurocipher/seg-ports';
import type { BlobStore, EvidenceSink, InventoryPort } from '@neurocipher/seg-ports';
import type { SegConfig } from '../config/seg-config.ts';
import type { Resources } from '../engine/resources.ts';
import { ProviderId, ResourcesId, SegConfigId, resolve } from '../ids.ts';
import { loadAwsAdapter } from './aws.ts';

/**
 * The inventory a scan reads: a snapshot file (NDJSON), an AWS organisation's accounts, or none (an
 * engine that only reads the lakehouse, verifies or remediates; asking it for an inventory is an error).
 */
export type ProviderChoice = { kind: 'snapshot'; path: string } | { kind: 'aws' } | { kind: 'none' };

// Every normalized body is checked against the contracts' schema of its kind before it is evaluated.
function validateBody(kind: string, body: Record<string, unknown>): void {
  const normalized = normalizedConfigSchemaFor(kind);
  if (!normalized) return;
  const parsed = normalized.schema.safeParse(body);
  if (!parsed.success) {
    throw new SegError({
      error_code: 'SEG_SCHEMA_VIOLATION',
      message: `the ${kind} config does not match its normalized schema`,
      details: { kind, issues: parsed.error.issues.slice(0, 5).map((i) => i.path.join('.')) },
    });
  }
}

/** The AWS session of `accounts` (assuming `role/<aws.role_name>` in each) over the configured regions. */
export function awsSessionOptions(
  config: SegConfig,
  accounts: readonly string[],
  regions: readonly string[],
) {
  return {
    accounts: accounts.map((account_id) => ({
      account_id,
      role_arn: `arn:aws:iam::${account_id}:role/${config.aws.role_name}`,
    })),
    ...(regions.length > 0 ? { regions: [...regions] } : {}),
    ...(config.aws.endpoint_url ? { endpoint: config.aws.endpoint_url } : {}),
  };
}

/**
 * The AWS inventory over the configured accounts and regions; `aws.endpoint_url` (`AWS_ENDPOINT_URL`)
 * points it at a simulator. Credentials come from the SDK default chain (`AWS_PROFILE`). Raw responses
 * and captured configs go through the evidence sink (redacted, hashed once, stored); the capture index
 * lives in the blob store beside them.
 */
async function awsInventory(
  config: SegConfig,
  evidence: EvidenceSink,
  history: BlobStore,
  resources: Resources,
): Promise<InventoryPort> {
  if (config.aws.accounts.length === 0) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: '--provider aws needs the accounts to scan: --accounts 123456789012[,…] or aws.accounts',
    });
  }
  const aws = await loadAwsAdapter('--provider aws');
  if (config.aws.profile) process.env['AWS_PROFILE'] = config.aws.profile;
  const session = new aws.AwsSession(awsSessionOptions(config, config.aws.accounts, config.aws.regions));
  resources.hold(session, () => session.destroy());
  return new aws.AwsInventoryAdapter({ session, evidence, history, validateBody });
}

/**
 * Binds `InventoryPortId` to the adapter of the chosen provider. The adapter package loads only then, and
 * only the AWS inventory resolves the evidence sink and blob store (a snapshot scan that commits nothing
 * opens no lakehouse).
 */
export function inventoryModule(provider: ProviderChoice): ContainerModule {
  return new ContainerModule((options) => {
    options.bind<ProviderChoice>(ProviderId).toConstantValue(provider);
    options
      .bind<InventoryPort>(InventoryPortId)
      .toDynamicValue(async (context): Promise<InventoryPort> => {
        const config = await resolve(context, SegConfigId);
        const choice = await resolve(context, ProviderId);
        switch (choice.kind) {
          case 'snapshot':
            return SnapshotInventory.open({
              path: choice.path,
              org_id: config.tenant,
              maxLineBytes: config.snapshot_max_line_bytes,
            });
          case 'aws':
            return awsInventory(
              config,
              await resolve(context, EvidenceSinkId),
              await resolve(context, BlobStoreId),
              await resolve(context, ResourcesId),
            );
          case 'none':
            throw new SegError({
              error_code: 'SEG_INVALID_ARGUMENT',
              message: 'this engine was built without an inventory provider: pass provider to createEngine',
            });
        }
      })
      .inSingletonScope();
  });
}
