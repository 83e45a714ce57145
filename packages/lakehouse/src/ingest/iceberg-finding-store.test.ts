import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import type { SegEvent } from '@neurocipher/seg-contracts';
import type { Clock, EventBus } from '@neurocipher/seg-ports';
import { IcebergFindingStore } from './iceberg-finding-store.ts';
import { stringifyLossless } from '../iceberg/lossless-json.ts';
import type { FileIO } from '../io/file-io.ts';
import { LocalFileIO } from '../io/local-file-io.ts';
import { LakehouseTables } from '../tables/lakehouse-tables.ts';
import type { TableName } from '../tables/table-definitions.ts';
import { tempDir } from '../testing/temp-dir.ts';
import { fingerprint, sampleRun, uuidFrom } from '../../test/fixtures.ts';
import { fixedClock, openLake, readWithPyiceberg } from '../../test/lake.ts';

// A FileIO that records the URIs it reads.
class RecordingFileIO implements FileIO {
  readonly reads: string[] = [];
  readonly #io = new LocalFileIO();
  read(uri: string): Promise<Buffer> {
    this.reads.push(uri);
    return this.#io.read(uri);
  }
  writeNew(uri: string, bytes: Uint8Array): Promise<void> {
    return this.#io.writeNew(uri, bytes);
  }
  exists(uri: string): Promise<boolean> {
    return this.#io.exists(uri);
  }
  delete(uri: string): Promise<void> {
    return this.#io.delete(uri);
  }
  list(prefixUri: string): Promise<string[]> {
    return this.#io.list(prefixUri);
  }
}

const hoursAfter = (clock: Clock, hours: number): Clock => ({
  now: () => new Date(clock.now().getTime() + hours * 3_600_000),
});

describe('IcebergFindingStore', () => {
  let dir: ReturnType<typeof tempDir>;
  let lake: ReturnType<typeof openLake>;

  beforeEach(() => {
    dir = tempDir();
    lake = openLake(dir.path);
  });
  afterEach(async () => {
    await lake.catalog.close();
    dir.remove();
  });

  describe('#commit', () => {
    it('writes one snapshot per table and returns what it wrote', async () => {
      const r = sampleRun({ org: 'org-a', run: uuidFrom('r1'), day: '2026-01-01', assetCount: 3 });
      const out = await lake.store.commit(r.findings, r.evidence, r.context);
      expect(out).toMatchObject({
        run_id: r.context.run.run_id,
        findings_written: 6,
        evidence_written: 6,
        replayed: false,
      });
      expect(out.tables.map((t) => [t.table, t.rows_added])).toEqual([
        ['evidence', 6],
        ['findings', 6],
        ['assets', 3],
        ['controls', 2],
        ['runs', 1],
      ]);
      for (const t of out.tables) {
        const { metadata } = await lake.tables.table(t.table as 'runs').load();
        expect(metadata.snapshots).toHaveLength(1);
        expect(String(metadata['current-snapshot-id'])).toBe(t.snapshot_id);
      }
    });

    it('is idempotent: re-committing the same run id adds no rows', async () => {
      const r = sampleRun({ org: 'org-a', run: uuidFrom('r1'), day: '2026-01-01', assetCount: 3 });
      const first = await lake.store.commit(r.findings, r.evidence, r.context);
      const again = await lake.store.commit(r.findings, r.evidence, r.context);
      expect(again.replayed).toBe(true);
      expect(again.tables.map((t) => t.snapshot_id)).toEqual(first.tables.map((t) => t.snapshot_id));
      expect(await lake.store.findings({ run_id: r.context.run.run_id })).toHaveLength(6);
      expect((await lake.tables.table('findings').load()).metadata.snapshots).toHaveLength(1);
    });

    it('rejects an invalid finding with SEG_SCHEMA_VIOLATION and writes nothing', async () => {
      const r = sampleRun({ org: 'org-a', run: uuidFrom('r1'), day: '2026-01-01', assetCount: 1 });
      const bad = [{ ...r.findings[0]!, fingerprint: '' }];
      await expect(lake.store.commit(bad, [], r.context)).rejects.toMatchObject({
        error_code: 'SEG_SCHEMA_VIOLATION',
      });
      expect((await lake.tables.table('runs').load()).metadata.snapshots).toHaveLength(0);
    });

    it('stores evidence URIs sealed and returns them opened', async () => {
      const r = sampleRun({ org: 'org-a', run: uuidFrom('r1'), day: '2026-01-01', assetCount: 1 });
      await lake.store.commit(r.findings, r.evidence, r.context);
      const raw = await lake.tables.table('evidence').scan();
      expect(raw.every((row) => String(row.uri).startsWith('seg-enc:v1:'))).toBe(true);
      expect(stringifyLossless(await lake.tables.table('findings').scan())).not.toContain(
        'evidence.example.com',
      );
      const [stored] = await lake.store.findings({ fingerprint: r.findings[0]!.fingerprint });
      expect(stored!.finding).toEqual(r.findings[0]);
    });
  });

  describe('#ack', () => {
    it('publishes seg.findings.committed keyed by run id, so a repeated ack is de-duplicated', async () => {
      const published: SegEvent[] = [];
      const bus = {
        publish: async (e: SegEvent) => {
          const duplicate = published.some((p) => p.key === e.key);
          if (!duplicate) published.push(e);
          return { duplicate };
        },
        subscribe: async () => ({ close: async () => undefined }),
      } satisfies EventBus;
      const withBus = new IcebergFindingStore({ tables: lake.tables, keys: lake.keys, events: bus });
      const r = sampleRun({ org: 'org-a', run: uuidFrom('r1'), day: '2026-01-01', assetCount: 2 });
      await withBus.commit(r.findings, r.evidence, r.context);
      await withBus.ack(r.context.run.run_id);
      await withBus.ack(r.context.run.run_id);
      expect(published).toHaveLength(1);
      expect(published[0]).toMatchObject({
        type: 'seg.findings.committed',
        org_id: 'org-a',
        subject: r.context.run.run_id,
        key: `seg.findings.committed/${r.context.run.run_id}`,
        data: { result: { run_id: r.context.run.run_id, findings_written: 4, evidence_written: 4 } },
      });
    });

    it('acknowledges a committed run and refuses an unknown one', async () => {
      const r = sampleRun({ org: 'org-a', run: uuidFrom('r1'), day: '2026-01-01', assetCount: 1 });
      await lake.store.commit(r.findings, r.evidence, r.context);
      await expect(lake.store.ack(r.context.run.run_id)).resolves.toMatchObject({
        run_id: r.context.run.run_id,
        durable: true,
      });
      const err = await lake.store.ack(uuidFrom('never')).catch((e: unknown) => e);
      expect(isSegError(err) && err.error_code).toBe('SEG_NOT_FOUND');
    });
  });

  describe('read API', () => {
    const r1 = uuidFrom('r1');
    const r2 = uuidFrom('r2');
    beforeEach(async () => {
      // Run 1: even assets fail. Run 2: asset 0 now passes, asset 2 is gone, asset 3 is new, asset 1 changes severity... via result.
      const a = sampleRun({ org: 'org-a', run: r1, day: '2026-01-01', assetCount: 3 });
      const b = sampleRun({
        org: 'org-a',
        run: r2,
        day: '2026-01-02',
        assetCount: 4,
        resultOf: (_c, i) => (i === 0 ? 'pass' : i === 1 ? 'warn' : 'fail'),
      });
      b.findings = b.findings.filter((f) => !f.asset.urn.endsWith('bucket-2'));
      const other = sampleRun({ org: 'org-b', run: uuidFrom('r3'), day: '2026-01-01', assetCount: 2 });
      await lake.store.commit(a.findings, a.evidence, a.context);
      await lake.store.commit(b.findings, b.evidence, b.context);
      await lake.store.commit(other.findings, other.evidence, other.context);
    });

    it('filters findings by run, tenant, control, severity and result', async () => {
      expect(await lake.store.findings({ run_id: r1 })).toHaveLength(6);
      expect(await lake.store.findings({ org_id: 'org-b' })).toHaveLength(4);
      const one = (await lake.store.findings({ run_id: r1 }))[3]!.finding;
      expect((await lake.store.findings({ id: one.id })).map((f) => f.finding)).toEqual([one]);
      expect(await lake.store.findings({ org_id: 'org-a', control_id: 'cis-s3-1' })).toHaveLength(6);
      expect(await lake.store.findings({ org_id: 'org-a', severity: 'medium' })).toHaveLength(6);
      const fails = await lake.store.findings({ run_id: r2, result: 'fail' });
      expect(fails.map((f) => f.finding.asset.urn).sort()).toEqual([
        'urn:asset:aws:bucket:org-a-bucket-3',
        'urn:asset:aws:bucket:org-a-bucket-3',
      ]);
      expect(fails.every((f) => f.org_id === 'org-a' && f.run_id === r2)).toBe(true);
    });

    it('derives the current state per fingerprint from the observation log', async () => {
      const current = await lake.store.currentState('org-a');
      expect(current).toHaveLength(8);
      const byFp = new Map(current.map((c) => [c.finding.fingerprint, c]));
      const fp0 = fingerprint('org-a', 'cis-s3-1', 'urn:asset:aws:bucket:org-a-bucket-0');
      expect(byFp.get(fp0)).toMatchObject({ run_id: r2, finding: { result: 'pass' } });
      const fp2 = fingerprint('org-a', 'cis-s3-1', 'urn:asset:aws:bucket:org-a-bucket-2');
      expect(byFp.get(fp2)).toMatchObject({ run_id: r1, finding: { result: 'fail' } });
    });

    it('diffs two runs into new, changed, resolved and unchanged', async () => {
      const d = await lake.store.diffRuns('org-a', r1, r2);
      const urns = (xs: { finding: { asset: { urn: string } } }[]) =>
        xs.map((x) => x.finding.asset.urn.slice(-8)).sort();
      expect(urns(d.new)).toEqual(['bucket-3', 'bucket-3']);
      expect(urns(d.resolved)).toEqual(['bucket-0', 'bucket-0', 'bucket-2', 'bucket-2']);
      expect(d.changed.map((c) => [c.before.finding.result, c.after.finding.result])).toEqual([
        ['pass', 'warn'],
        ['pass', 'warn'],
      ]);
      expect(d.unchanged).toHaveLength(0);
    });

    it('compacts every table without changing what is read', async () => {
      const before = await lake.store.findings({ org_id: 'org-a' });
      const compacted = await lake.store.compact();
      // Findings and runs are partitioned by tenant and day (one file each here); controls and evidence
      // got one small file per org-a run in the same partition, merged into one.
      const merged = { files_added: 1, files_removed: 2, rows_removed: 0, runs_removed: [] };
      expect(compacted).toEqual([
        { table: 'controls', ...merged },
        { table: 'evidence', ...merged },
      ]);
      expect(Number((await lake.tables.table('evidence').scan()).length)).toBe(6 + 8 + 4);
      const after = await lake.store.findings({ org_id: 'org-a' });
      expect(after.map((f) => f.finding.id).sort()).toEqual(before.map((f) => f.finding.id).sort());
    });
  });

  describe('runs of a commit that died before its run row', () => {
    const r1 = uuidFrom('committed');
    const dead = uuidFrom('died');
    const committed = sampleRun({ org: 'org-a', run: r1, day: '2026-01-01', assetCount: 3 });
    const died = sampleRun({ org: 'org-a', run: dead, day: '2026-01-02', assetCount: 4 });
    const deadHashes = new Set(died.evidence.map((e) => e.hash));

    // Commits `died` as a process killed after its controls commit and before its runs commit would.
    async function commitAndDie(): Promise<void> {
      const tables = new LakehouseTables({
        catalog: lake.catalog,
        io: lake.io,
        onCommitStep: (table) => {
          if (table === 'runs') throw new Error('killed before the runs commit');
        },
      });
      const crashing = new IcebergFindingStore({ tables, keys: lake.keys, clock: fixedClock });
      await expect(crashing.commit(died.findings, died.evidence, died.context)).rejects.toThrow();
      expect(await lake.tables.table('findings').scan({ columns: ['run_id'] })).toHaveLength(6 + 8);
    }

    beforeEach(async () => {
      await lake.store.commit(committed.findings, committed.evidence, committed.context);
      await commitAndDie();
    });

    it('reads only committed runs: runs, latest run, findings, diff and current state', async () => {
      const store = lake.store;
      const all = await store.findings({ org_id: 'org-a' });
      expect(all).toHaveLength(6);
      expect(all.every((f) => f.run_id === r1)).toBe(true);
      expect(await store.findings({ run_id: dead })).toEqual([]);
      expect((await store.currentState('org-a')).every((f) => f.run_id === r1)).toBe(true);
      expect((await store.runs('org-a')).map((r) => r.run_id)).toEqual([r1]);
      const { run_id, started_at, ended_at, counts, controls } = committed.context.run;
      expect(await store.runs('org-a')).toMatchObject([{ run_id, started_at, ended_at, counts, controls }]);
      expect((await store.latestRun('org-a'))?.run_id).toBe(r1);
      expect((await store.runFindings('org-a', r1)).map((f) => f.finding)).toEqual(committed.findings);
      for (const attempt of [
        () => store.runFindings('org-a', dead),
        () => store.run('org-a', dead),
        () => store.diffRuns('org-a', r1, dead),
      ]) {
        const err = await attempt().catch((e: unknown) => e);
        expect(isSegError(err) && [err.error_code, err.message]).toEqual([
          'SEG_NOT_FOUND',
          `run ${dead} is not a committed run of tenant org-a (it has no runs row)`,
        ]);
      }
      expect((await store.finding('org-a', committed.findings[2]!.id)).finding).toEqual(
        committed.findings[2],
      );
      const deadId = died.findings[0]!.id;
      await expect(store.finding('org-a', deadId)).rejects.toMatchObject({
        error_code: 'SEG_NOT_FOUND',
        message: `finding ${deadId} is not a finding of a committed run of tenant org-a`,
      });
      expect(await store.findings({ id: deadId })).toEqual([]);
    });

    it('counts a dead run’s rows as evidence references only while they may be a commit in flight', async () => {
      const hashes = async (store: IcebergFindingStore) =>
        new Set((await store.evidenceReferences()).map((r) => r.hash));
      const inFlight = await hashes(lake.store);
      expect([...deadHashes].every((h) => inFlight.has(h))).toBe(true);
      const later = new IcebergFindingStore({
        tables: lake.tables,
        keys: lake.keys,
        clock: hoursAfter(fixedClock, 2),
      });
      const after = await hashes(later);
      expect([...deadHashes].some((h) => after.has(h))).toBe(false);
      expect(committed.evidence.every((e) => after.has(e.hash))).toBe(true);
    });

    it('compaction removes a dead run’s rows past the grace period only, and a replay commits it again', async () => {
      const runIds = async (name: TableName) =>
        (await lake.tables.table(name).scan({ columns: ['run_id'] })).map((r) => String(r.run_id));
      const rowsBefore = Object.fromEntries(
        await Promise.all(
          (['evidence', 'findings', 'assets', 'controls'] as const).map(async (t) => [t, await runIds(t)]),
        ),
      ) as Record<string, string[]>;
      // Within the grace period (1 h by default) the dead run may still be committing: nothing goes.
      const early = await lake.store.compact();
      expect(early.every((t) => t.rows_removed === 0)).toBe(true);
      const later = new IcebergFindingStore({
        tables: lake.tables,
        keys: lake.keys,
        clock: hoursAfter(fixedClock, 2),
      });
      const removed = await later.compact();
      const count = (t: string) => rowsBefore[t]!.filter((id) => id === dead).length;
      expect(removed.filter((t) => t.rows_removed > 0)).toEqual(
        (['controls', 'findings', 'evidence', 'assets'] as const)
          .map((table) => ({
            table,
            files_added: expect.any(Number),
            files_removed: expect.any(Number),
            rows_removed: count(table),
            runs_removed: [dead],
          }))
          .sort(
            (a, b) =>
              ['assets', 'controls', 'findings', 'evidence'].indexOf(a.table) -
              ['assets', 'controls', 'findings', 'evidence'].indexOf(b.table),
          ),
      );
      const { metadata } = await lake.tables.table('findings').load();
      expect(metadata.snapshots.at(-1)!.summary).toMatchObject({
        operation: 'overwrite',
        'seg.removed-run-ids': dead,
        'seg.removed-rows': '8',
        'total-records': '6',
      });
      // An independent reader sees the dead run gone and the committed run whole.
      const py = await readWithPyiceberg(`sqlite:///${join(dir.path, 'catalog.db')}`, [
        'evidence',
        'findings',
        'assets',
        'controls',
        'runs',
      ]);
      for (const t of ['evidence', 'findings', 'assets', 'controls'] as const) {
        const ids = py[t]!.rows.map((r) => r.run_id);
        expect(ids).not.toContain(dead);
        expect(ids.length).toBe(rowsBefore[t]!.filter((id) => id === r1).length);
      }
      expect(py.runs!.rows.map((r) => r.run_id)).toEqual([r1]);
      expect((await later.compact()).every((t) => t.rows_removed === 0)).toBe(true);

      // Replaying the dead run appends its rows again (the rewrite named it), then commits its run row.
      const replay = await later.commit(died.findings, died.evidence, died.context);
      expect(replay).toMatchObject({ replayed: false, findings_written: 8, evidence_written: 8 });
      expect(replay.tables.map((t) => [t.table, t.rows_added])).toEqual([
        ['evidence', 8],
        ['findings', 8],
        ['assets', 4],
        ['controls', 2],
        ['runs', 1],
      ]);
      expect((await later.runs('org-a')).map((r) => r.run_id)).toEqual([r1, dead]);
      expect((await later.runFindings('org-a', dead)).map((f) => f.finding)).toEqual(died.findings);
      expect((await later.commit(died.findings, died.evidence, died.context)).replayed).toBe(true);
    });

    it('refuses a negative grace period', async () => {
      await expect(lake.store.compact({ graceMs: -1 })).rejects.toMatchObject({
        error_code: 'SEG_INVALID_ARGUMENT',
      });
    });
  });

  describe('reads of one run', () => {
    it('read only the data files of that run, also among ten runs and after compaction', async () => {
      const io = new RecordingFileIO();
      const tables = new LakehouseTables({ catalog: lake.catalog, io });
      const store = new IcebergFindingStore({ tables, keys: lake.keys, clock: fixedClock });
      const location = (await tables.table('findings').load()).metadata.location;
      const dataFiles = async () =>
        new Set((await io.list(`${location}/data`)).filter((f) => f.endsWith('.parquet')));
      const runs = Array.from({ length: 10 }, (_, i) =>
        sampleRun({
          org: 'org-a',
          run: uuidFrom(`history-${i}`),
          day: i < 5 ? '2026-01-01' : '2026-01-02',
          assetCount: 5,
        }),
      );
      let before = new Set<string>();
      let latestFiles: string[] = [];
      for (const r of runs) {
        before = await dataFiles();
        await store.commit(r.findings, r.evidence, r.context);
      }
      latestFiles = [...(await dataFiles())].filter((f) => !before.has(f));
      expect(latestFiles).toHaveLength(1);
      const latest = runs.at(-1)!.context.run.run_id;
      const previous = runs.at(-2)!.context.run.run_id;
      const findingReads = () => io.reads.filter((u) => u.startsWith(`${location}/data/`));

      io.reads.length = 0;
      expect(await store.findings({ org_id: 'org-a', run_id: latest })).toHaveLength(10);
      expect(findingReads()).toEqual(latestFiles);

      io.reads.length = 0;
      expect((await store.latestRun('org-a'))?.run_id).toBe(latest);
      const read = await store.runFindings('org-a', latest);
      expect(read.map((f) => f.finding)).toEqual(runs.at(-1)!.findings);
      expect(findingReads()).toEqual(latestFiles);

      io.reads.length = 0;
      const diff = await store.diffRuns('org-a', previous, latest);
      expect(diff.unchanged).toHaveLength(10);
      expect(findingReads()).toHaveLength(2);

      // Merged files span several runs: they are still found by their bounds, and filtered by run.
      await store.compact();
      io.reads.length = 0;
      expect((await store.runFindings('org-a', latest)).map((f) => f.finding)).toEqual(runs.at(-1)!.findings);
      expect(findingReads().length).toBeGreaterThanOrEqual(1);
      expect(findingReads().length).toBeLessThanOrEqual(2);
    });

    it('find a finding by id, or a run’s findings by filter, reading only the files whose bounds allow them', async () => {
      const io = new RecordingFileIO();
      const tables = new LakehouseTables({ catalog: lake.catalog, io });
      const store = new IcebergFindingStore({ tables, keys: lake.keys, clock: fixedClock });
      // Ten runs of ten findings whose ids lie in disjoint ranges (run i: 0000000i-…), one file each.
      const runs = Array.from({ length: 10 }, (_, i) => {
        const r = sampleRun({ org: 'org-a', run: uuidFrom(`by-id-${i}`), day: '2026-01-01', assetCount: 5 });
        r.findings = r.findings.map((f, j) => ({
          ...f,
          id: `0000000${i}-0000-4000-8000-${String(j).padStart(12, '0')}`,
        }));
        return r;
      });
      for (const r of runs) await store.commit(r.findings, r.evidence, r.context);
      const other = sampleRun({ org: 'org-b', run: uuidFrom('by-id-b'), day: '2026-01-01', assetCount: 1 });
      await store.commit(other.findings, other.evidence, other.context);
      const dataOf = async (name: TableName) =>
        `${(await tables.table(name).load()).metadata.location}/data/`;
      const findingsData = await dataOf('findings');
      const runsData = await dataOf('runs');
      const reads = (prefix: string) => io.reads.filter((u) => u.startsWith(prefix));

      const wanted = runs[7]!.findings[3]!;
      io.reads.length = 0;
      const found = await store.finding('org-a', wanted.id);
      expect(found).toMatchObject({ org_id: 'org-a', run_id: runs[7]!.context.run.run_id, finding: wanted });
      expect(reads(findingsData)).toHaveLength(1);
      expect(reads(runsData)).toHaveLength(1);
      // The query form prunes by the id's bounds too.
      io.reads.length = 0;
      expect((await store.findings({ org_id: 'org-a', id: wanted.id })).map((f) => f.finding)).toEqual([
        wanted,
      ]);
      expect(reads(findingsData)).toHaveLength(1);

      for (const [org, id] of [
        ['org-b', wanted.id],
        ['org-a', '0000000a-0000-4000-8000-000000000000'],
      ] as const) {
        const err = await store.finding(org, id).catch((e: unknown) => e);
        expect(isSegError(err) && [err.error_code, err.message, err.details]).toEqual([
          'SEG_NOT_FOUND',
          `finding ${id} is not a finding of a committed run of tenant ${org}`,
          { org_id: org, finding_id: id },
        ]);
      }

      const run = runs[4]!;
      const run_id = run.context.run.run_id;
      io.reads.length = 0;
      const fails = await store.runFindings('org-a', run_id, { result: 'fail', control_id: 'cis-s3-1' });
      expect(fails.map((f) => f.finding)).toEqual(
        run.findings.filter((f) => f.result === 'fail' && f.control_id === 'cis-s3-1'),
      );
      expect(reads(findingsData)).toHaveLength(1);
      expect(reads(runsData)).toHaveLength(1);
      const one = run.findings[6]!;
      expect(
        (
          await store.runFindings('org-a', run_id, { fingerprint: one.fingerprint, severity: one.severity })
        ).map((f) => f.finding),
      ).toEqual([one]);
      expect(await store.runFindings('org-a', run_id, { severity: 'critical' })).toEqual([]);
      await expect(store.runFindings('org-b', run_id, { result: 'fail' })).rejects.toMatchObject({
        error_code: 'SEG_NOT_FOUND',
      });
    });
  });
});
