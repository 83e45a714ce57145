import { Container } from 'inversify';
import type { CliConfig } from '../config/cli-config.ts';
import { attestationModule } from './attestation.module.ts';
import { evaluationModule } from './evaluation.module.ts';
import { CliConfigId } from './ids.ts';
import { inventoryModule } from './inventory.module.ts';
import type { ProviderChoice } from './inventory.module.ts';
import { lakehouseModule } from './lakehouse.module.ts';
import { redactionModule } from './redaction.module.ts';
import { remediationModule } from './remediation.module.ts';

/** What a command needs bound; modules not asked for are not loaded. */
export interface ContainerParts {
  provider?: ProviderChoice;
  evaluation?: boolean;
  lakehouse?: boolean;
  attestation?: boolean;
  remediation?: boolean;
}

/** Builds the container of one command from the validated config: a short list of modules, no logic. */
export function buildContainer(config: CliConfig, parts: ContainerParts): Container {
  const container = new Container();
  container.bind<CliConfig>(CliConfigId).toConstantValue(config);
  container.load(redactionModule());
  if (parts.provider) container.load(inventoryModule(parts.provider));
  if (parts.evaluation) container.load(evaluationModule());
  if (parts.lakehouse) container.load(lakehouseModule());
  if (parts.attestation) container.load(attestationModule());
  if (parts.remediation) container.load(remediationModule());
  return container;
}
