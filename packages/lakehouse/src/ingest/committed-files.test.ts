import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { sha256Hex } from '@neurocipher/seg-ports';
import { decodeManifest, decodeManifestList } from '../iceberg/manifest.ts';
import { tempDir } from '../testing/temp-dir.ts';
import { sampleAttestation, sampleRun, uuidFrom } from '../../test/fixtures.ts';
import { openLake } from '../../test/lake.ts';
import { committedFiles, lakehouseTableName, tableFileUri } from './committed-files.ts';
import { runAttestations } from './run-attestations.ts';

const sha256 = (bytes: Uint8Array) => sha256Hex(bytes);

describe('committedFiles', () => {
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

  it('pins every manifest, data file and metadata file a commit added, and nothing of older commits', async () => {
    // Two days of assets: the findings and assets commits each add one data file per partition.
    const first = sampleRun({ org: 'org-a', run: uuidFrom('r1'), day: '2026-01-01', assetCount: 3 });
    await lake.store.commit(first.findings, first.evidence, first.context);
    const second = sampleRun({ org: 'org-a', run: uuidFrom('r2'), day: '2026-01-02', assetCount: 4 });
    const result = await lake.store.commit(second.findings, second.evidence, second.context);

    const tables = await committedFiles(lake.tables, lake.io, result);
    expect(tables.map((t) => [t.table, t.snapshot_id])).toEqual(
      result.tables.map((t) => [t.table, t.snapshot_id]),
    );
    for (const committed of tables) {
      const loaded = await lake.tables.table(lakehouseTableName(committed.table)).load();
      const { metadata } = loaded;
      const snapshot = metadata.snapshots.find((s) => String(s['snapshot-id']) === committed.snapshot_id)!;
      const read = (path: string) => readFileSync(new URL(tableFileUri(metadata.location, path)));
      // Every path is relative to the table location and hashes to its digest.
      for (const file of committed.data_files) {
        expect(file.path).not.toContain('://');
        expect(file.sha256).toBe(sha256(read(file.path)));
      }
      const paths = committed.data_files.map((f) => f.path);
      const rel = (uri: string) => uri.slice(metadata.location.length + 1);
      const list = decodeManifestList(readFileSync(new URL(snapshot['manifest-list'])));
      // The snapshot keeps the first run's manifest too; only its own is pinned.
      const own = list.filter((m) => String(m.added_snapshot_id) === committed.snapshot_id);
      expect(own).toHaveLength(1);
      const dataFiles = decodeManifest(readFileSync(new URL(own[0]!.manifest_path))).map((e) => e.data_file);
      expect(paths).toEqual([
        rel(snapshot['manifest-list']),
        rel(own[0]!.manifest_path),
        ...dataFiles.map((d) => rel(d.file_path)),
        rel(loaded.metadataLocation),
      ]);
      expect(list).toHaveLength(2);
      const counted = committed.data_files.filter((f) => f.record_count !== undefined);
      expect(counted.map((f) => f.path)).toEqual(dataFiles.map((d) => rel(d.file_path)));
      expect(counted.reduce((n, f) => n + f.record_count!, 0)).toBe(
        result.tables.find((t) => t.table === committed.table)!.rows_added,
      );
    }
    const findings = tables.find((t) => t.table === 'findings')!;
    expect(findings.data_files.filter((f) => f.path.startsWith('data/'))).toHaveLength(1);
  });

  it('leaves out the metadata file once another commit made a newer snapshot current', async () => {
    const first = sampleRun({ org: 'org-a', run: uuidFrom('r1'), day: '2026-01-01', assetCount: 1 });
    const result = await lake.store.commit(first.findings, first.evidence, first.context);
    const second = sampleRun({ org: 'org-a', run: uuidFrom('r2'), day: '2026-01-01', assetCount: 1 });
    await lake.store.commit(second.findings, second.evidence, second.context);
    const [runs] = await committedFiles(lake.tables, lake.io, {
      tables: result.tables.filter((t) => t.table === 'runs'),
    });
    expect(runs!.data_files.map((f) => f.path.replace(/[^/]+$/, ''))).toEqual([
      'metadata/',
      'metadata/',
      'data/org_id=org-a/started_at_day=2026-01-01/',
    ]);
  });

  it('says which snapshot or table does not exist (SEG_NOT_FOUND)', async () => {
    const run = sampleRun({ org: 'org-a', run: uuidFrom('r1'), day: '2026-01-01', assetCount: 1 });
    const result = await lake.store.commit(run.findings, run.evidence, run.context);
    await expect(
      committedFiles(lake.tables, lake.io, { tables: [{ table: 'runs', snapshot_id: '42', rows_added: 1 }] }),
    ).rejects.toMatchObject({ error_code: 'SEG_NOT_FOUND', details: { table: 'runs', snapshot_id: '42' } });
    await expect(
      committedFiles(lake.tables, lake.io, { tables: [{ ...result.tables[0]!, table: 'nope' }] }),
    ).rejects.toMatchObject({ error_code: 'SEG_NOT_FOUND' });
  });

  it('resolves table paths against the location, keeping absolute URIs', () => {
    expect(tableFileUri('file:///w/t/', 'data/x.parquet')).toBe('file:///w/t/data/x.parquet');
    expect(tableFileUri('file:///w/t', 's3://b/k')).toBe('s3://b/k');
  });
});

describe('runAttestations', () => {
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

  it("reads a run's attestations, newest first, and only that tenant's with org_id", async () => {
    const run = uuidFrom('r1');
    const older = sampleAttestation(run);
    const newer = { ...older, id: uuidFrom('att2'), created_at: '2026-01-03T00:00:00Z' };
    await lake.store.recordAttestations([older], 'org-a');
    await lake.store.recordAttestations([newer], 'org-a');
    await lake.store.recordAttestations([sampleAttestation(uuidFrom('r2'))], 'org-a');
    expect((await runAttestations(lake.tables, run)).map((a) => a.id)).toEqual([newer.id, older.id]);
    expect(await runAttestations(lake.tables, run, 'org-a')).toEqual([newer, older]);
    expect(await runAttestations(lake.tables, run, 'org-b')).toEqual([]);
    expect(await runAttestations(lake.tables, uuidFrom('r3'))).toEqual([]);
  });
});
