// The kit must catch broken adapters, not only pass good ones: each case below breaks one contract of a
// correct in-memory adapter and expects the checks that guard it to fail.
import { describe, expect, it } from '@jest/globals';
import { SegError, isSegError, parseConfigDoc } from '@neurocipher/seg-contracts';
import type { Asset, AssetPage, InventoryQuery, PageRequest, Scope } from '@neurocipher/seg-contracts';
import { decodeKeysetCursor, encodeKeysetCursor } from '@neurocipher/seg-ports';
import type { InventoryPort } from '@neurocipher/seg-ports';
import { InMemoryInventory } from '@neurocipher/seg-ports/testing';
import type { ConformanceSubject, NarrowedScope } from './capabilities.ts';
import { conformancePassed, formatConformanceReport } from './conformance-report.ts';
import type { ConformanceReport } from './conformance-report.ts';
import { runConformance } from './run-conformance.ts';

const scope: Scope = { org_id: 'kit', tags: {} };

function assets(): Asset[] {
  return Array.from({ length: 20 }, (_, i) => ({
    ref: { urn: `urn:asset:other:${i % 4 === 0 ? 'vault' : 'thing'}:t${String(i).padStart(2, '0')}` },
    kind: i % 4 === 0 ? 'vault' : 'thing',
    provider: 'other' as const,
    name: `thing ${String(i).padStart(2, '0')}`,
    properties: { region: i % 2 === 0 ? 'north' : 'south', size: i % 3 },
    // Pairs of assets share a discovery time, so `since` lands on an instant two assets have.
    discovered_at: `2026-01-01T00:00:${String(Math.floor(i / 2) * 5).padStart(2, '0')}Z`,
  }));
}

const narrowedScopes: NarrowedScope[] = [
  { scope: { ...scope, region: 'north' }, includes: (a) => a.properties['region'] === 'north' },
];

/** The bug under test: a wrapper over a correct inventory. */
type Breakage = (inner: InMemoryInventory) => InventoryPort;

function subjectWith(breakage: Breakage): ConformanceSubject<'history' | 'mutation'> {
  const list = assets();
  const earlier = new Date(Date.now() - 600_000).toISOString();
  const inner = new InMemoryInventory({
    assets: list,
    configs: list.map((a) => ({ asset: a.ref, captured_at: earlier, schema_version: '1', body: { v: 1 } })),
  });
  return {
    inventory: breakage(inner),
    scope,
    kinds: [],
    narrowedScopes,
    async mutate(asset) {
      const doc = parseConfigDoc(await inner.get_config(asset.ref));
      inner.put_config({
        ...doc,
        captured_at: new Date().toISOString(),
        body: { v: Number(doc.body['v']) + 1 },
      });
      // Drift also creates an asset that sorts before every other one.
      inner.put_asset({ ...asset, ref: { urn: `urn:asset:other:aaa:n${Date.now()}` }, kind: 'aaa' });
    },
    async close() {},
  };
}

function wrap(inner: InventoryPort, over: Partial<InventoryPort>): InventoryPort {
  return {
    list_assets: over.list_assets ?? ((...a) => inner.list_assets(...a)),
    get_config: over.get_config ?? ((...a) => inner.get_config(...a)),
    search: over.search ?? ((q) => inner.search(q)),
  };
}

function run(breakage: Breakage): Promise<ConformanceReport> {
  return runConformance({
    name: 'broken',
    capabilities: ['history', 'mutation'],
    setup: async () => subjectWith(breakage),
  });
}

function failed(report: ConformanceReport): string[] {
  return report.checks.filter((c) => c.status === 'failed').map((c) => c.id);
}

/**
 * Positional cursors (`off.<n>`), two ways: over one cached listing shared by every call (`shared`: right
 * until another listing replaces it), or over the live listing (`live`: right until the provider changes).
 */
function positional(mode: 'shared' | 'live'): Breakage {
  return (inner) => {
    let current: Asset[] = [];
    const page = (items: Asset[], offset: number, limit: number): AssetPage => {
      const slice = items.slice(offset, offset + limit);
      return offset + limit < items.length
        ? { assets: slice, next_cursor: `off.${offset + limit}` }
        : { assets: slice };
    };
    const all = async (read: (c: string | null) => Promise<AssetPage>) => {
      const out: Asset[] = [];
      let cursor: string | null = null;
      do {
        const p: AssetPage = await read(cursor);
        out.push(...p.assets);
        cursor = p.next_cursor ?? null;
      } while (cursor);
      return out;
    };
    const serve = async (cursor: string | null | undefined, limit: number, fresh: () => Promise<Asset[]>) => {
      let offset = 0;
      if (cursor) {
        const m = /^off\.(\d+)$/.exec(cursor);
        if (!m) throw new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message: 'bad cursor' });
        offset = Number(m[1]);
      }
      if (!cursor || mode === 'live') current = await fresh();
      return page(current, offset, limit);
    };
    return wrap(inner, {
      async list_assets(s: Scope, kinds: readonly string[], since?: string | null, req?: PageRequest) {
        return serve(req?.cursor, req?.limit ?? 1000, () =>
          all((cursor) => inner.list_assets(s, kinds, since, { cursor, limit: 1000 })),
        );
      },
      async search(q: InventoryQuery) {
        return serve(q.cursor, q.limit ?? 1000, () =>
          all((cursor) => inner.search({ ...q, cursor, limit: 1000 })),
        );
      },
    });
  };
}

describe('runConformance', () => {
  it('passes a correct adapter, and reports what it did not declare', async () => {
    const report = await run((inner) => inner);
    expect(failed(report)).toEqual([]);
    expect(conformancePassed(report)).toBe(true);
    expect(report.capabilities.remediation).toBe('not declared');
    expect(report.checks.filter((c) => c.status === 'not declared').map((c) => c.id)).toEqual([
      'remediation.apply-rollback',
      'remediation.dry-run',
      'evidence.hashes',
      'faults.timeout',
      'faults.unavailable',
    ]);
    expect(report.checks.every((c) => c.status !== 'passed' || typeof c.duration_ms === 'number')).toBe(true);
  });

  it.each<[string, Breakage, string[]]>([
    [
      'pages larger than the limit',
      (inner) =>
        wrap(inner, {
          list_assets: (s, k, since, req) =>
            inner.list_assets(s, k, since, { ...req, limit: Math.min((req?.limit ?? 999) + 1, 1000) }),
        }),
      ['inventory.paging'],
    ],
    [
      'cursors that repeat the last asset of the page before (>= instead of >)',
      (inner) =>
        wrap(inner, {
          list_assets(s, k, since, req) {
            if (!req?.cursor) return inner.list_assets(s, k, since, req);
            // A key just below the cursor's, so the page starts at the cursor's own asset again.
            const key = decodeKeysetCursor(req.cursor);
            const below = `${key.slice(0, -1)}${String.fromCharCode(key.charCodeAt(key.length - 1) - 1)}~`;
            return inner.list_assets(s, k, since, { ...req, cursor: encodeKeysetCursor(below) });
          },
        }),
      ['inventory.paging', 'inventory.cursors'],
    ],
    [
      'a kinds filter that is ignored',
      (inner) => wrap(inner, { list_assets: (s, _k, since, req) => inner.list_assets(s, [], since, req) }),
      ['inventory.kinds'],
    ],
    [
      'a region scope that is ignored',
      (inner) =>
        wrap(inner, {
          list_assets: (s, k, since, req) => inner.list_assets({ ...s, region: null }, k, since, req),
        }),
      ['inventory.scope'],
    ],
    [
      'a `since` that drops the assets discovered at that instant',
      (inner) =>
        wrap(inner, {
          list_assets: (s, k, since, req) =>
            inner.list_assets(s, k, since ? new Date(Date.parse(since) + 1).toISOString() : since, req),
        }),
      ['inventory.since'],
    ],
    [
      'foreign cursors read as the first page',
      (inner) =>
        wrap(inner, {
          list_assets: (s, k, since, req) =>
            inner
              .list_assets(s, k, since, req)
              .catch(() => inner.list_assets(s, k, since, { limit: req?.limit ?? null })),
        }),
      ['inventory.foreign-cursors'],
    ],
    [
      'a search that ignores properties',
      (inner) => wrap(inner, { search: (q) => inner.search({ ...q, properties: {} }) }),
      ['inventory.search'],
    ],
    [
      'an unknown asset that fails with a plain Error',
      (inner) =>
        wrap(inner, {
          get_config: (ref, at) =>
            inner.get_config(ref, at).catch((e: unknown) => {
              throw isSegError(e, 'SEG_NOT_FOUND') ? new Error('not found') : e;
            }),
        }),
      ['inventory.get-config', 'history.point-in-time'],
    ],
    [
      'page sizes over the maximum clamped instead of refused',
      (inner) =>
        wrap(inner, {
          list_assets: (s, k, since, req) =>
            inner.list_assets(s, k, since, {
              ...req,
              limit: Math.max(1, Math.min(req?.limit ?? 1000, 1000)),
            }),
        }),
      ['inventory.bad-arguments'],
    ],
    [
      'get_config that ignores `at`',
      (inner) => wrap(inner, { get_config: (ref) => inner.get_config(ref) }),
      ['history.point-in-time', 'history.after-change'],
    ],
    ['positional cursors over one listing shared by every call', positional('shared'), ['inventory.cursors']],
    ['positional cursors over the live listing', positional('live'), ['mutation.stable-listing']],
  ])('fails an adapter with %s', async (_what, breakage, expected) => {
    const report = await run(breakage);
    // The checks that guard the broken contract fail; the kit does not fail everything wholesale.
    expect(failed(report)).toEqual(expect.arrayContaining(expected));
    expect(report.checks.filter((c) => c.status === 'passed').length).toBeGreaterThan(0);
    expect(conformancePassed(report)).toBe(false);
    for (const id of expected) {
      expect(report.checks.find((c) => c.id === id)?.error).toEqual(expect.any(String));
    }
    expect(formatConformanceReport(report)).toContain(`failed: ${expected[0]}`);
  });

  it('fails a declared capability whose hook the subject lacks, naming the hook', async () => {
    const report = await runConformance({
      name: 'no hook',
      capabilities: ['mutation', 'faults'],
      setup: async () => {
        const { mutate: _mutate, ...rest } = subjectWith((inner) => inner);
        return rest as unknown as ConformanceSubject<'mutation'>;
      },
      faulty: undefined as never,
    });
    const drift = report.checks.find((c) => c.id === 'mutation.drift');
    expect(drift?.status).toBe('failed');
    expect(drift?.error).toContain("capability 'mutation' is declared, but the subject has no mutate()");
    expect(report.checks.find((c) => c.id === 'faults.timeout')?.error).toContain('no faulty()');
  });

  it('fails a subject that cannot exercise the kinds and scope filters, saying why', async () => {
    const report = await runConformance({
      name: 'thin subject',
      capabilities: [],
      setup: async () => ({ ...subjectWith((inner) => inner), kinds: ['thing'], narrowedScopes: [] }),
    });
    expect(report.checks.find((c) => c.id === 'inventory.kinds')?.error).toContain('at least two kinds');
    expect(report.checks.find((c) => c.id === 'inventory.scope')?.error).toContain('no narrowed scope');
    expect(report.checks.find((c) => c.id === 'inventory.paging')?.status).toBe('passed');
  });

  it('refuses a capability it does not know', async () => {
    await expect(
      runConformance({
        name: 'typo',
        capabilities: ['remediaton'] as never[],
        setup: async () => subjectWith((inner) => inner),
      }),
    ).rejects.toThrow(/unknown capabilities \[remediaton\]/);
  });
});

// Checked by the type checker (`npm run typecheck`), never run: declaring a capability makes its hooks
// required, and `faulty` is required exactly when `faults` is declared.
export function typeContract(inventory: InventoryPort): void {
  const base = { inventory, scope, kinds: [], narrowedScopes, close: async () => {} };
  void runConformance({
    name: 'mutation without mutate()',
    capabilities: ['mutation'],
    // @ts-expect-error mutate is required once mutation is declared
    setup: async () => base,
  });
  // @ts-expect-error faulty is required once faults is declared
  void runConformance({ name: 'faults without faulty()', capabilities: ['faults'], setup: async () => base });
  void runConformance({ name: 'inventory only', capabilities: [], setup: async () => base });
}
