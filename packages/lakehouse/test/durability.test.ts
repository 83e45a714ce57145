// Durability (RPO 0) and concurrency: a commit killed with SIGKILL at any point leaves every table
// readable at the old or the new snapshot (checked by pyiceberg too), a replay completes it without
// duplicates; four processes committing 50 times each to one table lose nothing.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TableName } from '../src/tables/table-definitions.ts';
import { TABLE_NAMES } from '../src/tables/table-definitions.ts';
import { snapshotAncestry } from '../src/iceberg/table-metadata.ts';
import { tempDir } from '../src/testing/temp-dir.ts';
import { sampleRun, uuidFrom } from './fixtures.ts';
import { openLake, readManyWithPyiceberg } from './lake.ts';

const CHILD = new URL('./child.ts', import.meta.url).pathname;

function runChild(
  args: string[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--conditions=@neurocipher/source', '--disable-warning=ExperimentalWarning', CHILD, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

// Rows one sample run adds per table (3 assets x 2 controls).
const ADDED: Record<TableName, number> = {
  findings: 6,
  evidence: 6,
  assets: 3,
  controls: 2,
  runs: 1,
  plans: 0,
  attestations: 0,
};
const WRITTEN = TABLE_NAMES.filter((t) => ADDED[t] > 0);

describe('durability', () => {
  const root = tempDir();
  afterAll(() => root.remove());

  it('survives SIGKILL at every commit step: old or new snapshot, then an exact replay', async () => {
    const points: [TableName, string][] = [
      ['evidence', 'data-written'],
      ['findings', 'manifest-written'],
      ['findings', 'manifest-list-written'],
      ['findings', 'before-swap'],
      ['findings', 'after-swap'],
      ['runs', 'before-swap'],
    ];
    // One catalog per kill point, each holding one committed run, then a child killed mid-commit.
    const dirs = points.map((_, i) => join(root.path, `p${i}`));
    for (const d of dirs) {
      const lake = openLake(d);
      const seed = sampleRun({ org: 'org-a', run: uuidFrom('seed'), day: '2026-01-01', assetCount: 3 });
      await lake.store.commit(seed.findings, seed.evidence, seed.context);
      await lake.catalog.close();
    }
    const children = await Promise.all(
      points.map(([table, step], i) => runChild(['crash', dirs[i]!, `crash-${i}`, table, step])),
    );
    children.forEach((c, i) =>
      expect({ point: points[i], signal: c.signal, stderr: c.stderr }).toEqual({
        point: points[i],
        signal: 'SIGKILL',
        stderr: '',
      }),
    );

    const py = await readManyWithPyiceberg(
      dirs.map((d) => ({ uri: `sqlite:///${join(d, 'catalog.db')}`, tables: WRITTEN })),
    );
    for (const [i, d] of dirs.entries()) {
      const lake = openLake(d);
      for (const t of WRITTEN) {
        // Each table is at the old snapshot (seed only) or the new one (seed + the interrupted run).
        expect([ADDED[t], 2 * ADDED[t]]).toContain(py[i]![t]!.row_count);
        expect((await lake.tables.table(t).scan()).length).toBe(py[i]![t]!.row_count);
      }
      // Replaying the run completes what the crash interrupted and duplicates nothing.
      const r = sampleRun({ org: 'org-a', run: uuidFrom(`crash-${i}`), day: '2026-01-01', assetCount: 3 });
      await lake.store.commit(r.findings, r.evidence, r.context);
      const again = await lake.store.commit(r.findings, r.evidence, r.context);
      expect(again.replayed).toBe(true);
      for (const t of WRITTEN) expect((await lake.tables.table(t).scan()).length).toBe(2 * ADDED[t]);
      await expect(lake.store.ack(r.context.run.run_id)).resolves.toMatchObject({ durable: true });
      await lake.catalog.close();
    }
    const final = await readManyWithPyiceberg(
      dirs.map((d) => ({ uri: `sqlite:///${join(d, 'catalog.db')}`, tables: ['findings'] })),
    );
    for (const f of final) {
      const ids = f.findings!.rows.map((row) => row.id);
      expect(ids).toHaveLength(2 * ADDED.findings);
      expect(new Set(ids).size).toBe(ids.length);
    }
  }, 120_000);
});

describe('concurrency', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('4 processes x 50 commits to one table: all 200 commits and rows are present', async () => {
    const lake = openLake(dir.path);
    await lake.tables.table('findings').load();
    const results = await Promise.all(
      [0, 1, 2, 3].map((w) => runChild(['append', dir.path, String(w), '50'])),
    );
    for (const r of results) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const { metadata } = await lake.tables.table('findings').load();
    const commits = snapshotAncestry(metadata).map((s) => s.summary['seg.worker']);
    expect(commits).toHaveLength(200);
    expect(new Set(commits).size).toBe(200);
    const rows = await lake.tables.table('findings').scan();
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((r) => r.id)).size).toBe(200);
    expect(metadata.snapshots.at(-1)!.summary['total-records']).toBe('200');
    await lake.catalog.close();
  }, 180_000);
});
