import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DEMO_CAPTURED_AT,
  generateDemoTenant,
  serializeSnapshotRecord,
  writeSnapshotFile,
} from '@neurocipher/seg-adapter-snapshot';
import type { SnapshotRecord } from '@neurocipher/seg-adapter-snapshot';
import type { Finding } from '@neurocipher/seg-contracts';
import { runSeg } from '../testing/run-seg.ts';
import type { SegRun } from '../testing/run-seg.ts';

const repo = resolve(import.meta.dirname, '..', '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'seg-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The committed, signed CIS AWS Foundations bundle (25 controls over every demo kind).
const BUNDLE = 'cis-aws-foundations';

const seg = (...argv: string[]): Promise<SegRun> => runSeg(dir, argv);

const commands = [
  ['scan'],
  ['findings'],
  ['report'],
  ['attest', 'verify'],
  ['bundle', 'build'],
  ['bundle', 'test'],
  ['bundle', 'sign'],
  ['bundle', 'verify'],
  ['plan'],
  ['apply'],
  ['rollback'],
];

describe('seg', () => {
  beforeAll(() => {
    writeFileSync(
      join(dir, 'seg.config.json'),
      JSON.stringify({
        bundles_dir: join(repo, 'bundles'),
        trusted_keys: join(repo, 'tools/bundle/trusted-keys.json'),
        bundle: BUNDLE,
      }),
    );
  });

  describe('--help', () => {
    it.each(commands)('%s %s has a description and an example, exit 0', async (...words) => {
      const { code, out } = await seg(...words.filter(Boolean), '--help');
      expect(code).toBe(0);
      expect(out).toContain('Usage: seg');
      expect(out).toContain('Example:');
    });
  });

  describe('usage and config errors', () => {
    it('exits 2 for an unknown option or a bad choice', async () => {
      expect((await seg('scan', '--provider', 'gcp')).code).toBe(2);
      expect((await seg('findings', '--bogus')).code).toBe(2);
      const missing = await seg('scan', '--provider', 'snapshot');
      expect(missing).toMatchObject({
        code: 2,
        err: 'seg: SEG_INVALID_ARGUMENT: --provider snapshot needs --snapshot <file>\n',
      });
    });

    it('exits 2 with one line for an invalid config, with details under --verbose', async () => {
      const bad = await seg('--config', 'nope.json', 'findings');
      expect(bad.code).toBe(2);
      expect(bad.err.trim().split('\n')).toHaveLength(1);
      const verbose = await seg('--config', 'nope.json', '--verbose', 'findings');
      expect(verbose.err.split('\n').length).toBeGreaterThan(2);
      expect(verbose.err).toContain('cause:');
    });

    it('says clearly what is missing or malformed, exit 2', async () => {
      const aws = await seg('scan', '--provider', 'aws');
      expect(aws.code).toBe(2);
      expect(aws.err).toMatch(/^seg: SEG_INVALID_ARGUMENT: --provider aws needs the accounts to scan/);
      for (const words of [
        ['plan', 'x'],
        ['apply', 'x', '--yes'],
        ['rollback', 'x'],
      ]) {
        const r = await seg(...words);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/^seg: SEG_INVALID_ARGUMENT: (finding|plan) id "x" is not a UUID.*\n$/);
      }
    });

    it('reports a missing snapshot as SEG_ADAPTER_UNAVAILABLE, exit 2', async () => {
      const r = await seg('scan', '--provider', 'snapshot', '--snapshot', 'missing.ndjson', '--no-progress');
      expect(r.code).toBe(2);
      expect(r.err).toContain('SEG_ADAPTER_UNAVAILABLE: snapshot file not found');
    });
  });

  describe('golden runs over the demo tenant', () => {
    const tenant = join(dir, 'tenant.ndjson');
    let records: SnapshotRecord[];
    const scan = (...extra: string[]): Promise<SegRun> =>
      seg(
        'scan',
        '--provider',
        'snapshot',
        '--snapshot',
        tenant,
        '--now',
        DEMO_CAPTURED_AT,
        '--no-progress',
        ...extra,
      );
    const runIdOf = (out: string): string => /^run: (\S+)/m.exec(out)?.[1] as string;
    const findingsOf = async (run: string): Promise<Finding[]> =>
      (JSON.parse((await seg('findings', '--run', run, '--format', 'json')).out) as { findings: Finding[] })
        .findings;
    const key = (f: Finding): string => `${f.fingerprint} ${f.result}`;
    let first = '';
    let second = '';

    beforeAll(async () => {
      records = [...generateDemoTenant({ assets: 400 })];
      await writeSnapshotFile(tenant, records);
    });

    it('scans, commits and prints the summary with the catalog line; same fingerprints and results twice', async () => {
      const a = await scan();
      expect(a.err).toBe('');
      expect(a.out).toMatch(/^findings: \d+ over \d+ assets and 25 controls$/m);
      expect(a.out).toMatch(/^catalog: sqlite:.*catalog\.db$/m);
      // Signed, published to the local log and the attestations folder, verifiable with the printed key.
      const envelope = /^attestation: (.+)$/m.exec(a.out)?.[1] as string;
      const pubKey = /^public key: (.+)$/m.exec(a.out)?.[1] as string;
      expect(a.out).toMatch(/^transparency log: https:\/\/seg\.local\/tlog\/entries\/0$/m);
      const verified = await seg('attest', 'verify', envelope, '--key', pubKey);
      expect(verified.code).toBe(0);
      expect(verified.out).toContain('predicate: https://neurocipher.io/seg/attestation/evaluation-run/v1');
      const b = await scan();
      first = runIdOf(a.out);
      second = runIdOf(b.out);
      expect(first).not.toBe(second);
      const fa = (await findingsOf(first)).map(key).sort();
      const fb = (await findingsOf(second)).map(key).sort();
      expect(fa.length).toBeGreaterThan(50);
      expect(fb).toEqual(fa);
      expect(fa.some((k) => k.endsWith(' fail'))).toBe(true);
    });

    it('exits 1 when failing findings reach --fail-on, 0 below it', async () => {
      const failing = (await findingsOf(first)).filter((f) => f.result === 'fail');
      const order = ['critical', 'high', 'medium', 'low', 'info'];
      const reaches = (threshold: string): boolean =>
        failing.some((f) => order.indexOf(f.severity) <= order.indexOf(threshold));
      expect(reaches('info')).toBe(true);
      for (const threshold of ['critical', 'high', 'info']) {
        expect((await scan('--fail-on', threshold, '--no-commit')).code).toBe(reaches(threshold) ? 1 : 0);
      }
      expect((await scan('--fail-on', 'none', '--no-commit')).code).toBe(0);
    });

    it('after one asset changes, findings --diff shows exactly that change', async () => {
      const index = records.findIndex(
        (r) =>
          r.asset.kind === 'iam-access-key' &&
          Date.parse(String(r.configs[0]?.body['create_date'])) > Date.parse('2026-09-01T00:00:00Z'),
      );
      expect(index).toBeGreaterThanOrEqual(0);
      const changed = structuredClone(records[index]!);
      changed.configs[0]!.body['create_date'] = '2024-01-01T00:00:00Z';
      const lines = records.map((r, i) => serializeSnapshotRecord(i === index ? changed : r));
      writeFileSync(tenant, lines.join('\n') + '\n');
      const third = runIdOf((await scan()).out);
      const diff = await seg('findings', '--diff', second, third, '--format', 'json');
      expect(diff.code).toBe(0);
      const parsed = JSON.parse(diff.out) as {
        new: unknown[];
        changed: Array<{ before: { finding: Finding }; after: { finding: Finding } }>;
        resolved: unknown[];
      };
      expect(parsed.new).toHaveLength(0);
      expect(parsed.resolved).toHaveLength(0);
      expect(parsed.changed).toHaveLength(1);
      expect(parsed.changed[0]!.after.finding.asset.urn).toBe(changed.asset.ref.urn);
      expect(parsed.changed[0]!.before.finding.result).toBe('pass');
      expect(parsed.changed[0]!.after.finding.result).toBe('fail');
      const text = await seg('findings', '--diff', second, third);
      expect(text.out).toContain('0 new, 1 changed, 0 resolved');
    });

    it('prints the latest run as table, csv, sarif and ocsf, and writes the HTML report', async () => {
      const table = await seg('findings', '--format', 'table');
      expect(table.out.split('\n')[0]).toMatch(/^SEVERITY\s+RESULT\s+CONTROL/);
      const csv = await seg('findings', '--format', 'csv');
      expect(csv.out.split('\r\n')[0]).toMatch(/^finding_id,run_id,control_id/);
      const sarif = JSON.parse((await seg('findings', '--format', 'sarif')).out) as { version: string };
      expect(sarif.version).toBe('2.1.0');
      const ocsf = JSON.parse((await seg('findings', '--format', 'ocsf')).out) as Array<{
        class_uid: number;
      }>;
      expect(ocsf.every((e) => e.class_uid === 2003)).toBe(true);
      const report = await seg('report', '--html', '--out', 'r.html');
      expect(report.code).toBe(0);
      const html = readFileSync(join(dir, 'r.html'), 'utf8');
      expect(html).toContain('data-chart="trend"');
      expect((html.match(/<circle/g) ?? []).length).toBe(9);
    });
  });

  describe('bundle', () => {
    it('verifies the signed bundle and runs its vectors', async () => {
      const verify = await seg('bundle', 'verify', join(repo, 'bundles', BUNDLE));
      expect(verify).toMatchObject({ code: 0 });
      expect(verify.out).toMatch(/^verified: cis-aws-foundations@/);
      const test = await seg('bundle', 'test', join(repo, 'bundles', BUNDLE));
      expect(test.code).toBe(0);
      expect(test.out).toMatch(/^\d+ passed, 0 failed$/m);
    });
  });
});
