import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DEMO_CAPTURED_AT, generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import type { Finding, RunSummary } from '@neurocipher/seg-contracts';
import { IcebergTable, LocalFileIO, fileUri, openEmbeddedLakehouse } from '@neurocipher/seg-lakehouse';
import type { TableName } from '@neurocipher/seg-lakehouse';
import { runSeg } from '../testing/run-seg.ts';

const repo = resolve(import.meta.dirname, '..', '..', '..', '..');

// A home with a config and a small demo tenant to scan.
function home(prefix: string, assets: number): { dir: string; scan: () => Promise<string> } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(
    join(dir, 'seg.config.json'),
    JSON.stringify({
      bundles_dir: join(repo, 'bundles'),
      trusted_keys: join(repo, 'tools/bundle/trusted-keys.json'),
    }),
  );
  const tenant = join(dir, 'tenant.ndjson');
  let written: Promise<number> | undefined;
  return {
    dir,
    scan: async () => {
      await (written ??= writeSnapshotFile(tenant, generateDemoTenant({ assets })));
      const r = await runSeg(dir, [
        'scan',
        '--provider',
        'snapshot',
        '--snapshot',
        tenant,
        '--now',
        DEMO_CAPTURED_AT,
        '--no-progress',
      ]);
      expect(r).toMatchObject({ code: 0, err: '' });
      return /^report: seg report --html --run (\S+)$/m.exec(r.out)?.[1] as string;
    },
  };
}

// The run ids of the rows a table holds, read back through the lakehouse.
async function runIdsIn(dir: string, table: TableName): Promise<string[]> {
  const lake = openEmbeddedLakehouse({ root: join(dir, '.seg') });
  try {
    return (await lake.tables.table(table).scan({ columns: ['run_id'] })).map((r) => String(r.run_id));
  } finally {
    await lake.close();
  }
}

afterEach(() => {
  jest.restoreAllMocks();
});

// `kill -9` after the findings commit and before the runs commit, in-process: every append to the runs
// table fails, so the scan has committed evidence, findings, assets and controls, and no run row.
describe('a scan that died before its runs commit', () => {
  const { dir, scan } = home('seg-dead-run-', 40);
  const seg = (...argv: string[]) => runSeg(dir, argv);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let first = '';
  let second = '';
  let dead = '';

  beforeAll(async () => {
    first = await scan();
    second = await scan();
    const append = IcebergTable.prototype.append;
    jest.spyOn(IcebergTable.prototype, 'append').mockImplementation(function (this: IcebergTable, ...args) {
      if (this.ident.name === 'runs') return Promise.reject(new Error('killed before the runs commit'));
      return append.apply(this, args);
    });
    const tenant = join(dir, 'tenant.ndjson');
    const crashed = await seg(
      'scan',
      '--provider',
      'snapshot',
      '--snapshot',
      tenant,
      '--now',
      DEMO_CAPTURED_AT,
    );
    expect(crashed.code).not.toBe(0);
    jest.restoreAllMocks();
    const findingRuns = new Set(await runIdsIn(dir, 'findings'));
    dead = [...findingRuns].find((id) => id !== first && id !== second) as string;
    expect(findingRuns.size).toBe(3);
    expect(await runIdsIn(dir, 'runs')).not.toContain(dead);
  });

  it('seg findings shows the latest committed run, never the dead one', async () => {
    const r = await seg('findings', '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { run: RunSummary; findings: Finding[] };
    expect(out.run.run_id).toBe(second);
    expect(out.findings.length).toBeGreaterThan(0);
    expect(out.findings.length).toBe(Object.values(out.run.counts).reduce((a, b) => a + b, 0));
    const viaRun = await seg('findings', '--run', dead);
    expect(viaRun).toMatchObject({
      code: 2,
      err: `seg: SEG_NOT_FOUND: run ${dead} is not a committed run of tenant demo (it has no runs row)\n`,
    });
  });

  it('seg findings --diff refuses the dead run, naming it', async () => {
    const diff = await seg('findings', '--diff', second, dead, '--format', 'json');
    expect(diff.code).toBe(2);
    expect(diff.err).toContain(`SEG_NOT_FOUND: run ${dead} is not a committed run`);
    expect((await seg('findings', '--diff', first, second)).out).toContain('0 new, 0 changed, 0 resolved');
  });

  it('seg report --html reports the latest committed run, with the trend of the committed runs only', async () => {
    const r = await seg('report', '--html', '--out', 'r.html');
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toContain(second);
    expect(html).not.toContain(dead);
    // Three series (pass, fail, warn) over the two committed runs.
    expect((html.match(/<circle/g) ?? []).length).toBe(6);
  });

  it('seg lake compact leaves the dead run within the grace period, then removes every row of it', async () => {
    const before = await Promise.all(
      (['evidence', 'findings', 'assets', 'controls'] as const).map((t) => runIdsIn(dir, t)),
    );
    const early = await seg('lake', 'compact', '--format', 'json');
    expect(early.code).toBe(0);
    expect((JSON.parse(early.out) as { dead_runs: unknown }).dead_runs).toEqual({
      grace_ms: 3_600_000,
      runs_removed: [],
      rows_removed: 0,
    });
    jest.useFakeTimers({
      now: Date.now() + 2 * 3_600_000,
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
    let text: string;
    try {
      const later = await seg('lake', 'compact');
      expect(later.code).toBe(0);
      text = later.out;
    } finally {
      jest.useRealTimers();
    }
    const deadRows = before.flat().filter((id) => id === dead).length;
    expect(text).toContain(
      `dead runs: removed ${deadRows} row(s) of 1 run(s) without a runs row older than 1h\n  ${dead}\n`,
    );
    const after = await Promise.all(
      (['evidence', 'findings', 'assets', 'controls'] as const).map((t) => runIdsIn(dir, t)),
    );
    after.forEach((ids, i) => {
      expect(ids).not.toContain(dead);
      expect(ids.sort()).toEqual(before[i]!.filter((id) => id !== dead).sort());
    });
    expect((await seg('findings', '--run', first, '--format', 'json')).code).toBe(0);
  });

  it('refuses a --grace that is not a duration', async () => {
    const r = await seg('lake', 'compact', '--grace', '1 hour');
    expect(r).toMatchObject({ code: 2 });
    expect(r.err).toMatch(/^seg: SEG_INVALID_ARGUMENT: --grace takes a duration such as 30m, 1h or 2d/);
  });
});

// Which warehouse data files a command reads, recorded below the lakehouse's file I/O.
function recordReads(): string[] {
  const reads: string[] = [];
  const read = LocalFileIO.prototype.read;
  jest.spyOn(LocalFileIO.prototype, 'read').mockImplementation(function (this: LocalFileIO, uri: string) {
    reads.push(uri);
    return read.call(this, uri);
  });
  return reads;
}

describe('reading the latest of ten runs', () => {
  const { dir, scan } = home('seg-ten-runs-', 20);
  const seg = (...argv: string[]) => runSeg(dir, argv);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const findingFiles = (reads: readonly string[]) =>
    [
      ...new Set(reads.filter((u) => u.includes('/warehouse/seg/findings/data/') && u.endsWith('.parquet'))),
    ].sort();
  let latestFiles: string[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 9; i++) await scan();
    const warehouse = new LocalFileIO();
    const list = async () =>
      new Set(
        (await warehouse.list(fileUri(join(dir, '.seg', 'warehouse', 'seg', 'findings', 'data')))).filter(
          (f) => f.endsWith('.parquet'),
        ),
      );
    const before = await list();
    await scan();
    latestFiles = [...(await list())].filter((f) => !before.has(f)).sort();
    expect(before.size).toBeGreaterThanOrEqual(9);
    expect(latestFiles.length).toBeGreaterThan(0);
  }, 120_000);

  it('seg findings reads only the data files of the latest run', async () => {
    const reads = recordReads();
    const r = await seg('findings', '--format', 'json');
    expect(r.code).toBe(0);
    expect(findingFiles(reads)).toEqual(latestFiles);
  });

  it('seg report reads only the data files of the latest run', async () => {
    const reads = recordReads();
    const r = await seg('report', '--html', '--out', 'r.html');
    expect(r.code).toBe(0);
    expect(findingFiles(reads)).toEqual(latestFiles);
    // The trend still shows all ten runs (from the runs table): three series of ten points.
    expect((readFileSync(join(dir, 'r.html'), 'utf8').match(/<circle/g) ?? []).length).toBe(30);
  });
});
