import { describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import type { Asset, ConfigDoc, PageRequest, Scope } from '@neurocipher/seg-contracts';
import { InventoryPortId } from '../inventory/inventory-port.ts';
import type { InventoryPort } from '../inventory/inventory-port.ts';
import { encodeKeysetCursor } from '../paging/keyset-cursor.ts';
import { InMemoryInventory } from './in-memory-inventory.ts';
import { ManualClock } from './manual-clock.ts';

const scope: Scope = { org_id: 'org-1', tags: {} };

function asset(i: number, overrides: Partial<Asset> = {}): Asset {
  return {
    ref: { urn: `urn:asset:aws:bucket:b-${String(i).padStart(5, '0')}` },
    kind: i % 2 === 0 ? 'bucket' : 'vm',
    provider: 'aws',
    name: `asset ${i}`,
    properties: { region: i % 3 === 0 ? 'eu-west-1' : 'us-east-1', index: i },
    discovered_at: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
    ...overrides,
  };
}

function config(urn: string, captured_at: string, body: Record<string, unknown>): ConfigDoc {
  return { asset: { urn }, captured_at, schema_version: '1', body };
}

async function listAll(port: InventoryPort, page: PageRequest = {}): Promise<string[]> {
  const urns: string[] = [];
  let cursor: string | null | undefined = null;
  do {
    const result = await port.list_assets(scope, [], null, { ...page, cursor });
    urns.push(...result.assets.map((a) => a.ref.urn));
    cursor = result.next_cursor;
  } while (cursor !== undefined && cursor !== null);
  return urns;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isSegError(error)) return error.error_code;
    throw error;
  }
  throw new Error('expected a SegError');
}

const many = Array.from({ length: 2500 }, (_, i) => asset(i));

describe('InMemoryInventory', () => {
  it('implements InventoryPort under its id', () => {
    const port: InventoryPort = new InMemoryInventory();
    expect(port).toBeInstanceOf(InMemoryInventory);
    expect(InventoryPortId).toBe(Symbol.for('seg.ports.InventoryPort'));
  });

  describe('#list_assets', () => {
    it('pages 2,500 assets by 1,000 by default with no duplicates and no gaps, in URN order', async () => {
      const port = new InMemoryInventory({ assets: [...many].reverse() });
      const first = await port.list_assets(scope, []);
      expect(first.assets).toHaveLength(1000);
      const urns = await listAll(port);
      expect(urns).toHaveLength(2500);
      expect(new Set(urns).size).toBe(2500);
      expect(urns).toEqual(many.map((a) => a.ref.urn).sort());
    });

    it('honours small limits and still yields every asset once', async () => {
      const port = new InMemoryInventory({ assets: many });
      const urns = await listAll(port, { limit: 333 });
      expect(new Set(urns).size).toBe(2500);
      expect(urns).toHaveLength(2500);
    });

    it('returns the same page for the same cursor (stable cursors)', async () => {
      const port = new InMemoryInventory({ assets: many });
      const first = await port.list_assets(scope, [], null, { limit: 100 });
      const cursor = first.next_cursor as string;
      const again = await port.list_assets(scope, [], null, { limit: 100, cursor });
      const third = await port.list_assets(scope, [], null, { limit: 100, cursor });
      expect(again).toEqual(third);
      expect(again.assets[0]?.ref.urn).toBe(many[100]?.ref.urn);
    });

    it('neither repeats nor skips assets present throughout while assets change between pages', async () => {
      const port = new InMemoryInventory({ assets: many });
      const seen: string[] = [];
      let page = await port.list_assets(scope, [], null, { limit: 500 });
      seen.push(...page.assets.map((a) => a.ref.urn));
      // Insert before and after the cursor, and remove an already-read asset.
      port.put_asset(asset(0, { ref: { urn: 'urn:asset:aws:bucket:a-first' } }));
      port.put_asset(asset(0, { ref: { urn: 'urn:asset:aws:bucket:z-last' } }));
      port.remove_asset({ urn: many[3]?.ref.urn as string });
      while (page.next_cursor) {
        page = await port.list_assets(scope, [], null, { limit: 500, cursor: page.next_cursor });
        seen.push(...page.assets.map((a) => a.ref.urn));
      }
      expect(new Set(seen).size).toBe(seen.length);
      for (const a of many) expect(seen).toContain(a.ref.urn);
      expect(seen).toContain('urn:asset:aws:bucket:z-last');
      expect(seen).not.toContain('urn:asset:aws:bucket:a-first');
    });

    it('filters by kind, since and scope (region, project, tags, org)', async () => {
      const tagged = asset(9001, {
        kind: 'key',
        properties: { region: 'eu-west-1', project: 'p1', 'tag:env': 'prod', index: 9001 },
      });
      const port = new InMemoryInventory({ assets: [...many.slice(0, 10), tagged], org_id: 'org-1' });
      const vms = await port.list_assets(scope, ['vm']);
      expect(vms.assets.map((a) => a.kind)).toEqual(Array(5).fill('vm'));
      const recent = await port.list_assets(scope, [], '2026-01-01T00:00:05Z');
      // asset 9001 was discovered at 00:00:01, before `since`.
      expect(recent.assets.map((a) => a.properties['index'])).toEqual([5, 6, 7, 8, 9]);
      const eu = await port.list_assets({ ...scope, region: 'eu-west-1' }, []);
      expect(eu.assets.map((a) => a.properties['index'])).toEqual([0, 3, 6, 9, 9001]);
      const prod = await port.list_assets({ ...scope, project: 'p1', tags: { env: 'prod' } }, []);
      expect(prod.assets.map((a) => a.ref.urn)).toEqual([tagged.ref.urn]);
      const other = await port.list_assets({ org_id: 'org-2', tags: {} }, []);
      expect(other.assets).toEqual([]);
    });

    it('rejects a malformed cursor with SEG_INVALID_ARGUMENT', async () => {
      const port = new InMemoryInventory({ assets: many.slice(0, 5) });
      expect(await codeOf(port.list_assets(scope, [], null, { cursor: 'not a cursor!' }))).toBe(
        'SEG_INVALID_ARGUMENT',
      );
      expect(await codeOf(port.list_assets(scope, [], null, { cursor: btoa('foreign') }))).toBe(
        'SEG_INVALID_ARGUMENT',
      );
      expect(await codeOf(port.list_assets(scope, [], null, { cursor: '_w' }))).toBe('SEG_INVALID_ARGUMENT');
      const valid = await port.list_assets(scope, [], null, {
        cursor: encodeKeysetCursor(many[1]?.ref.urn as string),
      });
      expect(valid.assets).toHaveLength(3);
    });

    it('rejects a bad scope, since or limit with SEG_SCHEMA_VIOLATION', async () => {
      const port = new InMemoryInventory();
      expect(await codeOf(port.list_assets({ org_id: '', tags: {} }, []))).toBe('SEG_SCHEMA_VIOLATION');
      expect(await codeOf(port.list_assets(scope, [], '2026-01-01T00:00:00'))).toBe('SEG_SCHEMA_VIOLATION');
      expect(await codeOf(port.list_assets(scope, [], null, { limit: 1001 }))).toBe('SEG_SCHEMA_VIOLATION');
      expect(await codeOf(port.list_assets(scope, [], null, { limit: 0 }))).toBe('SEG_SCHEMA_VIOLATION');
    });

    it('returns copies, so callers cannot change the inventory', async () => {
      const port = new InMemoryInventory({ assets: [asset(1)] });
      const page = await port.list_assets(scope, []);
      (page.assets[0] as Asset).properties['index'] = 99;
      expect((await port.list_assets(scope, [])).assets[0]?.properties['index']).toBe(1);
    });
  });

  describe('#get_config', () => {
    const urn = asset(1).ref.urn;
    const clock = new ManualClock({ start: '2026-02-01T00:00:00Z' });
    const port = new InMemoryInventory({
      assets: [asset(1), asset(2)],
      configs: [
        config(urn, '2026-01-20T00:00:00Z', { version: 2 }),
        config(urn, '2026-01-10T00:00:00Z', { version: 1 }),
      ],
      clock,
    });

    it('returns the config as it was at the given time', async () => {
      expect((await port.get_config({ urn }, '2026-01-15T00:00:00Z')).body).toEqual({ version: 1 });
      expect((await port.get_config({ urn }, '2026-01-20T00:00:00Z')).body).toEqual({ version: 2 });
    });

    it('uses the clock when no time is given', async () => {
      expect((await port.get_config({ urn })).body).toEqual({ version: 2 });
      clock.set('2026-01-12T00:00:00Z');
      expect((await port.get_config({ urn }, null)).body).toEqual({ version: 1 });
    });

    it('is SEG_NOT_FOUND for an unknown asset or a time before any config', async () => {
      expect(await codeOf(port.get_config({ urn: 'urn:asset:aws:bucket:nope' }))).toBe('SEG_NOT_FOUND');
      expect(await codeOf(port.get_config({ urn }, '2025-01-01T00:00:00Z'))).toBe('SEG_NOT_FOUND');
      expect(await codeOf(port.get_config({ urn: asset(2).ref.urn }))).toBe('SEG_NOT_FOUND');
    });

    it('is SEG_SCHEMA_VIOLATION for a bad ref', async () => {
      expect(await codeOf(port.get_config({ urn: 'arn:aws:s3:::x' }))).toBe('SEG_SCHEMA_VIOLATION');
    });
  });

  describe('#search', () => {
    const port = new InMemoryInventory({ assets: many });

    it('matches kinds, name text (case-insensitive) and property equality', async () => {
      const byText = await port.search({ scope, text: 'ASSET 123', properties: {} });
      expect(byText.assets.map((a) => a.name).sort()).toEqual([
        'asset 123',
        'asset 1230',
        'asset 1231',
        'asset 1232',
        'asset 1233',
        'asset 1234',
        'asset 1235',
        'asset 1236',
        'asset 1237',
        'asset 1238',
        'asset 1239',
      ]);
      const byProps = await port.search({ scope, kinds: ['bucket'], properties: { index: 42 } });
      expect(byProps.assets.map((a) => a.properties['index'])).toEqual([42]);
      const wrongKind = await port.search({ scope, kinds: ['vm'], properties: { index: 42 } });
      expect(wrongKind.assets).toEqual([]);
    });

    it('is paged like list_assets', async () => {
      const urns: string[] = [];
      let cursor: string | null | undefined = null;
      do {
        const page = await port.search({ scope, kinds: ['vm'], properties: {}, cursor, limit: 400 });
        urns.push(...page.assets.map((a) => a.ref.urn));
        cursor = page.next_cursor;
      } while (cursor);
      expect(urns).toHaveLength(1250);
      expect(new Set(urns).size).toBe(1250);
    });

    it('rejects a bad query with SEG_SCHEMA_VIOLATION and a bad cursor with SEG_INVALID_ARGUMENT', async () => {
      expect(await codeOf(port.search({ scope, properties: {}, limit: 5000 }))).toBe('SEG_SCHEMA_VIOLATION');
      expect(await codeOf(port.search({ scope, properties: {}, cursor: 'x.y' }))).toBe(
        'SEG_INVALID_ARGUMENT',
      );
    });
  });

  describe('#put_asset', () => {
    it('rejects an invalid asset', () => {
      const port = new InMemoryInventory();
      expect(() => port.put_asset({ ...asset(1), ref: { urn: 'bad' } })).toThrow(
        expect.objectContaining({ error_code: 'SEG_SCHEMA_VIOLATION' }),
      );
    });
  });
});
