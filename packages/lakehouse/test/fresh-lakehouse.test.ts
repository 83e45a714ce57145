// A fresh lakehouse committed to once: the independent reader finds all seven canonical tables, the ones
// nothing was written to yet (plans, attestations) empty but with their schemas and partition specs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { TABLE_NAMES } from '../src/tables/table-definitions.ts';
import { tempDir } from '../src/testing/temp-dir.ts';
import { sampleRun, uuidFrom } from './fixtures.ts';
import type { PyTable } from './lake.ts';
import { listWithPyiceberg, openLake, readWithPyiceberg } from './lake.ts';

describe('a fresh lakehouse after one scan (pyiceberg, SQLite catalog)', () => {
  const dir = tempDir();
  const uri = `sqlite:///${join(dir.path, 'catalog.db')}`;
  let lake: ReturnType<typeof openLake>;
  let listed: string[];
  let py: Record<string, PyTable>;

  beforeAll(async () => {
    lake = openLake(dir.path);
    const r = sampleRun({ org: 'org-a', run: uuidFrom('first-scan'), day: '2026-01-01', assetCount: 2 });
    await lake.store.commit(r.findings, r.evidence, r.context);
    listed = await listWithPyiceberg(uri);
    py = await readWithPyiceberg(uri, TABLE_NAMES);
  }, 120_000);
  afterAll(async () => {
    await lake?.catalog.close();
    dir.remove();
  });

  it('lists all seven canonical tables', () => {
    expect(listed).toEqual([...TABLE_NAMES].sort());
  });

  it.each(['plans', 'attestations'] as const)(
    '%s exists, empty, with its pinned schema and partition spec',
    (name) => {
      const layout = lake.tables.layout(name);
      expect(py[name]!.row_count).toBe(0);
      expect(py[name]!.schema.map((f) => [f.id, f.name])).toEqual(
        layout.schema.fields.map((f) => [f.id, f.name]),
      );
      expect(py[name]!.spec.map((s) => [s.field_id, s.name])).toEqual(
        layout.spec.fields.map((s) => [s['field-id'], s.name]),
      );
    },
  );

  it('holds the scan in the tables it wrote', () => {
    expect(py.findings!.row_count).toBe(4);
    expect(py.runs!.row_count).toBe(1);
  });
});
