import { Command, CommanderError, Help } from 'commander';
import type { GlobalOptions } from '../commands/shared.ts';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.ts';
import type { CliIo } from './io.ts';

/** Version printed by `seg --version`. */
export const CLI_VERSION = '0.1.0';

// A parse error, made a `SEG_INVALID_ARGUMENT` SegError only on the error path (the contracts that define
// SegError are not loaded for `seg --version`).
class UsageProblem {
  readonly message: string;
  readonly details: Record<string, unknown>;
  constructor(message: string, details: Record<string, unknown>) {
    this.message = message;
    this.details = details;
  }
}

// Commander's own exits: help and version end the run cleanly; a parse error is a usage error, one line.
// `helpAsError`: commander wrote help to stderr, as it does when a command is missing.
function commanderExit(command: Command, error: CommanderError, helpAsError: boolean): never {
  const clean = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
  if (clean.includes(error.code) && !helpAsError) throw error;
  if (error.code === 'commander.help') {
    // `seg`, `seg bundle`, `seg help nosuch`.
    const path = [...ancestry(command)].join(' ');
    const names = command.commands.map((c) => c.name()).join(', ');
    throw new UsageProblem(`${path} needs a command: ${names} (${path} --help for usage)`, {
      command: path,
    });
  }
  const message = error.message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  throw new UsageProblem(message === '' ? `${command.name()}: invalid arguments` : message, {
    parser_code: error.code,
  });
}

function* ancestry(command: Command): Generator<string> {
  if (command.parent) yield* ancestry(command.parent);
  yield command.name();
}

/** Builds one top-level command of `seg`. */
type CommandFactory = (io: CliIo, global: () => GlobalOptions, setExit: (code: number) => void) => Command;

/**
 * A top-level command: what `seg --help` lists (its term and description) and how to build it, imported
 * only when it runs, so `seg --version` and `seg --help` load no command module.
 * `lazy-commands.test.ts` checks the terms and descriptions against the commands themselves.
 */
export interface LazyCommand {
  name: string;
  term: string;
  description: string;
  load: CommandFactory extends (...args: infer A) => unknown ? (...args: A) => Promise<Command> : never;
}

const remediation =
  (name: string) => async (io: CliIo, g: () => GlobalOptions, s: (code: number) => void) => {
    const { remediationCommands } = await import('../commands/remediation.command.ts');
    const command = remediationCommands(io, g, s).find((c) => c.name() === name);
    if (!command) throw new Error(`no remediation command ${name}`);
    return command;
  };

/** Every top-level command, in the order `seg --help` lists them. */
export const COMMANDS: readonly LazyCommand[] = [
  {
    name: 'scan',
    term: 'scan [options]',
    description: 'Scan a tenant: inventory, evaluate every control of the signed bundle, commit the findings',
    load: async (...a) => (await import('../commands/scan.command.ts')).scanCommand(...a),
  },
  {
    name: 'findings',
    term: 'findings [options]',
    description: "List a committed run's findings (the latest by default), or diff two runs",
    load: async (...a) => (await import('../commands/findings.command.ts')).findingsCommand(...a),
  },
  {
    name: 'report',
    term: 'report [options]',
    description: 'Write a report of a committed run: one self-contained HTML file with charts',
    load: async (...a) => (await import('../commands/report.command.ts')).reportCommand(...a),
  },
  {
    name: 'attest',
    term: 'attest',
    description: 'Work with run attestations (DSSE envelopes over in-toto)',
    load: async (...a) => (await import('../commands/attest.command.ts')).attestCommand(...a),
  },
  {
    name: 'verify',
    term: 'verify [options] <run-id>',
    description:
      "Verify a run's attestation and re-hash every table file and evidence blob it covers; names the first that differs",
    load: async (...a) => (await import('../commands/verify.command.ts')).verifyCommand(...a),
  },
  {
    name: 'bundle',
    term: 'bundle',
    description: 'Build, test, sign and verify policy bundles (SRG-001 layout)',
    load: async (...a) => (await import('../commands/bundle.command.ts')).bundleCommand(...a),
  },
  {
    name: 'lake',
    term: 'lake',
    description: 'Maintain the lakehouse: compact its tables, purge evidence past retention',
    load: async (...a) => (await import('../commands/lake.command.ts')).lakeCommand(...a),
  },
  {
    name: 'serve',
    term: 'serve [options]',
    description: 'Serve the API with an in-process worker (a laptop set-up: one command, no servers)',
    load: async (...a) => (await import('../commands/serve.command.ts')).serveCommand(...a),
  },
  {
    name: 'plan',
    term: 'plan [options] <finding-id>',
    description:
      'Plan the remediation of a failing AWS finding from its live config: steps, before/after diff, blast radius, risk',
    load: remediation('plan'),
  },
  {
    name: 'approve',
    term: 'approve [options] <plan-id>',
    description:
      'Record your approval of a plan, in a role, in its log (an approval names the exact plan by its digest)',
    load: remediation('approve'),
  },
  {
    name: 'apply',
    term: 'apply [options] <plan-id>',
    description:
      'Apply a plan: prints the dry-run diff and blast radius first; changes nothing without --yes',
    load: remediation('apply'),
  },
  {
    name: 'rollback',
    term: 'rollback [options] <plan-id>',
    description: 'Roll back an applied plan: restore the pre-state captured before each step changed it',
    load: remediation('rollback'),
  },
];

// The global options that take a value: their value is not a command name.
const VALUE_OPTIONS = new Set(['--config', '--tenant']);

/** The top-level command `argv` runs (`seg help <command>` names it second), or null. */
export function commandNameOf(argv: readonly string[]): string | null {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    if (VALUE_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith('-')) words.push(arg);
  }
  return words[0] === 'help' ? (words[1] ?? null) : (words[0] ?? null);
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
  // Only the command asked for is loaded (its module imports the engine); the others are listed by name.
  const wanted = commandNameOf(argv);
  for (const entry of COMMANDS) {
    program.addCommand(
      entry.name === wanted
        ? await entry.load(io, global, setExit)
        : new Command(entry.name).description(entry.description),
    );
  }
  program.configureHelp({
    subcommandTerm: (command) =>
      COMMANDS.find((c) => c.name === command.name())?.term ?? new Help().subcommandTerm(command),
  });
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
    // The error path alone loads the error renderer (and what it needs to word system errors).
    const [{ errorText }, { usageError }] = await Promise.all([
      import('./error-text.ts'),
      import('./usage-error.ts'),
    ]);
    const segError = error instanceof UsageProblem ? usageError(error.message, error.details) : error;
    io.stderr.write(errorText(segError, argv.includes('--verbose')));
    return EXIT_USAGE;
  }
}
