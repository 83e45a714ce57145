// The independent-reader check shared by the SQLite and PostgreSQL catalog tests: commit sample runs,
// plans and attestations, then pyiceberg must see the same schemas, row counts and values.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Catalog } from '../src/catalog/catalog.ts';
import type { SqlDriver } from '../src/catalog/sql-driver.ts';
import { UriSealer } from '../src/evidence/envelope.ts';
import type { Row } from '../src/iceberg/schema.ts';
import { toRow } from '../src/tables/row-codec.ts';
import type { TableName } from '../src/tables/table-definitions.ts';
import { TABLE_NAMES } from '../src/tables/table-definitions.ts';
import { tempDir } from '../src/testing/temp-dir.ts';
import { sampleAttestation, samplePlans, sampleRun, uuidFrom } from './fixtures.ts';
import type { PyTable } from './lake.ts';
import { fixedClock, openLake, readWithPyiceberg } from './lake.ts';

const typeName = {
  string: 'string',
  long: 'long',
  int: 'int',
  boolean: 'boolean',
  double: 'double',
  timestamptz: 'timestamptz',
  date: 'date',
};

function norm(v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : typeof v === 'number' ? String(v) : v;
}

function sortRows(rows: Record<string, unknown>[], key: readonly string[]) {
  return [...rows]
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, norm(v)])))
    .sort((a, b) => (key.map((k) => a[k]).join('|') < key.map((k) => b[k]).join('|') ? -1 : 1));
}

/** How a suite reaches its catalog database. */
export interface CatalogTarget {
  /** A fresh SQL driver on the catalog database, or a catalog. */
  driver: (dir: string) => SqlDriver | Catalog;
  /** The same catalog for pyiceberg: an SQLAlchemy URI, or the REST catalog's http URI. */
  uri: (dir: string) => string;
}

/** Declares the reader suite for one catalog target. */
export function describeReaderSuite(
  title: string,
  target: () => Promise<CatalogTarget>,
  teardown?: () => Promise<void>,
) {
  describe(title, () => {
    const dir = tempDir();
    let lake: ReturnType<typeof openLake>;
    const expected = new Map<TableName, Row[]>();
    let py: Record<string, PyTable>;

    beforeAll(async () => {
      const t = await target();
      lake = openLake(dir.path, t.driver(dir.path));
      const runs = [
        sampleRun({ org: 'org-a', run: uuidFrom('run-1'), day: '2026-01-01', assetCount: 5 }),
        sampleRun({ org: 'org-a', run: uuidFrom('run-2'), day: '2026-01-02', assetCount: 4 }),
        sampleRun({ org: 'org-b', run: uuidFrom('run-3'), day: '2026-01-02', assetCount: 3 }),
      ];
      const committedAt = fixedClock.now().toISOString();
      const add = (name: TableName, rows: Row[]) =>
        expected.set(name, [...(expected.get(name) ?? []), ...rows]);
      // Two runs commit concurrently: the catalog's compare-and-swap must serialise them without loss.
      await Promise.all(runs.slice(0, 2).map((r) => lake.store.commit(r.findings, r.evidence, r.context)));
      await lake.store.commit(runs[2]!.findings, runs[2]!.evidence, runs[2]!.context);
      for (const r of runs) {
        const seg = {
          org_id: r.context.run.scope.org_id,
          run_id: r.context.run.run_id,
          committed_at: committedAt,
        };
        add(
          'findings',
          r.findings.map((f) => toRow(lake.tables.layout('findings'), f, seg)),
        );
        add(
          'evidence',
          r.evidence.map((e) => toRow(lake.tables.layout('evidence'), e, seg)),
        );
        add(
          'assets',
          r.context.assets.map((a) => toRow(lake.tables.layout('assets'), a, seg)),
        );
        add(
          'controls',
          r.context.controls.map((c) => toRow(lake.tables.layout('controls'), c, seg)),
        );
        add('runs', [toRow(lake.tables.layout('runs'), r.context.run, seg)]);
      }
      const noRun = { org_id: 'org-a', run_id: null, committed_at: committedAt };
      const plans = samplePlans(runs[0]!.findings);
      await lake.store.recordPlans(plans, 'org-a');
      add(
        'plans',
        plans.map((p) => toRow(lake.tables.layout('plans'), p, noRun)),
      );
      const att = sampleAttestation(uuidFrom('run-1'));
      await lake.store.recordAttestations([att], 'org-a');
      add('attestations', [toRow(lake.tables.layout('attestations'), att, noRun)]);
      py = await readWithPyiceberg(t.uri(dir.path), TABLE_NAMES);
    }, 120_000);

    afterAll(async () => {
      await lake?.catalog.close();
      dir.remove();
      await teardown?.();
    });

    it.each(TABLE_NAMES)('%s: schema with the pinned field ids and partition spec', async (name) => {
      const layout = lake.tables.layout(name);
      expect(py[name]!.schema).toEqual(
        layout.schema.fields.map((f) => ({
          id: f.id,
          name: f.name,
          type: typeName[f.type],
          required: f.required,
        })),
      );
      expect(py[name]!.spec.map((s) => [s.field_id, s.name, s.transform])).toEqual(
        layout.spec.fields.map((s) => [s['field-id'], s.name, s.transform]),
      );
      const { metadata } = await lake.tables.table(name).load();
      expect(py[name]!.snapshot_id).toBe(String(metadata['current-snapshot-id']));
    });

    it.each(TABLE_NAMES)('%s: row count and values equal what was committed', async (name) => {
      const rows = expected.get(name)!;
      const key = lake.tables.layout(name).definition.key;
      expect(py[name]!.row_count).toBe(rows.length);
      const got = py[name]!.rows;
      // Evidence URIs are envelope-encrypted at rest: what pyiceberg sees must decrypt to the committed URI.
      const sealer = new UriSealer({ keys: lake.keys });
      for (const r of got) {
        if (name === 'evidence' && typeof r.uri === 'string') {
          expect(UriSealer.isSealed(r.uri)).toBe(true);
          r.uri = await sealer.open(r.uri);
        }
        if (name === 'findings') {
          const ptrs = JSON.parse(String(r.evidence)) as { uri?: string }[];
          for (const p of ptrs) if (p.uri) p.uri = await sealer.open(p.uri);
          r.evidence = JSON.stringify(ptrs);
        }
      }
      const canon = (rs: Record<string, unknown>[]) =>
        sortRows(rs, key).map((r) =>
          name === 'findings' ? { ...r, evidence: JSON.parse(String(r.evidence)) } : r,
        );
      expect(canon(got)).toEqual(canon(rows));
    });

    it('prunes by tenant through the partition metadata', () => {
      expect(py.findings!.per_org).toEqual({ 'org-a': 18, 'org-b': 6 });
      expect(py.runs!.per_org).toEqual({ 'org-a': 2, 'org-b': 1 });
    });
  });
}
