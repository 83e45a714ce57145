import { SegError } from '@neurocipher/seg-contracts';
import type { Severity } from '@neurocipher/seg-contracts';
import { LakehouseId, createEngine, loadSegConfig } from '@neurocipher/seg-runtime';
import type { Engine, EngineOptions, Lakehouse, LoadedConfig, SegConfig } from '@neurocipher/seg-runtime';
import type { CliIo } from '../cli/io.ts';

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
  return loadSegConfig({
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

// A usage error (exit 2): defined beside the argument parser, which needs it before any command loads.
export { usageError } from '../cli/usage-error.ts';

/** Builds the engine of `config` for `action` and closes it afterwards, whatever happens. */
export async function withEngine<T>(
  config: SegConfig,
  action: (engine: Engine) => Promise<T>,
  options: EngineOptions = {},
): Promise<T> {
  const engine = await createEngine(config, options);
  try {
    return await action(engine);
  } finally {
    await engine.close();
  }
}

/** Opens the configured lakehouse for `action` and closes it afterwards, whatever happens. */
export function withLakehouse<T>(config: SegConfig, action: (lake: Lakehouse) => Promise<T>): Promise<T> {
  return withEngine(config, async (engine) => action(await engine.get(LakehouseId)));
}
