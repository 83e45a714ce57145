import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { tempDir } from '../testing/temp-dir.ts';
import { openLake } from '../../test/lake.ts';
import { IcebergTableStore } from './iceberg-table-store.ts';

const plan = (id: string) => ({
  org_id: 'org-a',
  run_id: null,
  committed_at: '2026-01-02T03:04:05.123456Z',
  id,
  finding_id: 'f',
  mode: 'plan',
  steps: '[]',
  estimated_risk: 'low',
  change_window: null,
  approvals_required: '[]',
  created_at: '2026-01-02T00:00:00Z',
});

describe('IcebergTableStore', () => {
  let dir: ReturnType<typeof tempDir>;
  let lake: ReturnType<typeof openLake>;
  let store: IcebergTableStore;
  beforeEach(() => {
    dir = tempDir();
    lake = openLake(dir.path);
    store = new IcebergTableStore({ tables: lake.tables });
  });
  afterEach(async () => {
    await lake.catalog.close();
    dir.remove();
  });

  describe('#append', () => {
    it('appends one snapshot, idempotent by commit key, and scans it back', async () => {
      const first = await store.append('plans', [plan('p1'), plan('p2')], { commit_key: 'k1' });
      expect(first).toMatchObject({ table: 'plans', rows_added: 2 });
      const again = await store.append('plans', [plan('p1'), plan('p2')], { commit_key: 'k1' });
      expect(again).toEqual({ table: 'plans', snapshot_id: first.snapshot_id, rows_added: 0 });
      await store.append('plans', [plan('p3')]);
      expect(await store.snapshots('plans')).toHaveLength(2);
      expect(await store.scan('plans', { where: { id: 'p2' } })).toEqual([
        { ...plan('p2'), change_window: null },
      ]);
      expect(await store.scan('plans', { snapshot_id: first.snapshot_id })).toHaveLength(2);
      expect(await store.scan('plans')).toHaveLength(3);
    });

    it('refuses rows that do not fit and unknown tables', async () => {
      await expect(store.append('plans', [{ ...plan('p1'), id: 7 }])).rejects.toMatchObject({
        error_code: 'SEG_SCHEMA_VIOLATION',
      });
      await expect(store.append('plans', [{ ...plan('p1'), extra: 1 }])).rejects.toMatchObject({
        error_code: 'SEG_SCHEMA_VIOLATION',
      });
      await expect(store.append('nope', [])).rejects.toMatchObject({ error_code: 'SEG_NOT_FOUND' });
      await expect(store.scan('plans', { snapshot_id: '1' })).rejects.toMatchObject({
        error_code: 'SEG_NOT_FOUND',
      });
    });
  });
});
