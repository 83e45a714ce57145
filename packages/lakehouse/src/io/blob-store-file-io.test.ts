import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { isSegError } from '@neurocipher/seg-contracts';
import { InMemoryBlobStore, InMemoryRedactor } from '@neurocipher/seg-ports/testing';
import { sampleRun, uuidFrom } from '../../test/fixtures.ts';
import { SqlCatalog } from '../catalog/sql-catalog.ts';
import { SqliteDriver } from '../catalog/sqlite-driver.ts';
import { EvidenceStore } from '../evidence/evidence-store.ts';
import { LocalKeyProvider } from '../evidence/local-key-provider.ts';
import { IcebergFindingStore } from '../ingest/iceberg-finding-store.ts';
import { LakehouseTables } from '../tables/lakehouse-tables.ts';
import { tempDir } from '../testing/temp-dir.ts';
import { BlobStoreFileIO } from './blob-store-file-io.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isSegError(error)) return error.error_code;
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('BlobStoreFileIO', () => {
  it('maps URIs under the prefix to blob keys and back', async () => {
    const blobs = new InMemoryBlobStore();
    const io = new BlobStoreFileIO({ blobs, uriPrefix: 's3://bucket/warehouse/' });
    expect(io.keyOf('s3://bucket/warehouse/seg/t/metadata/1.json')).toBe('seg/t/metadata/1.json');
    expect(io.uriOf('seg/t/data/a.parquet')).toBe('s3://bucket/warehouse/seg/t/data/a.parquet');
    await io.writeNew('s3://bucket/warehouse/seg/t/data/a.parquet', bytes('PAR1'));
    expect(await blobs.get('seg/t/data/a.parquet')).toEqual(bytes('PAR1'));
    const read = await io.read('s3://bucket/warehouse/seg/t/data/a.parquet');
    expect(Buffer.isBuffer(read)).toBe(true);
    expect(read.toString('utf8')).toBe('PAR1');
    expect(await io.exists('s3://bucket/warehouse/seg/t/data/a.parquet')).toBe(true);
    await io.delete('s3://bucket/warehouse/seg/t/data/a.parquet');
    await io.delete('s3://bucket/warehouse/seg/t/data/a.parquet');
    expect(await io.exists('s3://bucket/warehouse/seg/t/data/a.parquet')).toBe(false);
    expect(await codeOf(io.read('s3://bucket/warehouse/seg/t/data/a.parquet'))).toBe('SEG_NOT_FOUND');
  });

  it('writeNew refuses to overwrite an existing file (SEG_CONFLICT) and keeps its bytes', async () => {
    const io = new BlobStoreFileIO({ blobs: new InMemoryBlobStore(), uriPrefix: 's3://bucket/wh' });
    await io.writeNew('s3://bucket/wh/m/00001.metadata.json', bytes('first'));
    expect(await codeOf(io.writeNew('s3://bucket/wh/m/00001.metadata.json', bytes('second')))).toBe(
      'SEG_CONFLICT',
    );
    expect((await io.read('s3://bucket/wh/m/00001.metadata.json')).toString()).toBe('first');
  });

  it('rejects URIs outside its prefix and a prefix that is not an absolute URI', async () => {
    const io = new BlobStoreFileIO({ blobs: new InMemoryBlobStore(), uriPrefix: 's3://bucket/wh' });
    for (const uri of ['s3://bucket/other/x', 's3://bucket/whx/y', 's3://bucket/wh/', 'file:///wh/x']) {
      expect(await codeOf(io.read(uri))).toBe('SEG_INVALID_ARGUMENT');
      expect(await codeOf(io.writeNew(uri, bytes('x')))).toBe('SEG_INVALID_ARGUMENT');
    }
    expect(() => new BlobStoreFileIO({ blobs: new InMemoryBlobStore(), uriPrefix: 'warehouse' })).toThrow(
      /absolute URI/,
    );
  });

  it('lists a directory recursively across pages, sorted, not its siblings with a longer name', async () => {
    const blobs = new InMemoryBlobStore();
    const io = new BlobStoreFileIO({ blobs, uriPrefix: 's3://b/wh' });
    const names = Array.from({ length: 1005 }, (_, i) => `seg/findings/data/f-${String(i).padStart(4, '0')}`);
    await Promise.all(names.map((n) => blobs.put(n, bytes(n))));
    await blobs.put('seg/findings/metadata/v1.json', bytes('{}'));
    await blobs.put('seg/findings_old/data/x', bytes('x'));
    const listed = await io.list('s3://b/wh/seg/findings');
    expect(listed).toHaveLength(1006);
    expect(listed[0]).toBe('s3://b/wh/seg/findings/data/f-0000');
    expect(listed.at(-1)).toBe('s3://b/wh/seg/findings/metadata/v1.json');
    expect(listed.some((u) => u.includes('findings_old'))).toBe(false);
    expect(await io.list('s3://b/wh/seg/findings/')).toEqual(listed);
    expect(await io.list('s3://b/wh')).toHaveLength(1007);
    expect(await io.list('s3://b/wh/none')).toEqual([]);
  });

  describe('as the warehouse of a lakehouse whose evidence is in another blob store', () => {
    let dir: ReturnType<typeof tempDir>;
    let catalog: SqlCatalog;
    beforeEach(() => {
      dir = tempDir();
    });
    afterEach(async () => {
      await catalog?.close();
      dir.remove();
    });

    it('commits a run and reads it back, with every table file in the warehouse store', async () => {
      const warehouseBlobs = new InMemoryBlobStore();
      const evidenceBlobs = new InMemoryBlobStore();
      const io = new BlobStoreFileIO({ blobs: warehouseBlobs, uriPrefix: 'mem://lake/warehouse' });
      catalog = new SqlCatalog({
        name: 'seg',
        driver: new SqliteDriver(join(dir.path, 'catalog.db')),
        io,
        warehouse: 'mem://lake/warehouse',
      });
      const evidence = new EvidenceStore({ blobs: evidenceBlobs, redactor: new InMemoryRedactor() });
      const store = new IcebergFindingStore({
        tables: new LakehouseTables({ catalog, io }),
        keys: new LocalKeyProvider({ masterKey: randomBytes(32) }),
        evidence,
      });
      const run = sampleRun({ org: 'org-a', run: uuidFrom('mem-run'), day: '2026-01-01', assetCount: 2 });
      // Store each evidence body first (commit refuses unstored blobs), and point the rows at its hash.
      const stored = await Promise.all(
        run.evidence.map((e, i) => evidence.put({ finding: e.finding_ids[0], body: i }, 'application/json')),
      );
      const byOld = new Map(run.evidence.map((e, i) => [e.hash, stored[i]!]));
      const evidenceRows = run.evidence.map((e) => ({ ...e, hash: byOld.get(e.hash)!.hash }));
      const findings = run.findings.map((f) => ({
        ...f,
        evidence: f.evidence.map((p) => ({ ...p, hash: byOld.get(p.hash)!.hash })),
      }));
      const out = await store.commit(findings, evidenceRows, run.context);
      expect(out.findings_written).toBe(4);

      const back = await store.findings({ org_id: 'org-a' });
      expect(back.map((s) => s.finding.id).sort()).toEqual(findings.map((f) => f.id).sort());
      expect(back.find((s) => s.finding.id === findings[0]!.id)!.finding.evidence[0]!.hash).toBe(
        stored[0]!.hash,
      );
      const keys = (await warehouseBlobs.list('seg/findings/')).keys;
      expect(keys.some((k) => /^seg\/findings\/data\/.+\.parquet$/.test(k))).toBe(true);
      expect(keys.some((k) => /^seg\/findings\/metadata\/.+\.metadata\.json$/.test(k))).toBe(true);
      expect((await evidenceBlobs.list('sha256/')).keys).toHaveLength(
        new Set(stored.map((s) => s.hash)).size,
      );
      expect(new TextDecoder().decode(await evidence.get(stored[1]!.hash))).toContain('"body":1');
    });
  });
});
