import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import {
  dataFileSubjectName,
  evaluationStatement,
  evidenceSubjectName,
  runSummaryBytes,
  runSummarySubjectName,
  verifyRunData,
} from '@neurocipher/seg-attest';
import type { InTotoStatement } from '@neurocipher/seg-attest';
import { InMemoryRedactor } from '@neurocipher/seg-ports/testing';
import { EvidenceStore } from '../evidence/evidence-store.ts';
import { LocalBlobStore } from '../evidence/local-blob-store.ts';
import { committedFiles, tableFileUri } from '../ingest/committed-files.ts';
import type { CommittedTable } from '../ingest/committed-files.ts';
import type { FileIO } from '../io/file-io.ts';
import type { TableName } from '../tables/table-definitions.ts';
import { tempDir } from '../testing/temp-dir.ts';
import { sampleRun, uuidFrom } from '../../test/fixtures.ts';
import { openLake } from '../../test/lake.ts';
import { lakehouseSubjectResolver } from './lakehouse-subject-resolver.ts';

const INDEX_MEDIA_TYPE = 'application/vnd.seg.evidence-index+json';

async function failure(p: Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSegError(err)) throw new Error(`expected a SegError, got ${String(err)}`);
  return { code: err.error_code, details: err.details };
}

describe('lakehouseSubjectResolver', () => {
  let dir: ReturnType<typeof tempDir>;
  let lake: ReturnType<typeof openLake>;
  let evidence: EvidenceStore;
  let files: CommittedTable[];
  let statement: InTotoStatement;
  let evidenceHash: string;
  let summaries: Map<string, Uint8Array>;
  const r = sampleRun({ org: 'org-a', run: uuidFrom('attested'), day: '2026-01-01', assetCount: 3 });
  const run = r.context.run;

  // The file a data-file subject of `table` names (its first data file), as a path on disk.
  const fileOf = async (table: TableName): Promise<{ path: string; name: string }> => {
    const commit = files.find((t) => t.table === table)!;
    const file = commit.data_files.find((f) => f.path.endsWith('.parquet'))!;
    const { metadata } = await lake.tables.table(table).load();
    return {
      path: fileURLToPath(tableFileUri(metadata.location, file.path)),
      name: dataFileSubjectName(table, commit.snapshot_id, file.path),
    };
  };

  beforeEach(async () => {
    dir = tempDir();
    lake = openLake(dir.path);
    const result = await lake.store.commit(r.findings, r.evidence, r.context);
    files = await committedFiles(lake.tables, lake.io, result);
    evidence = new EvidenceStore({
      blobs: new LocalBlobStore({ root: join(dir.path, 'blobs') }),
      redactor: new InMemoryRedactor(),
    });
    evidenceHash = (await evidence.put({ bucket: 'logs', versioning: 'Enabled' }, 'application/json')).hash;
    statement = evaluationStatement(run, {
      tables: files,
      evidence: [{ sha256: evidenceHash, media_type: 'application/json' }],
    });
    summaries = new Map([[run.run_id, runSummaryBytes(run)]]);
  });
  afterEach(async () => {
    await lake.catalog.close();
    dir.remove();
  });

  it('resolves every subject of a committed run, so attest re-hashes all of them', async () => {
    const resolver = lakehouseSubjectResolver({ tables: lake.tables, io: lake.io, evidence, summaries });
    const checked = await verifyRunData(statement, { resolver, evidenceIndexMediaType: INDEX_MEDIA_TYPE });
    const fileCount = files.reduce((n, t) => n + t.data_files.length, 0);
    expect(fileCount).toBeGreaterThanOrEqual(5 * 4);
    expect(checked).toEqual({ subjects: 1 + fileCount + 1, files: fileCount, blobs: 1 });
  });

  it('names a table file that differs, and one that is gone', async () => {
    const resolver = lakehouseSubjectResolver({ tables: lake.tables, io: lake.io, evidence, summaries });
    const { path, name } = await fileOf('findings');
    const bytes = readFileSync(path);
    bytes[bytes.length - 1] = bytes.at(-1)! ^ 1;
    writeFileSync(path, bytes);
    expect(
      await failure(verifyRunData(statement, { resolver, evidenceIndexMediaType: INDEX_MEDIA_TYPE })),
    ).toEqual({
      code: 'SEG_ATTEST_VERIFY_FAILED',
      details: expect.objectContaining({ reason: 'subject_digest_mismatch', name }),
    });
    rmSync(path);
    await expect(resolver.resolve({ name, digest: { sha256: '0'.repeat(64) } })).resolves.toBeUndefined();
    expect(
      await failure(verifyRunData(statement, { resolver, evidenceIndexMediaType: INDEX_MEDIA_TYPE })),
    ).toEqual({
      code: 'SEG_ATTEST_VERIFY_FAILED',
      details: expect.objectContaining({ reason: 'subject_missing', name }),
    });
  });

  it('refuses an evidence blob whose stored bytes do not hash to it, naming the subject', async () => {
    const resolver = lakehouseSubjectResolver({ tables: lake.tables, io: lake.io, evidence, summaries });
    const blob = join(dir.path, 'blobs', 'sha256', evidenceHash.slice(0, 2), evidenceHash);
    writeFileSync(blob, '{"bucket":"forged"}');
    const name = evidenceSubjectName(evidenceHash);
    expect(await failure(resolver.resolve({ name, digest: { sha256: evidenceHash } }))).toEqual({
      code: 'SEG_ATTEST_VERIFY_FAILED',
      details: expect.objectContaining({ reason: 'subject_digest_mismatch', name }),
    });
  });

  it('is undefined for what the lakehouse does not hold: another run, table, blob, a plan, an unknown name', async () => {
    const resolver = lakehouseSubjectResolver({ tables: lake.tables, io: lake.io, evidence, summaries });
    const digest = { sha256: '0'.repeat(64) };
    expect(await resolver.resolve({ name: runSummarySubjectName(run.run_id), digest })).toEqual(
      summaries.get(run.run_id),
    );
    for (const name of [
      runSummarySubjectName(uuidFrom('another run')),
      dataFileSubjectName('no_such_table', '1', 'data/x.parquet'),
      dataFileSubjectName('findings', '1', 'data/no-such-file.parquet'),
      evidenceSubjectName('a'.repeat(64)),
      'seg/plans/7d1c4b2a/plan.json',
      'something/else',
    ]) {
      await expect(resolver.resolve({ name, digest })).resolves.toBeUndefined();
    }
  });

  it('passes on a failure that is not a missing artifact', async () => {
    const broken: FileIO = {
      read: async () => {
        throw Object.assign(new Error('disk on fire'), { code: 'EIO' });
      },
      writeNew: (uri, bytes) => lake.io.writeNew(uri, bytes),
      exists: (uri) => lake.io.exists(uri),
      delete: (uri) => lake.io.delete(uri),
      list: (prefix) => lake.io.list(prefix),
    };
    const resolver = lakehouseSubjectResolver({ tables: lake.tables, io: broken, evidence, summaries });
    const { name } = await fileOf('findings');
    await expect(resolver.resolve({ name, digest: { sha256: '0'.repeat(64) } })).rejects.toThrow(
      'disk on fire',
    );
  });
});
