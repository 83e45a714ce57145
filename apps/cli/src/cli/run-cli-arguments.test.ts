import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { runSeg } from '../testing/run-seg.ts';

// Random command lines, from seg's own words and flags mixed with arbitrary text: whatever the
// arguments, seg answers with its exit codes and, on stderr, nothing or `seg: SEG_<CODE>: <message>`
// lines only (no stack trace, no parser text). The folder holds no config, bundle or snapshot, so a
// command line that reaches real work (a scan, a plan) fails fast.
const dir = mkdtempSync(join(tmpdir(), 'seg-args-'));
mkdirSync(join(dir, 'a-dir'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WORDS = [
  'scan',
  'findings',
  'report',
  'attest',
  'verify',
  'bundle',
  'build',
  'sign',
  'test',
  'lake',
  'compact',
  'purge',
  'plan',
  'apply',
  'rollback',
  'help',
];
const FLAGS = [
  '--provider',
  '--snapshot',
  '--profile',
  '--regions',
  '--accounts',
  '--bundle',
  '--fail-on',
  '--now',
  '--format',
  '--no-commit',
  '--no-attest',
  '--no-progress',
  '--run',
  '--diff',
  '--html',
  '--out',
  '--key',
  '--reproduce',
  '--dry-run',
  '--set',
  '--yes',
  '--role',
  '--now',
  '--config',
  '--tenant',
  '--help',
  '-h',
  '--version',
  '-V',
  '--bogus',
  '-x',
  '--',
  '-',
];
const VALUES = [
  'snapshot',
  'aws',
  'gcp',
  'table',
  'json',
  'csv',
  'summary',
  'text',
  'high',
  'none',
  '2026-11-01T00:00:00Z',
  '2026-11-01',
  '1',
  '',
  'missing.ndjson',
  '/dev/null',
  '/dev/zero',
  'a-dir',
  'acme/prod',
  'cis-aws-foundations@1.0.0@x',
  'access_log_bucket=x',
  'postgres://seg:hunter2@db.example.test/seg',
  '\u001b[2J\u009b\u202e',
];
const word = fc.oneof(
  { arbitrary: fc.constantFrom(...WORDS, ...FLAGS, ...VALUES), weight: 6 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...FLAGS), fc.constantFrom(...VALUES))
      .map(([flag, value]) => `${flag}=${value}`),
    weight: 1,
  },
);
const value = fc.oneof(fc.constantFrom(...VALUES), fc.string({ unit: 'grapheme', maxLength: 12 }));
// A command that parses, with options and values around it: reaches the commands' own checks.
const COMMANDS = [
  ['scan', '--provider', 'snapshot', '--snapshot'],
  ['scan', '--provider', 'aws', '--accounts'],
  ['findings', '--run'],
  ['findings', '--diff'],
  ['report', '--html', '--out'],
  ['attest', 'verify', '--key'],
  ['bundle', 'verify'],
  ['bundle', 'test'],
  ['lake', 'purge', '--format'],
  ['plan'],
  ['apply', '--now'],
  ['approve', '--role'],
];
const commandLine = fc
  .tuple(
    fc.constantFrom(...COMMANDS),
    value,
    fc.array(
      fc.tuple(fc.constantFrom(...FLAGS.filter((f) => !/^(-h|--help|-V|--version)$/.test(f))), value),
      {
        maxLength: 3,
      },
    ),
  )
  .map(([command, first, rest]) => [...command, first, ...rest.flat()]);
const LINE = /^seg: SEG_[A-Z_]+: .+$/;

describe('runCli', () => {
  it('answers any command line with exit 0, 1 or 2 and only seg: SEG_<CODE>: lines on stderr (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.array(word, { maxLength: 8 }), commandLine).filter((argv) => !argv.includes('--verbose')),
        async (argv) => {
          const { code, err } = await runSeg(dir, argv);
          expect([0, 1, 2]).toContain(code);
          if (err !== '') {
            expect(err.endsWith('\n')).toBe(true);
            for (const line of err.slice(0, -1).split('\n')) expect(line).toMatch(LINE);
          }
          expect(err).not.toContain('hunter2');
        },
      ),
      { numRuns: 300 },
    );
  });
});
