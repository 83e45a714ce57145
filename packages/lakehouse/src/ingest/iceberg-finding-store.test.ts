import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import type { SegEvent } from '@neurocipher/seg-contracts';
import type { EventBus } from '@neurocipher/seg-ports';
import { IcebergFindingStore } from './iceberg-finding-store.ts';
import { stringifyLossless } from '../iceberg/lossless-json.ts';
import { tempDir } from '../testing/temp-dir.ts';
import { fingerprint, sampleRun, uuidFrom } from '../../test/fixtures.ts';
import { openLake } from '../../test/lake.ts';

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
      const bad = [{ ...r.findings[0]!, fingerprint: 'nope' }];
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
      expect(compacted).toEqual([
        { table: 'controls', files_added: 1 },
        { table: 'evidence', files_added: 1 },
      ]);
      expect(Number((await lake.tables.table('evidence').scan()).length)).toBe(6 + 8 + 4);
      const after = await lake.store.findings({ org_id: 'org-a' });
      expect(after.map((f) => f.finding.id).sort()).toEqual(before.map((f) => f.finding.id).sort());
    });
  });
});
