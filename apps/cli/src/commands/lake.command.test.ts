import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DEMO_CAPTURED_AT, generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import { openEmbeddedLakehouse } from '@neurocipher/seg-lakehouse';
import { runSeg } from '../testing/run-seg.ts';

const repo = resolve(import.meta.dirname, '..', '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'seg-lake-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seg = (...argv: string[]) => runSeg(dir, argv);

async function scan(seed: string): Promise<void> {
  const tenant = join(dir, `${seed}.ndjson`);
  await writeSnapshotFile(tenant, generateDemoTenant({ assets: 60, seed }));
  const r = await seg('scan', '--provider', 'snapshot', '--snapshot', tenant, '--now', DEMO_CAPTURED_AT);
  expect(r).toMatchObject({ code: 0 });
}

// The blobs the lakehouse's rows reference, split by when the referencing row was committed.
async function referencedHashes(): Promise<{ old: Set<string>; recent: Set<string> }> {
  const lake = openEmbeddedLakehouse({ root: join(dir, '.seg') });
  try {
    const out = { old: new Set<string>(), recent: new Set<string>() };
    for (const r of await lake.store.evidenceReferences())
      (r.committed_at < '2025-01-01' ? out.old : out.recent).add(r.hash);
    return out;
  } finally {
    await lake.close();
  }
}

// Two scans of different tenants' assets under one org on one day: one committed two years ago (only
// the clock is faked; timers run), one now.
describe('seg lake compact | purge', () => {
  let refs: { old: Set<string>; recent: Set<string> };

  beforeAll(async () => {
    writeFileSync(
      join(dir, 'seg.config.json'),
      JSON.stringify({
        bundles_dir: join(repo, 'bundles'),
        trusted_keys: join(repo, 'tools/bundle/trusted-keys.json'),
      }),
    );
    jest.useFakeTimers({
      now: new Date('2024-06-01T00:00:00Z'),
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    try {
      await scan('old-tenant');
    } finally {
      jest.useRealTimers();
    }
    await scan('new-tenant');
    refs = await referencedHashes();
    expect(refs.old.size).toBeGreaterThan(0);
    expect(refs.recent.size).toBeGreaterThan(0);
  });

  it('compacts the two runs’ files into one per partition, then has nothing left to do', async () => {
    const read = async () => {
      const r = await seg('findings', '--format', 'json');
      expect(r.code).toBe(0);
      return JSON.parse(r.out) as unknown;
    };
    const before = await read();
    const first = await seg('lake', 'compact', '--format', 'json');
    expect(first.code).toBe(0);
    const { compacted } = JSON.parse(first.out) as { compacted: { table: string; files_added: number }[] };
    expect(compacted).toEqual(
      expect.arrayContaining([
        { table: 'findings', files_added: 1, files_removed: 2, rows_removed: 0, runs_removed: [] },
      ]),
    );
    expect(await read()).toEqual(before);
    const again = await seg('lake', 'compact');
    expect(again).toMatchObject({
      code: 0,
      out:
        'compacted: nothing (every partition is one data file)\n' +
        'dead runs: removed 0 row(s) of 0 run(s) without a runs row older than 1h\n',
    });
  });

  it('purges only evidence whose every reference is past retention, after a dry run', async () => {
    const expired = [...refs.old].filter((h) => !refs.recent.has(h));
    const stored = () => readdirSync(join(dir, '.seg', 'blobs'), { recursive: true }).sort();
    const before = stored();
    const dry = await seg('lake', 'purge', '--dry-run', '--format', 'json');
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.out) as { dry_run: boolean; deleted: string[]; repacked: number };
    expect(planned.dry_run).toBe(true);
    expect(planned.deleted.sort()).toEqual(expired.sort());
    expect(stored()).toEqual(before);

    const real = await seg('lake', 'purge');
    expect(real.code).toBe(0);
    const lines = real.out.trimEnd().split('\n');
    expect(lines.length).toBe(1 + Math.min(expired.length, 20) + (expired.length > 20 ? 1 : 0));
    expect(real.out.split('\n')[0]).toMatch(
      new RegExp(`^purge: deleted ${expired.length} evidence blob\\(s\\)`),
    );
    const lake = openEmbeddedLakehouse({ root: join(dir, '.seg') });
    try {
      expect((await lake.evidence.missing(expired)).sort()).toEqual([...expired].sort());
      expect(await lake.evidence.missing(refs.recent)).toEqual([]);
      for (const h of refs.recent) await expect(lake.evidence.get(h)).resolves.toBeDefined();
    } finally {
      await lake.close();
    }
    const again = JSON.parse((await seg('lake', 'purge', '--format', 'json')).out) as { deleted: string[] };
    expect(again.deleted).toEqual([]);
  });

  it('rejects an unknown subcommand, and a folder without a lakehouse, creating nothing', async () => {
    expect((await seg('lake', 'vacuum')).code).toBe(2);
    const empty = mkdtempSync(join(tmpdir(), 'seg-lake-empty-'));
    try {
      const { code, err } = await runSeg(empty, ['lake', 'compact']);
      expect(code).toBe(2);
      expect(err).toMatch(/^seg: SEG_NOT_FOUND: no lakehouse catalog at .*catalog\.db: run seg scan first/);
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
