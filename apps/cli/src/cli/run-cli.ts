import { Command, CommanderError } from 'commander';
import { isSegError } from '@neurocipher/seg-contracts';
import { attestCommand } from '../commands/attest.command.ts';
import { bundleCommand } from '../commands/bundle.command.ts';
import { findingsCommand } from '../commands/findings.command.ts';
import { lakeCommand } from '../commands/lake.command.ts';
import { remediationCommands } from '../commands/remediation.command.ts';
import { reportCommand } from '../commands/report.command.ts';
import { scanCommand } from '../commands/scan.command.ts';
import type { GlobalOptions } from '../commands/shared.ts';
import { verifyCommand } from '../commands/verify.command.ts';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.ts';
import type { CliIo } from './io.ts';

/** Version printed by `seg --version`. */
export const CLI_VERSION = '0.1.0';

function describeError(error: unknown, verbose: boolean): string {
  if (isSegError(error)) {
    const head = `seg: ${error.error_code}: ${error.message}`;
    if (!verbose) return `${head}\n`;
    const details =
      Object.keys(error.details).length > 0 ? `\n  details: ${JSON.stringify(error.details)}` : '';
    // Duck-typed: errors from Node's core may come from another realm than this module's Error.
    const c = error.cause as { stack?: unknown; message?: unknown } | null | undefined;
    const text = typeof c?.stack === 'string' ? c.stack : typeof c?.message === 'string' ? c.message : null;
    const cause = text === null ? '' : `\n  cause: ${text}`;
    return `${head}${details}${cause}\n  retryable: ${error.retryable}\n`;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  return verbose ? `seg: ${err.stack ?? err.message}\n` : `seg: ${err.message}\n`;
}

/**
 * Runs `seg` with `argv` (without `node` and the script). Returns the exit status: 0 clean, 1 findings
 * reach `--fail-on` (or a verification failed), 2 usage, config or any other error, printed as one line
 * (`--verbose` adds details and the cause).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exit = EXIT_OK;
  const setExit = (code: number): void => {
    exit = code;
  };
  const program = new Command('seg');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const output = {
    writeOut: (text: string) => io.stdout.write(text),
    writeErr: (text: string) => io.stderr.write(text),
  };
  program
    .description('SEG, the Neurocipher Security Engine: scan cloud tenants against signed policy bundles')
    .version(CLI_VERSION)
    .option('--config <file>', 'config file (JSON; default seg.config.json when present)')
    .option('--tenant <id>', 'tenant (org id); default from config')
    .option('--verbose', 'print error details and causes')
    .addHelpText(
      'after',
      '\nExample:\n  seg scan --provider snapshot --snapshot .seg/demo/tenant.ndjson --fail-on high\n  seg findings --format table\n',
    )
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput(output);
  program.addCommand(scanCommand(io, global, setExit));
  program.addCommand(findingsCommand(io, global, setExit));
  program.addCommand(reportCommand(io, global, setExit));
  program.addCommand(attestCommand(io, global, setExit));
  program.addCommand(verifyCommand(io, global, setExit));
  program.addCommand(bundleCommand(io, global, setExit));
  program.addCommand(lakeCommand(io, global, setExit));
  for (const command of remediationCommands(io, global, setExit)) program.addCommand(command);
  // Commands built apart and added inherit nothing: give each the same output and exit handling.
  const configure = (command: Command): void => {
    command.exitOverride().configureOutput(output).showHelpAfterError('(add --help for usage)');
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with exit code 0; commander has printed the usage error already.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    io.stderr.write(describeError(error, argv.includes('--verbose')));
    return EXIT_USAGE;
  }
}
