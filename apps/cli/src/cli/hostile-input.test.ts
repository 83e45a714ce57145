import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DEMO_CAPTURED_AT,
  generateDemoTenant,
  serializeSnapshotRecord,
} from '@neurocipher/seg-adapter-snapshot';
import type { SnapshotRecord } from '@neurocipher/seg-adapter-snapshot';
import type { Finding } from '@neurocipher/seg-contracts';
import { runSeg } from '../testing/run-seg.ts';
import type { SegRun } from '../testing/run-seg.ts';
import { terminalControls } from '../testing/terminal-controls.ts';

// Hostile input, one clear line: terminal output escapes control characters of the data, usage and file
// errors are one `seg: <CODE>: <message>` line with exit 2, the snapshot reader refuses what it cannot
// read exactly, and every start check runs before any work.
const repo = resolve(import.meta.dirname, '..', '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'seg-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seg = (argv: string[], env: Record<string, string> = {}): Promise<SegRun> => runSeg(dir, argv, env);

// ESC sequences (set the window title, colour, clear), a C1 CSI, a bidi override and a newline.
const HOSTILE = 'x\u001b]0;owned\u0007\u001b[31m\u009b2J\u202eevil\ntail';
const HOSTILE_URN = `urn:asset:aws:bucket:${HOSTILE.replace('\n', '')}`;
const ONE_LINE = /^seg: SEG_[A-Z_]+: [^\n]+\n$/;

const snapshot = join(dir, 'tenant.ndjson');
const scan = (extra: string[] = [], env: Record<string, string> = {}): Promise<SegRun> =>
  seg(
    [
      'scan',
      '--provider',
      'snapshot',
      '--snapshot',
      snapshot,
      '--now',
      DEMO_CAPTURED_AT,
      '--no-progress',
      ...extra,
    ],
    env,
  );

function hostileBucket(records: SnapshotRecord[]): SnapshotRecord {
  const bucket = structuredClone(records.find((r) => r.asset.kind === 'bucket') as SnapshotRecord);
  bucket.asset.ref.urn = HOSTILE_URN;
  bucket.asset.name = HOSTILE;
  for (const config of bucket.configs) {
    config.asset.urn = HOSTILE_URN;
    config.body['name'] = HOSTILE;
    // Failing, so that SARIF (non-passing findings only) quotes it too.
    config.body['public_access_block'] = {
      block_public_acls: false,
      ignore_public_acls: false,
      block_public_policy: false,
      restrict_public_buckets: false,
    };
  }
  return bucket;
}

beforeAll(() => {
  writeFileSync(
    join(dir, 'seg.config.json'),
    JSON.stringify({
      bundles_dir: join(repo, 'bundles'),
      trusted_keys: join(repo, 'tools/bundle/trusted-keys.json'),
      bundle: 'cis-aws-foundations',
    }),
  );
  const records = [...generateDemoTenant({ assets: 30 })];
  writeFileSync(
    snapshot,
    [...records, hostileBucket(records)].map(serializeSnapshotRecord).join('\n') + '\n',
  );
  mkdirSync(join(dir, 'a-dir'));
  writeFileSync(join(dir, 'a-file'), 'not a folder');
});

describe('seg on hostile input', () => {
  describe('terminal output', () => {
    let findings: Finding[] = [];

    beforeAll(async () => {
      const first = await scan();
      expect(first.err).toBe('');
      expect(first.code).toBe(0);
      findings = (JSON.parse((await seg(['findings', '--format', 'json'])).out) as { findings: Finding[] })
        .findings;
    });

    it('the scan summary and seg findings --format table|summary print no control character of the data', async () => {
      expect(findings.filter((f) => f.asset.urn === HOSTILE_URN).length).toBeGreaterThan(0);
      for (const run of [
        await scan(['--no-commit']),
        await seg(['findings']),
        await seg(['findings', '--format', 'summary']),
      ]) {
        expect(run.code).toBe(0);
        expect(terminalControls(run.out)).toEqual([]);
      }
      const table = (await seg(['findings', '--format', 'table'])).out;
      // The asset cell (cut at 60 characters) and the message quote the data escaped.
      expect(table).toContain('urn:asset:aws:bucket:x\\x1b]0;owned\\x07\\x1b[31m\\x9b2J\\u202ee…');
      expect(table).toContain('bucket x\\x1b]0;owned\\x07\\x1b[31m\\x9b2J\\u202eevil tail');
      // One row per finding: a newline in the data does not start a line of its own.
      expect(table.trimEnd().split('\n')).toHaveLength(findings.length + 1);
    });

    it('the machine formats keep the data exact', async () => {
      const json = JSON.parse((await seg(['findings', '--format', 'json'])).out) as { findings: Finding[] };
      expect(json.findings.some((f) => f.asset.urn === HOSTILE_URN)).toBe(true);
      expect((await seg(['findings', '--format', 'csv'])).out).toContain(`,${HOSTILE_URN},`);
      expect((await seg(['findings', '--format', 'sarif'])).out).toContain(
        JSON.stringify(HOSTILE_URN).slice(1, -1),
      );
    });

    it('an error line escapes the data it quotes', async () => {
      const r = await seg(['findings', '--run', HOSTILE]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(ONE_LINE);
      expect(terminalControls(r.err)).toEqual([]);
      expect(r.err).toContain(
        'run x\\x1b]0;owned\\x07\\x1b[31m\\x9b2J\\u202eevil\\ntail is not a committed run',
      );
    });
  });

  describe('usage errors', () => {
    it.each([
      ['an unknown option', ['findings', '--bogus'], "unknown option '--bogus'"],
      ['an unknown command', ['nosuch'], "unknown command 'nosuch'"],
      [
        'a bad choice',
        ['findings', '--format', 'xml'],
        "option '--format <format>' argument 'xml' is invalid",
      ],
      ['a missing required option', ['scan'], "required option '--provider <provider>' not specified"],
      ['a missing argument', ['attest', 'verify', '--key', 'k.pub'], "missing required argument 'file'"],
      [
        'excess arguments',
        ['attest', 'verify', 'a', 'b', '--key', 'k.pub'],
        "too many arguments for 'verify'",
      ],
      [
        'an option without its value',
        ['findings', '--format'],
        "option '--format <format>' argument missing",
      ],
      ['no command', [], 'seg needs a command: scan, findings'],
      ['no subcommand', ['bundle'], 'seg bundle needs a command: build, sign, verify, test'],
    ])('%s is one line seg: SEG_INVALID_ARGUMENT: …, exit 2', async (_, argv, message) => {
      const r = await seg(argv);
      expect(r).toMatchObject({ code: 2, out: '' });
      expect(r.err).toMatch(ONE_LINE);
      expect(r.err.startsWith(`seg: SEG_INVALID_ARGUMENT: ${message}`)).toBe(true);
    });

    it('--help, help <command> and --version still print and exit 0', async () => {
      for (const argv of [['--help'], ['help', 'scan'], ['scan', '--help'], ['--version']]) {
        const r = await seg(argv);
        expect(r).toMatchObject({ code: 0, err: '' });
        expect(r.out).not.toBe('');
      }
    });
  });

  describe('snapshot input', () => {
    const scanOf = (file: string, env: Record<string, string> = {}): Promise<SegRun> =>
      seg(['scan', '--provider', 'snapshot', '--snapshot', file, '--no-commit', '--no-progress'], env);

    it('ends /dev/zero at once with SEG_SCHEMA_VIOLATION naming line 1, exit 2', async () => {
      expect(await scanOf('/dev/zero')).toEqual({
        code: 2,
        out: '',
        err: 'seg: SEG_SCHEMA_VIOLATION: snapshot line 1 holds a NUL byte: not an NDJSON text\n',
      });
    });

    it('refuses a line over snapshot_max_line_bytes (config key or SEG_SNAPSHOT_MAX_LINE_BYTES)', async () => {
      const config = join(dir, 'small-lines.json');
      writeFileSync(config, JSON.stringify({ snapshot_max_line_bytes: 1000 }));
      const lines = readFileSync(snapshot, 'utf8').split('\n');
      const long = lines.findIndex((l) => Buffer.byteLength(l) > 1000) + 1;
      expect(long).toBeGreaterThan(0);
      const expected = {
        code: 2,
        out: '',
        err: `seg: SEG_SCHEMA_VIOLATION: snapshot line ${long} is longer than 1000 bytes (the snapshot line limit)\n`,
      };
      expect(
        await seg([
          '--config',
          config,
          'scan',
          '--provider',
          'snapshot',
          '--snapshot',
          snapshot,
          '--no-commit',
        ]),
      ).toEqual(expected);
      expect(await scanOf(snapshot, { SEG_SNAPSHOT_MAX_LINE_BYTES: '1000' })).toEqual(expected);
    });

    it('refuses non-UTF-8 bytes naming the line, instead of two assets colliding as U+FFFD', async () => {
      const [a] = generateDemoTenant({ assets: 6 });
      const line = (byte: number): Buffer => {
        const r = structuredClone(a as SnapshotRecord);
        r.asset.ref.urn = `${r.asset.ref.urn}-@`;
        for (const c of r.configs) c.asset.urn = r.asset.ref.urn;
        const [head, tail] = serializeSnapshotRecord(r).split('@') as [string, string];
        return Buffer.concat([Buffer.from(head), Buffer.from([byte]), Buffer.from(`${tail}\n`)]);
      };
      const file = join(dir, 'latin1.ndjson');
      writeFileSync(file, Buffer.concat([line(0xfe), line(0xff)]));
      expect(await scanOf(file)).toEqual({
        code: 2,
        out: '',
        err: 'seg: SEG_SCHEMA_VIOLATION: snapshot line 1 is not valid UTF-8\n',
      });
    });
  });

  describe('file errors', () => {
    beforeAll(async () => {
      expect((await scan(['--no-attest'])).code).toBe(0);
    });

    const path = (name: string): string => join(dir, name);
    it.each<[string, string[], Record<string, string>, string, RegExp]>([
      ['the config file', ['--config', 'a-dir', 'findings'], {}, 'a-dir', /config file .* \(EISDIR\)/],
      [
        'the snapshot',
        ['scan', '--provider', 'snapshot', '--snapshot', 'a-dir', '--no-commit'],
        {},
        'a-dir',
        /^seg: SEG_ADAPTER_UNAVAILABLE: snapshot file cannot be read: .* \(EISDIR\)/,
      ],
      [
        'the trusted keys',
        ['scan', '--provider', 'snapshot', '--snapshot', snapshot, '--no-commit'],
        { SEG_TRUSTED_KEYS: 'a-dir' },
        'a-dir',
        /trusted keys file .* \(EISDIR\)/,
      ],
      [
        'the signing key',
        ['scan', '--provider', 'snapshot', '--snapshot', snapshot, '--no-progress'],
        { SEG_SIGNING_KEY: 'a-dir' },
        'a-dir',
        /signing key .* \(EISDIR\)/,
      ],
      [
        'the bundles folder',
        ['scan', '--provider', 'snapshot', '--snapshot', snapshot, '--no-commit'],
        { SEG_BUNDLES_DIR: 'a-file' },
        'a-file',
        /^seg: SEG_POLICY_LOAD_FAILED: bundle root /,
      ],
      ['a bundle folder', ['bundle', 'verify', 'a-file'], {}, 'a-file', /is not a bundle folder/],
      ['the report --out', ['report', '--html', '--out', 'a-dir'], {}, 'a-dir', /report .* \(EISDIR\)/],
      [
        'the folder of --out',
        ['report', '--html', '--out', 'a-file/r.html'],
        {},
        'a-file',
        /folder of the report .* cannot be created: .* \(EEXIST\)/,
      ],
      [
        'the catalog folder',
        ['findings'],
        { SEG_CATALOG: 'sqlite:a-file/catalog.db' },
        'a-file',
        /catalog folder .* cannot be created/,
      ],
      [
        'the envelope',
        ['attest', 'verify', 'a-dir', '--key', 'a-dir'],
        {},
        'a-dir',
        /envelope .* \(EISDIR\)/,
      ],
    ])('%s: one line with a SEG code and the path, exit 2', async (_, argv, env, name, expected) => {
      const r = await seg(argv, env);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(ONE_LINE);
      expect(r.err).toContain(path(name));
      expect(r.err).toMatch(expected);
    });
  });

  describe('start checks', () => {
    it.each(['1', '2026-11-01', '2026-11-01T00:00:00', '2026-02-30T00:00:00Z'])(
      '--now %s is refused before the inventory',
      async (now) => {
        // A snapshot that does not exist: only a check before any work can answer first.
        const r = await seg(['scan', '--provider', 'snapshot', '--snapshot', 'missing.ndjson', '--now', now]);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(ONE_LINE);
        expect(r.err).toMatch(
          /^seg: SEG_INVALID_ARGUMENT: --now must be an RFC 3339 date-time with an offset/,
        );
      },
    );

    it('--now takes an RFC 3339 date-time with an offset', async () => {
      for (const now of ['2026-11-01T00:00:00Z', '2026-11-01T02:00:00+02:00']) {
        expect(
          (
            await seg([
              'scan',
              '--provider',
              'snapshot',
              '--snapshot',
              snapshot,
              '--now',
              now,
              '--no-commit',
              '--no-progress',
            ])
          ).code,
        ).toBe(0);
      }
    });

    it('refuses an unknown key inside the aws block, naming it', async () => {
      const config = join(dir, 'aws-typo.json');
      writeFileSync(config, JSON.stringify({ aws: { regions: ['us-east-1'], acounts: ['123456789012'] } }));
      const r = await seg(['--config', config, 'findings']);
      expect(r.code).toBe(2);
      expect(r.err).toBe('seg: SEG_INVALID_ARGUMENT: invalid config: aws: Unrecognized key: "acounts"\n');
    });

    it('refuses a bundle reference outside the grammar before the inventory', async () => {
      const r = await seg([
        'scan',
        '--provider',
        'snapshot',
        '--snapshot',
        'missing.ndjson',
        '--bundle',
        'cis-aws-foundations@1.0.0@x',
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /^seg: SEG_INVALID_ARGUMENT: invalid config: bundle: must be <id> or <id>@<version>/,
      );
      const pinned = await scan(['--bundle', 'cis-aws-foundations@1.0.0', '--no-commit']);
      expect(pinned.code).toBe(0);
    });

    it('refuses a tenant id with a / at config load, not at commit', async () => {
      const r = await seg([
        '--tenant',
        'acme/prod',
        'scan',
        '--provider',
        'snapshot',
        '--snapshot',
        'missing.ndjson',
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(
        'seg: SEG_INVALID_ARGUMENT: invalid config: tenant: must be 1 to 128 of A-Z a-z 0-9 . _ - starting with a letter or digit\n',
      );
    });
  });

  describe('error lines', () => {
    it("never print a URI's user info, with or without --verbose", async () => {
      const env = { SEG_CATALOG: 'postgres://seg:hunter2@db.example.test:5432/seg?sslpassword=s3cret' };
      for (const argv of [['findings'], ['--verbose', 'findings']]) {
        const r = await seg(argv, env);
        expect(r.code).toBe(2);
        expect(r.err).not.toContain('hunter2');
        expect(r.err).not.toContain('s3cret');
      }
      // The config refuses a catalog URI that holds a password at all: it belongs in PGPASSWORD.
      expect((await seg(['--verbose', 'findings'], env)).err).toContain(
        'invalid config: catalog: must not hold a password: give it in PGPASSWORD',
      );
    });

    it('turn an error that is no SegError into SEG_INTERNAL, one line, no stack even with --verbose', async () => {
      writeFileSync(join(dir, 'garbage.db'), Buffer.alloc(4096, 0x5a));
      const env = { SEG_CATALOG: 'sqlite:garbage.db' };
      expect(await seg(['findings'], env)).toEqual({
        code: 2,
        out: '',
        err: 'seg: SEG_INTERNAL: file is not a database\n',
      });
      const verbose = await seg(['--verbose', 'findings'], env);
      expect(verbose.code).toBe(2);
      for (const line of verbose.err.trimEnd().split('\n')) {
        expect(line).toMatch(/^(seg: SEG_INTERNAL: .+| {2}(details|cause|retryable): .+)$/);
      }
      expect(verbose.err).not.toMatch(/^\s+at /m);
    });

    it('--verbose prints the causes of a SegError without their stack', async () => {
      const r = await seg(['--verbose', '--config', 'missing.json', 'findings']);
      expect(r.code).toBe(2);
      expect(r.err).toContain('  cause: Error: ENOENT: no such file or directory');
      expect(r.err).not.toMatch(/^\s+at /m);
    });
  });
});
