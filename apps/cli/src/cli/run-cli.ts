import { Command, CommanderError } from 'commander';
import { attestCommand } from '../commands/attest.command.ts';
import { bundleCommand } from '../commands/bundle.command.ts';
import { findingsCommand } from '../commands/findings.command.ts';
import { lakeCommand } from '../commands/lake.command.ts';
import { remediationCommands } from '../commands/remediation.command.ts';
import { reportCommand } from '../commands/report.command.ts';
import { scanCommand } from '../commands/scan.command.ts';
import { usageError } from '../commands/shared.ts';
import type { GlobalOptions } from '../commands/shared.ts';
import { verifyCommand } from '../commands/verify.command.ts';
import { errorText } from './error-text.ts';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.ts';
import type { CliIo } from './io.ts';

/** Version printed by `seg --version`. */
export const CLI_VERSION = '0.1.0';

// Commander's own exits: help and version end the run cleanly; a parse error is a usage error, one line.
// `helpAsError`: commander wrote help to stderr, as it does when a command is missing.
function commanderExit(command: Command, error: CommanderError, helpAsError: boolean): never {
  const clean = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
  if (clean.includes(error.code) && !helpAsError) throw error;
  if (error.code === 'commander.help') {
    // `seg`, `seg bundle`, `seg help nosuch`.
    const path = [...ancestry(command)].join(' ');
    const names = command.commands.map((c) => c.name()).join(', ');
    throw usageError(`${path} needs a command: ${names} (${path} --help for usage)`, {
      command: path,
    });
  }
  const message = error.message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  throw usageError(message === '' ? `${command.name()}: invalid arguments` : message, {
    parser_code: error.code,
  });
}

function* ancestry(command: Command): Generator<string> {
  if (command.parent) yield* ancestry(command.parent);
  yield command.name();
}

/**
 * Runs `seg` with `argv` (without `node` and the script). Returns the exit status: 0 clean, 1 findings
 * reach `--fail-on` (or a verification failed), 2 usage, config or any other error. Every error, the
 * argument parser's included, is printed as one line `seg: <CODE>: <message>` (usage errors are
 * `SEG_INVALID_ARGUMENT`, an unexpected error `SEG_INTERNAL`); `--verbose` adds details and causes, never
 * a stack trace, and no line repeats a URI's credentials or a control character.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exit = EXIT_OK;
  const setExit = (code: number): void => {
    exit = code;
  };
  const program = new Command('seg');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  // Commander writes to stderr only its error messages and the help it shows for a missing command:
  // both become one usage line instead (commanderExit).
  let helpAsError = false;
  const output = {
    writeOut: (text: string) => io.stdout.write(text),
    writeErr: () => {
      helpAsError = true;
    },
    outputError: () => undefined,
  };
  const onExit = (command: Command) => (error: CommanderError) => commanderExit(command, error, helpAsError);
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
    .exitOverride(onExit(program))
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
    command.exitOverride(onExit(command)).configureOutput(output);
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (error) {
    // Only help and version reach here as commander's own errors (see commanderExit).
    if (error instanceof CommanderError) return EXIT_OK;
    io.stderr.write(errorText(error, argv.includes('--verbose')));
    return EXIT_USAGE;
  }
}
