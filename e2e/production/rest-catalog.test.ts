// SEG on an Iceberg REST catalog (the Apache Iceberg REST fixture, a real JVM server), chosen only by
// SEG_CATALOG=rest:URL and driven through the `seg` executable: a scan is committed, listed, attested and
// verified offline, every pinned file is re-hashed, and pyiceberg then opens all seven tables through the
// same REST catalog. The fixture decides table locations (a folder of its own on this machine).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import { TABLE_NAMES, parseLossless } from '@neurocipher/seg-lakehouse';
import { startRestFixture, type RestServer } from '@neurocipher/seg-lakehouse/testing';
import { cleanEnv, segProcess } from './seg-process.ts';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '..', '..');
const PYTHON = process.env['SEG_PYTHON'] ?? join(repo, '.tools', 'venv', 'bin', 'python');
const ASSETS = 300;

describe('seg on an Iceberg REST catalog', () => {
  let rest: RestServer;
  let work: string;
  let env: Record<string, string>;
  const seg = (argv: string[]) => segProcess(work, env, argv);

  beforeAll(async () => {
    rest = await startRestFixture();
    work = mkdtempSync(join(tmpdir(), 'seg-rest-e2e-'));
    await writeSnapshotFile(join(work, 'tenant.ndjson'), generateDemoTenant({ assets: ASSETS }));
    const inherited = cleanEnv();
    env = {
      ...inherited,
      SEG_HOME: join(work, 'home'),
      SEG_TENANT: 'acme',
      SEG_BUNDLES_DIR: join(repo, 'bundles'),
      SEG_TRUSTED_KEYS: join(repo, 'tools', 'bundle', 'trusted-keys.json'),
      SEG_CATALOG: `rest:${rest.uri}`,
    };
  }, 180_000);

  afterAll(async () => {
    await rest?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('scans, lists, verifies, and pyiceberg reads every table through the same REST catalog', async () => {
    const scan = await seg([
      'scan',
      '--provider',
      'snapshot',
      '--snapshot',
      'tenant.ndjson',
      '--no-progress',
    ]);
    expect([scan.code, scan.err]).toEqual([0, '']);
    const line = (name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(scan.out)?.[1] ?? '';
    expect(line('catalog')).toBe(`rest:${rest.uri}`);
    const runId = /seg report --html --run (\S+)/.exec(scan.out)?.[1] ?? '';
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);

    const listed = await seg(['findings', '--format', 'json']);
    expect(listed.code).toBe(0);
    const { run: summary, findings } = JSON.parse(listed.out) as {
      run: { run_id: string; counts: Record<string, number> };
      findings: Array<{ result: string }>;
    };
    expect(summary.run_id).toBe(runId);
    expect(findings.length).toBe(Object.values(summary.counts).reduce((a, b) => a + b, 0));

    const verified = await seg([
      'attest',
      'verify',
      line('attestation'),
      '--key',
      line('public key'),
      '--run',
      runId,
    ]);
    expect([verified.code, verified.err]).toEqual([0, '']);
    const rehashed = await seg(['verify', runId]);
    expect([rehashed.code, rehashed.err]).toEqual([0, '']);
    expect(rehashed.out).toMatch(/checked: [1-9]\d* table files, [1-9]\d* evidence blobs/);

    const { stdout } = await run(
      PYTHON,
      [
        join(repo, 'packages', 'lakehouse', 'test', 'pyiceberg_read.py'),
        'rest',
        rest.uri,
        'seg',
        ...TABLE_NAMES,
      ],
      { maxBuffer: 256 * 1024 * 1024 },
    );
    const py = parseLossless(stdout) as Record<
      string,
      { row_count: number; per_org: Record<string, number> }
    >;
    expect(Object.keys(py).sort()).toEqual([...TABLE_NAMES].sort());
    expect(py['findings']?.row_count).toBe(findings.length);
    expect(py['findings']?.per_org).toEqual({ acme: findings.length });
    expect(py['assets']?.row_count).toBe(ASSETS);
    expect(py['runs']?.row_count).toBe(1);
    expect(py['attestations']?.row_count).toBe(1);
    expect(py['plans']?.row_count).toBe(0);
    // The catalog and its table files live with the REST server, not under the home.
    expect(existsSync(join(work, 'home', 'catalog.db'))).toBe(false);
    const warehouse = join(work, 'home', 'warehouse');
    expect(existsSync(warehouse) ? readdirSync(warehouse) : []).toEqual([]);
  });
});
