import { ContainerModule } from 'inversify';
import { SegError } from '@neurocipher/seg-contracts';
import type { InventoryPort } from '@neurocipher/seg-ports';
import { InventoryPortId } from '@neurocipher/seg-ports';
import { SnapshotInventory } from '@neurocipher/seg-adapter-snapshot';
import type { CliConfig } from '../config/cli-config.ts';
import { CliConfigId, ProviderId } from './ids.ts';

/** The inventory a scan reads: a snapshot file, or an AWS account. */
export type ProviderChoice = { kind: 'snapshot'; path: string } | { kind: 'aws' };

/** Binds {@link InventoryPortId} to the adapter of the chosen provider. */
export function inventoryModule(provider: ProviderChoice): ContainerModule {
  return new ContainerModule((options) => {
    options.bind<ProviderChoice>(ProviderId).toConstantValue(provider);
    options
      .bind<InventoryPort>(InventoryPortId)
      .toResolvedValue(
        async (config: CliConfig, choice: ProviderChoice): Promise<InventoryPort> => {
          switch (choice.kind) {
            case 'snapshot':
              return SnapshotInventory.open({ path: choice.path, org_id: config.tenant });
            case 'aws':
              throw new SegError({
                error_code: 'SEG_ADAPTER_UNAVAILABLE',
                message:
                  'the AWS provider is not available yet: @neurocipher/seg-adapter-aws exports no inventory adapter (issue #4)',
                retryable: false,
              });
          }
        },
        [CliConfigId, ProviderId],
      )
      .inSingletonScope();
  });
}
