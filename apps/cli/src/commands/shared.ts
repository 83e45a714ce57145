import { SegError } from '@neurocipher/seg-contracts';
import type { Severity } from '@neurocipher/seg-contracts';
import { loadCliConfig } from '../config/cli-config.ts';
import type { LoadedConfig } from '../config/cli-config.ts';
import type { CliIo } from '../cli/io.ts';
import type { CliConfig } from '../config/cli-config.ts';
import { buildContainer } from '../container/container.ts';
import { LakehouseId } from '../container/ids.ts';
import type { Lakehouse } from '../container/lakehouse.module.ts';

/** Options every command accepts (set on the root program). */
export interface GlobalOptions {
  config?: string;
  tenant?: string;
  verbose?: boolean;
}

/** Severities from most to least severe. */
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Loads the config for a command, with `--tenant` and command-specific overrides applied. */
export function configFor(
  io: CliIo,
  global: GlobalOptions,
  overrides: Record<string, unknown> = {},
): LoadedConfig {
  return loadCliConfig({
    cwd: io.cwd,
    env: io.env,
    file: global.config,
    overrides: { tenant: global.tenant, ...overrides },
  });
}

/** The `SEG_ADAPTER_UNAVAILABLE` error of a command whose backing package has not landed yet. */
export function notAvailableYet(command: string, what: string): SegError {
  return new SegError({
    error_code: 'SEG_ADAPTER_UNAVAILABLE',
    message: `${command} is not available yet: ${what}`,
    retryable: false,
    details: { command, not_available_yet: true },
  });
}

/** A usage error (exit 2). */
export function usageError(message: string, details: Record<string, unknown> = {}): SegError {
  return new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message, details });
}

/** Opens the configured lakehouse for `action` and closes its catalog afterwards, whatever happens. */
export async function withLakehouse<T>(
  config: CliConfig,
  action: (lake: Lakehouse) => Promise<T>,
): Promise<T> {
  const lake = await buildContainer(config, { lakehouse: true }).getAsync<Lakehouse>(LakehouseId);
  try {
    return await action(lake);
  } finally {
    await lake.catalog.close();
  }
}
