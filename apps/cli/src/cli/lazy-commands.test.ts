// `seg --version` and `seg --help` load no command module (nor the engine behind them): each top-level
// command is imported only when it runs. Proven on the module loads of a real `seg` process, and the
// help the command table prints is checked against the commands themselves.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Help } from 'commander';
import { COMMANDS, commandNameOf } from './run-cli.ts';

const cli = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'seg-loads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function loadsOf(argv: string[]): Promise<string[]> {
  const file = join(dir, `${argv.join('_') || 'none'}.txt`);
  await promisify(execFile)(
    process.execPath,
    ['--import', join(cli, 'src', 'testing', 'record-loads.ts'), join(cli, 'bin', 'seg.js'), ...argv],
    // The sources, whatever the state of dist/ (bin/seg.js runs a fresh build instead): the module names
    // below are the source files.
    { env: { ...process.env, SEG_RECORD_LOADS: file, SEG_CLI_FROM: 'source' } },
  );
  return readFileSync(file, 'utf8').split('\n');
}

const HEAVY = [
  /\/commands\/[a-z-]+\.command\.ts$/,
  /@aws-sdk|seg-adapter-aws|adapter-aws\/src/,
  /lakehouse\/src/,
  /inversify/,
  /runtime\/src/,
  /opa-wasm/,
];

describe('a fast start', () => {
  it.each([[['--version']], [['--help']], [['help']]])(
    'seg %j loads no command module and no engine part',
    async (argv) => {
      const loads = await loadsOf(argv);
      expect(loads.some((u) => u.endsWith('/src/cli/run-cli.ts'))).toBe(true);
      expect(loads.filter((u) => HEAVY.some((h) => h.test(u)))).toEqual([]);
    },
  );

  it('seg findings --help loads the findings command only', async () => {
    const commands = (await loadsOf(['findings', '--help'])).filter((u) =>
      /\/commands\/[a-z-]+\.command\.ts$/.test(u),
    );
    expect(commands.map((u) => u.replace(/^.*\/commands\//, ''))).toEqual(['findings.command.ts']);
  });

  it('lists every command with the term and description the command itself has', async () => {
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: dir };
    const help = new Help();
    for (const entry of COMMANDS) {
      const command = await entry.load(
        io,
        () => ({}),
        () => undefined,
      );
      expect([command.name(), help.subcommandTerm(command), command.description()]).toEqual([
        entry.name,
        entry.term,
        entry.description,
      ]);
    }
  });

  it('finds the command past global options and their values', () => {
    expect(commandNameOf(['--tenant', 'scan', '--verbose', 'findings', '--run', 'x'])).toBe('findings');
    expect(commandNameOf(['--config', 'c.json', 'help', 'plan'])).toBe('plan');
    expect(commandNameOf(['--version'])).toBeNull();
    expect(commandNameOf(['--', 'scan'])).toBeNull();
  });
});
