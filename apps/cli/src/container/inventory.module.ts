import { ContainerModule } from 'inversify';
import { SegError, normalizedConfigSchemaFor } from '@neurocipher/seg-contracts';
import { AwsInventoryAdapter, AwsSession } from '@neurocipher/seg-adapter-aws';
import { EvidenceStore, LocalBlobStore } from '@neurocipher/seg-lakehouse';
import type { InventoryPort, Redactor } from '@neurocipher/seg-ports';
import { InventoryPortId, RedactorId } from '@neurocipher/seg-ports';
import { SnapshotInventory } from '@neurocipher/seg-adapter-snapshot';
import type { CliConfig } from '../config/cli-config.ts';
import { CliConfigId, ProviderId } from './ids.ts';

/** The inventory a scan reads: a snapshot file, or an AWS account. */
export type ProviderChoice = { kind: 'snapshot'; path: string } | { kind: 'aws' };

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

/**
 * The AWS inventory over the configured accounts (assuming `role/<aws.role_name>` in each) and regions;
 * `aws.endpoint_url` (`AWS_ENDPOINT_URL`) points it at a simulator. Credentials come from the SDK default
 * chain (`AWS_PROFILE` / `--profile`). Raw responses and captured configs go through the evidence store
 * (redacted, hashed once, stored) on the configured local blob folder; the capture index lives beside them.
 */
function awsInventory(config: CliConfig, redactor: Redactor): InventoryPort {
  if (config.aws.accounts.length === 0) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: '--provider aws needs the accounts to scan: --accounts 123456789012[,…] or aws.accounts',
    });
  }
  if (!config.blobs.startsWith('file:')) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: 'the CLI keeps AWS evidence in a local blob store (blobs: file:…) for now',
    });
  }
  if (config.aws.profile) process.env['AWS_PROFILE'] = config.aws.profile;
  const session = new AwsSession({
    accounts: config.aws.accounts.map((account_id) => ({
      account_id,
      role_arn: `arn:aws:iam::${account_id}:role/${config.aws.role_name}`,
    })),
    ...(config.aws.regions.length > 0 ? { regions: config.aws.regions } : {}),
    ...(config.aws.endpoint_url ? { endpoint: config.aws.endpoint_url } : {}),
  });
  const blobs = new LocalBlobStore({ root: config.blobs.slice('file:'.length) });
  return new AwsInventoryAdapter({
    session,
    evidence: new EvidenceStore({ blobs, redactor }),
    history: blobs,
    validateBody,
  });
}

/** Binds {@link InventoryPortId} to the adapter of the chosen provider. */
export function inventoryModule(provider: ProviderChoice): ContainerModule {
  return new ContainerModule((options) => {
    options.bind<ProviderChoice>(ProviderId).toConstantValue(provider);
    options
      .bind<InventoryPort>(InventoryPortId)
      .toResolvedValue(
        async (config: CliConfig, choice: ProviderChoice, redactor: Redactor): Promise<InventoryPort> => {
          switch (choice.kind) {
            case 'snapshot':
              return SnapshotInventory.open({
                path: choice.path,
                org_id: config.tenant,
                maxLineBytes: config.snapshot_max_line_bytes,
              });
            case 'aws':
              return awsInventory(config, redactor);
          }
        },
        [CliConfigId, ProviderId, RedactorId],
      )
      .inSingletonScope();
  });
}
