import { describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import { TableStoreId } from '../storage/table-store.ts';
import type { TableStore } from '../storage/table-store.ts';
import { InMemoryTableStore } from './in-memory-table-store.ts';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isSegError(error)) return error.error_code;
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('InMemoryTableStore', () => {
  it('implements TableStore under its id', () => {
    const store: TableStore = new InMemoryTableStore();
    expect(store).toBeInstanceOf(InMemoryTableStore);
    expect(TableStoreId).toBe(Symbol.for('seg.ports.TableStore'));
  });

  describe('#append', () => {
    it('makes one snapshot per append with increasing decimal ids', async () => {
      const store = new InMemoryTableStore();
      const a = await store.append('findings', [{ id: 1 }, { id: 2 }]);
      const b = await store.append('runs', [{ id: 3 }]);
      const c = await store.append('findings', []);
      expect(a).toEqual({ table: 'findings', snapshot_id: '1', rows_added: 2 });
      expect(b.snapshot_id).toBe('2');
      expect(c).toEqual({ table: 'findings', snapshot_id: '3', rows_added: 0 });
      expect(await store.snapshots('findings')).toEqual(['1', '3']);
    });

    it('is idempotent by commit_key per table', async () => {
      const store = new InMemoryTableStore();
      const first = await store.append('t', [{ n: 1 }], { commit_key: 'run-1' });
      const again = await store.append('t', [{ n: 1 }, { n: 2 }], { commit_key: 'run-1' });
      expect(again).toEqual(first);
      expect(await store.scan('t')).toEqual([{ n: 1 }]);
      const elsewhere = await store.append('u', [{ n: 1 }], { commit_key: 'run-1' });
      expect(elsewhere.rows_added).toBe(1);
    });

    it('deep-copies rows in, keeping bigint values', async () => {
      const store = new InMemoryTableStore();
      const row = { id: 9007199254740993n, nested: { a: 1 } };
      await store.append('t', [row]);
      row.nested.a = 2;
      expect(await store.scan('t')).toEqual([{ id: 9007199254740993n, nested: { a: 1 } }]);
    });

    it('is SEG_NOT_FOUND for an undeclared table and SEG_SCHEMA_VIOLATION for a row that does not fit', async () => {
      const store = new InMemoryTableStore({ tables: { runs: { columns: ['run_id', 'org_id'] }, free: {} } });
      expect(await codeOf(store.append('findings', [{}]))).toBe('SEG_NOT_FOUND');
      expect(await codeOf(store.append('runs', [{ run_id: 'r', extra: 1 }]))).toBe('SEG_SCHEMA_VIOLATION');
      expect(await codeOf(store.append('runs', [null as unknown as Record<string, unknown>]))).toBe(
        'SEG_SCHEMA_VIOLATION',
      );
      expect(await codeOf(store.append('free', [[1] as unknown as Record<string, unknown>]))).toBe(
        'SEG_SCHEMA_VIOLATION',
      );
      // A failed append adds no snapshot.
      expect(await store.snapshots('runs')).toEqual([]);
      expect((await store.append('free', [{ anything: true }])).rows_added).toBe(1);
      expect(await store.scan('runs')).toEqual([]);
    });
  });

  describe('#scan', () => {
    it('reads the table as of a snapshot and filters by equality', async () => {
      const store = new InMemoryTableStore();
      const s1 = await store.append('f', [
        { org: 'a', n: 1 },
        { org: 'b', n: 2 },
      ]);
      await store.append('f', [{ org: 'a', n: 3 }]);
      expect(await store.scan('f', { snapshot_id: s1.snapshot_id })).toEqual([
        { org: 'a', n: 1 },
        { org: 'b', n: 2 },
      ]);
      expect(await store.scan('f', { where: { org: 'a' } })).toEqual([
        { org: 'a', n: 1 },
        { org: 'a', n: 3 },
      ]);
      expect(await store.scan('f', { where: { org: 'a', n: 3 } })).toEqual([{ org: 'a', n: 3 }]);
      const rows = await store.scan('f');
      (rows[0] as Record<string, unknown>)['n'] = 100;
      expect((await store.scan('f'))[0]).toEqual({ org: 'a', n: 1 });
    });

    it('is SEG_NOT_FOUND for an unknown table or snapshot', async () => {
      const store = new InMemoryTableStore();
      expect(await codeOf(store.scan('nope'))).toBe('SEG_NOT_FOUND');
      expect(await codeOf(store.snapshots('nope'))).toBe('SEG_NOT_FOUND');
      await store.append('f', []);
      expect(await codeOf(store.scan('f', { snapshot_id: '999' }))).toBe('SEG_NOT_FOUND');
    });
  });
});
