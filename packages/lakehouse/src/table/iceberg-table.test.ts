import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { parquetMetadata } from 'hyparquet';
import { readFileSync } from 'node:fs';
import { SqlCatalog } from '../catalog/sql-catalog.ts';
import { SqliteDriver } from '../catalog/sqlite-driver.ts';
import type { FileIO } from '../io/file-io.ts';
import { fileUri, LocalFileIO, localPath } from '../io/local-file-io.ts';
import { orgDaySpec, smallSchema } from '../testing/small-table.ts';
import { tempDir } from '../testing/temp-dir.ts';
import { IcebergTable } from './iceberg-table.ts';

const schema = smallSchema;
const spec = orgDaySpec;

describe('IcebergTable', () => {
  let dir: ReturnType<typeof tempDir>;
  let catalog: SqlCatalog;
  const io = new LocalFileIO();
  const table = () =>
    new IcebergTable({ catalog, io, ident: { namespace: 'seg', name: 't' }, create: { schema, spec } });

  beforeEach(() => {
    dir = tempDir();
    catalog = new SqlCatalog({
      name: 'seg',
      driver: new SqliteDriver(`${dir.path}/catalog.db`),
      io,
      warehouse: fileUri(`${dir.path}/warehouse`),
    });
  });
  afterEach(async () => {
    await catalog.close();
    dir.remove();
  });

  describe('#append', () => {
    it('writes partitioned Parquet files whose columns carry the field ids', async () => {
      const t = table();
      const out = await t.append([
        { org_id: 'a', n: 9_007_199_254_740_993n, at: 1_767_225_600_123_456n },
        { org_id: 'b', n: null, at: 1_767_225_600_000_000n },
      ]);
      expect(out.addedFiles).toBe(2);
      const rows = await t.scan();
      expect(rows).toHaveLength(2);
      expect(rows).toContainEqual({ org_id: 'a', n: 9_007_199_254_740_993n, at: 1_767_225_600_123_456n });
      const loaded = await t.load();
      const files = (await io.list(`${loaded.metadata.location}/data`)).filter((f) => f.endsWith('.parquet'));
      expect(files.some((f) => f.includes('/org_id=a/at_day=2026-01-01/'))).toBe(true);
      const buf = readFileSync(localPath(files[0]!));
      const md = parquetMetadata(
        buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer,
      );
      expect(md.schema.slice(1).map((e) => e.field_id)).toEqual([1, 2, 3]);
    });

    it('records snapshot summaries with running totals', async () => {
      const t = table();
      await t.append([{ org_id: 'a', n: 1n, at: 0n }], { summary: { 'seg.run-id': 'r1' } });
      await t.append([{ org_id: 'a', n: 2n, at: 0n }]);
      const { metadata } = await t.load();
      expect(metadata.snapshots).toHaveLength(2);
      expect(metadata.snapshots[0]!.summary).toMatchObject({
        operation: 'append',
        'seg.run-id': 'r1',
        'total-records': '1',
      });
      expect(metadata.snapshots[1]!.summary).toMatchObject({ 'added-records': '1', 'total-records': '2' });
      expect(BigInt(metadata['last-sequence-number'])).toBe(2n);
    });

    it('retries a commit that lost the compare-and-swap, losing no rows', async () => {
      const t1 = table();
      const t2 = table();
      await t1.append([{ org_id: 'a', n: 0n, at: 0n }]);
      let raced = false;
      const racing = new IcebergTable({
        catalog,
        io,
        ident: { namespace: 'seg', name: 't' },
        create: { schema, spec },
        onCommitStep: async (step) => {
          if (step === 'before-swap' && !raced) {
            raced = true;
            await t2.append([{ org_id: 'a', n: 1n, at: 0n }]);
          }
        },
      });
      const out = await racing.append([{ org_id: 'a', n: 2n, at: 0n }]);
      expect(out.attempts).toBe(2);
      expect((await t1.scan()).map((r) => r.n).sort()).toEqual([0n, 1n, 2n]);
    });

    it('skips the commit when prepare leaves nothing to write', async () => {
      const t = table();
      const out = await t.append([{ org_id: 'a', n: 1n, at: 0n }], { prepare: async () => [] });
      expect(out.snapshotId).toBeNull();
      expect((await t.load()).metadata.snapshots).toHaveLength(0);
    });
  });

  describe('#scan', () => {
    it('reads only the columns asked for, every row, and refuses a column the table lacks', async () => {
      const t = table();
      await t.append([
        { org_id: 'a', n: 1n, at: 0n },
        { org_id: 'b', n: null, at: 86_400_000_000n },
      ]);
      const rows = await t.scan({ columns: ['n', 'org_id'] });
      expect(rows.sort((x, y) => String(x.org_id).localeCompare(String(y.org_id)))).toEqual([
        { org_id: 'a', n: 1n },
        { org_id: 'b', n: null },
      ]);
      await expect(t.scan({ columns: ['n', 'nope'] })).rejects.toThrow('no column nope in t');
    });

    it('reads only the files whose bounds allow a value of `where`, and only its rows', async () => {
      const reads: string[] = [];
      const recording: FileIO = {
        read: (uri) => (reads.push(uri), io.read(uri)),
        writeNew: (uri, bytes) => io.writeNew(uri, bytes),
        exists: (uri) => io.exists(uri),
        delete: (uri) => io.delete(uri),
        list: (prefix) => io.list(prefix),
      };
      const t = new IcebergTable({
        catalog,
        io: recording,
        ident: { namespace: 'seg', name: 't' },
        create: { schema, spec: { 'spec-id': 0, fields: [] } },
      });
      await t.append([{ org_id: 'a', n: 1n, at: 0n }]);
      await t.append([{ org_id: 'c', n: 2n, at: 0n }]);
      await t.append([
        { org_id: 'b', n: 3n, at: 0n },
        { org_id: 'd', n: 4n, at: 0n },
      ]);
      // Longer than the writer bounds (64 bytes): this file has no bounds and is always read.
      await t.append([{ org_id: 'x'.repeat(65), n: 5n, at: 0n }]);
      const parquet = () => reads.filter((u) => u.endsWith('.parquet'));
      reads.length = 0;
      expect(await t.scan({ where: { column: 'org_id', values: ['c'] }, columns: ['n'] })).toEqual([
        { n: 2n },
      ]);
      expect(parquet()).toHaveLength(3);
      reads.length = 0;
      expect((await t.scan({ where: { column: 'org_id', values: ['a', 'e'] } })).map((r) => r.n)).toEqual([
        1n,
      ]);
      expect(parquet()).toHaveLength(2);
      await expect(t.scan({ where: { column: 'n', values: ['1'] } })).rejects.toThrow('is not a string');
    });

    it('with several `where` conditions reads only the files whose bounds allow all of them', async () => {
      const reads: string[] = [];
      const recording: FileIO = {
        read: (uri) => (reads.push(uri), io.read(uri)),
        writeNew: (uri, bytes) => io.writeNew(uri, bytes),
        exists: (uri) => io.exists(uri),
        delete: (uri) => io.delete(uri),
        list: (prefix) => io.list(prefix),
      };
      const t = new IcebergTable({
        catalog,
        io: recording,
        ident: { namespace: 'seg', name: 'two' },
        create: {
          schema: {
            type: 'struct',
            'schema-id': 0,
            fields: [
              { id: 1, name: 'run', required: true, type: 'string' },
              { id: 2, name: 'id', required: true, type: 'string' },
              { id: 3, name: 'n', required: true, type: 'long' },
            ],
          },
          spec: { 'spec-id': 0, fields: [] },
        },
      });
      await t.append([
        { run: 'r1', id: 'a', n: 1n },
        { run: 'r1', id: 'b', n: 2n },
      ]);
      await t.append([
        { run: 'r2', id: 'a', n: 3n },
        { run: 'r2', id: 'c', n: 4n },
      ]);
      await t.append([{ run: 'r1', id: 'x', n: 5n }]);
      const parquet = () => reads.filter((u) => u.endsWith('.parquet'));
      reads.length = 0;
      const where = [
        { column: 'run', values: ['r1'] },
        { column: 'id', values: ['a'] },
      ];
      expect(await t.scan({ where, columns: ['n'] })).toEqual([{ n: 1n }]);
      // r2's file fails the run bounds, the third file the id bounds.
      expect(parquet()).toHaveLength(1);
      expect(await t.scan({ where: [] })).toHaveLength(5);
    });
  });

  describe('#compact', () => {
    it('rewrites small files into one per partition and keeps every row', async () => {
      const t = table();
      for (let i = 0; i < 4; i++) await t.append([{ org_id: 'a', n: BigInt(i), at: 0n }]);
      await t.append([{ org_id: 'b', n: 9n, at: 0n }]);
      const before = await t.scan();
      const out = await t.compact();
      expect(out.addedFiles).toBe(1);
      const after = await t.scan();
      expect(after.map((r) => r.n).sort()).toEqual(before.map((r) => r.n).sort());
      const { metadata } = await t.load();
      expect(metadata.snapshots.at(-1)!.summary).toMatchObject({
        operation: 'replace',
        'deleted-data-files': '4',
        'total-records': '5',
      });
      expect((await t.compact()).snapshotId).toBeNull();
    });

    it('rewrites the files holding rows to remove, alone in their partition or not, and counts them', async () => {
      const t = table();
      await t.append([
        { org_id: 'a', n: 1n, at: 0n },
        { org_id: 'a', n: 2n, at: 0n },
      ]);
      await t.append([{ org_id: 'b', n: 3n, at: 0n }]);
      await t.append([{ org_id: 'c', n: 4n, at: 0n }]);
      await t.append([{ org_id: 'c', n: 5n, at: 0n }]);
      const out = await t.compact({
        removal: async () => ({
          candidates: { column: 'org_id', values: ['a', 'b', 'c'] },
          groupOf: (row) => (row.n === 2n || row.n === 3n || row.n === 5n ? `g${row.org_id}` : undefined),
        }),
        summary: (removed) => ({ 'x.removed': [...removed].map(([k, v]) => `${k}=${v}`).join(',') }),
      });
      // a: rewritten without one row; b: emptied (no file); c: merged, without one row.
      expect(out).toMatchObject({ addedFiles: 2, addedRows: 2, deletedFiles: 4 });
      expect([...out.removed].sort()).toEqual([
        ['ga', 1],
        ['gb', 1],
        ['gc', 1],
      ]);
      expect((await t.scan()).map((r) => r.n).sort()).toEqual([1n, 4n]);
      const { metadata } = await t.load();
      expect(metadata.snapshots.at(-1)!.summary).toMatchObject({
        operation: 'overwrite',
        'x.removed': 'ga=1,gb=1,gc=1',
        'deleted-records': '5',
        'total-records': '2',
      });
      // A lone candidate file without rows to remove is left as it is.
      const again = await t.compact({
        removal: async () => ({ candidates: { column: 'org_id', values: ['a'] }, groupOf: () => undefined }),
      });
      expect(again).toMatchObject({ snapshotId: null, deletedFiles: 0 });
    });

    it('compacts a data file of more rows than one call can take as arguments', async () => {
      // Spreading a 160,000-row file into one push() overflows V8's stack.
      const t = table();
      await t.append(Array.from({ length: 160_000 }, (_, i) => ({ org_id: 'a', n: BigInt(i), at: 0n })));
      await t.append([{ org_id: 'a', n: -1n, at: 0n }]);
      const out = await t.compact();
      expect(out.addedFiles).toBe(1);
      expect(out.addedRows).toBe(160_001);
      const after = await t.scan();
      expect(after).toHaveLength(160_001);
      expect(new Set(after.map((r) => r.n)).size).toBe(160_001);
    });
  });
});

describe('manifest bounds', () => {
  it('orders strings by UTF-8 bytes, also beyond the surrogate range', async () => {
    const { decodeManifest, decodeManifestList } = await import('../iceberg/manifest.ts');
    const dir = tempDir();
    const io = new LocalFileIO();
    const catalog = new SqlCatalog({
      name: 'seg',
      driver: new SqliteDriver(`${dir.path}/c.db`),
      io,
      warehouse: fileUri(`${dir.path}/w`),
    });
    try {
      const t = new IcebergTable({
        catalog,
        io,
        ident: { namespace: 'seg', name: 'b' },
        create: { schema, spec: { 'spec-id': 0, fields: [] } },
      });
      // U+FF5E sorts below U+1F600 in UTF-8 (and code points), above it in UTF-16 code units.
      await t.append([
        { org_id: '\uff5e', n: 5n, at: 0n },
        { org_id: '\u{1F600}', n: -2n, at: 7n },
        { org_id: 'a', n: 3n, at: 1n },
      ]);
      const { metadata } = await t.load();
      const list = decodeManifestList(await io.read(metadata.snapshots[0]!['manifest-list']));
      const [entry] = decodeManifest(await io.read(list[0]!.manifest_path));
      const lower = new Map(entry!.data_file.lower_bounds!.map((b) => [b.key, b.value]));
      const upper = new Map(entry!.data_file.upper_bounds!.map((b) => [b.key, b.value]));
      expect(lower.get(1)!.toString('utf8')).toBe('a');
      expect(upper.get(1)!.toString('utf8')).toBe('\u{1F600}');
      expect(lower.get(2)!.readBigInt64LE(0)).toBe(-2n);
      expect(upper.get(3)!.readBigInt64LE(0)).toBe(7n);
    } finally {
      await catalog.close();
      dir.remove();
    }
  });
});

describe('string columns', () => {
  it('round-trips many distinct strings, ASCII or not, with nulls', async () => {
    const dir = tempDir();
    const io = new LocalFileIO();
    const catalog = new SqlCatalog({
      name: 'seg',
      driver: new SqliteDriver(`${dir.path}/c.db`),
      io,
      warehouse: fileUri(`${dir.path}/w`),
    });
    try {
      const t = new IcebergTable({
        catalog,
        io,
        ident: { namespace: 'seg', name: 's' },
        create: { schema, spec: { 'spec-id': 0, fields: [] } },
      });
      for (const alphabet of ['id-', 'é€😀-']) {
        const rows = Array.from({ length: 300 }, (_, i) => ({
          org_id: `${alphabet}${i}`,
          n: i % 7 === 0 ? null : BigInt(i),
          at: BigInt(i),
        }));
        await t.append(rows);
        const back = (await t.scan()).filter((r) => String(r.org_id).startsWith(alphabet));
        expect(back.sort((a, b) => Number(a.at) - Number(b.at))).toEqual(rows);
      }
    } finally {
      await catalog.close();
      dir.remove();
    }
  });
});
