import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SqlCatalog } from '../catalog/sql-catalog.ts';
import { SqliteDriver } from '../catalog/sqlite-driver.ts';
import { fileUri, LocalFileIO } from '../io/local-file-io.ts';
import { tempDir } from '../testing/temp-dir.ts';
import { IcebergTableStore } from './iceberg-table-store.ts';
import { LakehouseTables } from './lakehouse-tables.ts';
import { TABLE_NAMES } from './table-definitions.ts';

describe('LakehouseTables', () => {
  let dir: ReturnType<typeof tempDir>;
  let catalog: SqlCatalog;
  const io = new LocalFileIO();
  const existing = async (): Promise<string[]> => {
    const out: string[] = [];
    for (const name of TABLE_NAMES) {
      const found = await catalog.loadTable({ namespace: 'seg', name }).then(
        () => true,
        () => false,
      );
      if (found) out.push(name);
    }
    return out;
  };

  beforeEach(() => {
    dir = tempDir();
    catalog = new SqlCatalog({
      name: 'seg',
      driver: new SqliteDriver(join(dir.path, 'catalog.db')),
      io,
      warehouse: fileUri(join(dir.path, 'warehouse')),
    });
  });
  afterEach(async () => {
    await catalog.close();
    dir.remove();
  });

  it('creates nothing when bound, and all seven tables on the first write to any of them', async () => {
    const tables = new LakehouseTables({ catalog, io });
    await catalog.ensureNamespace('seg');
    expect(await existing()).toEqual([]);
    await new IcebergTableStore({ tables }).append('assets', [
      {
        org_id: 'org-a',
        run_id: 'r',
        committed_at: '2026-01-02T03:04:05Z',
        ref_urn: 'urn:asset:aws:bucket:a',
        kind: 'bucket',
        provider: 'aws',
        name: null,
        properties: '{}',
        discovered_at: '2026-01-02T00:00:00Z',
      },
    ]);
    expect(await existing()).toEqual([...TABLE_NAMES]);
    const plans = await tables.table('plans').load();
    expect(plans.metadata['current-snapshot-id'] ?? null).toBeNull();
    expect(plans.metadata.properties['seg.contract']).toBe('remediation-plan');
  });

  it('#ensureAll is idempotent and agrees with another instance creating the tables at the same time', async () => {
    const a = new LakehouseTables({ catalog, io });
    const b = new LakehouseTables({ catalog, io });
    await Promise.all([a.ensureAll(), b.ensureAll(), a.ensureAll()]);
    expect(await existing()).toEqual([...TABLE_NAMES]);
    for (const name of TABLE_NAMES) {
      const [fromA, fromB] = await Promise.all([a.table(name).load(), b.table(name).load()]);
      expect(fromA.metadataLocation).toBe(fromB.metadataLocation);
    }
  });
});
