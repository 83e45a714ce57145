import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import type { Asset, PageRequest, Scope } from '@neurocipher/seg-contracts';
import { encodeKeysetCursor } from '@neurocipher/seg-ports';
import type { InventoryPort } from '@neurocipher/seg-ports';
import { serializeSnapshotRecord } from '../snapshot/snapshot-record.ts';
import type { SnapshotRecord } from '../snapshot/snapshot-record.ts';
import { writeSnapshotFile } from '../snapshot/snapshot-file.ts';
import { SnapshotInventory } from './snapshot-inventory.ts';

const scope: Scope = { org_id: 'org-1', tags: {} };
const dir = mkdtempSync(join(tmpdir(), 'seg-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function record(i: number): SnapshotRecord {
  const urn = `urn:asset:aws:bucket:arn:aws:s3:::b-${String(i).padStart(5, '0')}`;
  const asset: Asset = {
    ref: { urn },
    kind: i % 2 === 0 ? 'bucket' : 'ec2-instance',
    provider: 'aws',
    name: `asset ${i}`,
    properties: { region: i % 3 === 0 ? 'eu-west-1' : 'us-east-1', project: `p${i % 4}`, 'tag:env': 'prod' },
    discovered_at: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
  };
  return {
    asset,
    configs: [
      { asset: { urn }, captured_at: '2026-01-02T00:00:00Z', schema_version: '1.0.0', body: { v: 2, i } },
      { asset: { urn }, captured_at: '2026-01-01T00:00:00Z', schema_version: '1.0.0', body: { v: 1, i } },
    ],
  };
}

const records = Array.from({ length: 2500 }, (_, i) => record(i));

async function listAll(port: InventoryPort, page: PageRequest = {}, kinds: string[] = []): Promise<string[]> {
  const urns: string[] = [];
  let cursor: string | null | undefined = null;
  do {
    const result = await port.list_assets(scope, kinds, null, { ...page, cursor });
    expect(result.assets.length).toBeLessThanOrEqual(page.limit ?? 1000);
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

describe('SnapshotInventory', () => {
  const port: InventoryPort = new SnapshotInventory({ records: [...records].reverse() });

  describe('#list_assets', () => {
    it('pages 2,500 assets by 1,000 with no duplicates and no gaps, in URN order', async () => {
      const first = await port.list_assets(scope, []);
      expect(first.assets).toHaveLength(1000);
      expect(first.next_cursor).toEqual(expect.any(String));
      const urns = await listAll(port);
      expect(urns).toEqual(records.map((r) => r.asset.ref.urn).sort());
    });

    it('honours small limits and filters by kind without gaps', async () => {
      const urns = await listAll(port, { limit: 333 }, ['ec2-instance']);
      expect(urns).toHaveLength(1250);
      expect(new Set(urns).size).toBe(1250);
    });

    it('returns the same page for the same cursor and no cursor on the last page', async () => {
      const first = await port.list_assets(scope, [], null, { limit: 100 });
      const cursor = first.next_cursor as string;
      const a = await port.list_assets(scope, [], null, { limit: 100, cursor });
      const b = await port.list_assets(scope, [], null, { limit: 100, cursor });
      expect(a).toEqual(b);
      expect(a.assets[0]?.ref.urn).toBe(records[100]?.asset.ref.urn);
      const last = await port.list_assets(scope, [], null, {
        limit: 500,
        cursor: encodeKeysetCursor(records[1999]!.asset.ref.urn),
      });
      expect(last.assets).toHaveLength(500);
      expect(last.next_cursor).toBeUndefined();
    });

    it('filters by scope region, project, tags and since', async () => {
      const page = await port.list_assets(
        { org_id: 'org-1', region: 'eu-west-1', project: 'p0', tags: { env: 'prod' } },
        [],
      );
      expect(page.assets.length).toBeGreaterThan(0);
      for (const asset of page.assets) {
        expect(asset.properties['region']).toBe('eu-west-1');
        expect(asset.properties['project']).toBe('p0');
      }
      expect((await port.list_assets({ org_id: 'o', tags: { env: 'dev' } }, [])).assets).toHaveLength(0);
      const recent = await port.list_assets(scope, [], '2026-01-01T00:00:58Z');
      expect(
        recent.assets.every((a) => Date.parse(a.discovered_at) >= Date.parse('2026-01-01T00:00:58Z')),
      ).toBe(true);
      expect(recent.assets.length).toBeGreaterThan(0);
    });

    it('hides the assets from other tenants when bound to one', async () => {
      const bound = new SnapshotInventory({ records: records.slice(0, 10), org_id: 'org-1' });
      expect((await bound.list_assets(scope, [])).assets).toHaveLength(10);
      expect((await bound.list_assets({ org_id: 'org-2', tags: {} }, [])).assets).toHaveLength(0);
    });

    it('rejects malformed cursors, bad limits and bad scopes with SegErrors', async () => {
      expect(await codeOf(port.list_assets(scope, [], null, { cursor: 'not a cursor!' }))).toBe(
        'SEG_INVALID_ARGUMENT',
      );
      expect(
        await codeOf(port.list_assets(scope, [], null, { cursor: Buffer.from('x:1').toString('base64url') })),
      ).toBe('SEG_INVALID_ARGUMENT');
      expect(await codeOf(port.list_assets(scope, [], null, { limit: 1001 }))).toBe('SEG_SCHEMA_VIOLATION');
      expect(await codeOf(port.list_assets({ org_id: '' } as Scope, []))).toBe('SEG_SCHEMA_VIOLATION');
      expect(await codeOf(port.list_assets(scope, [], 'yesterday'))).toBe('SEG_SCHEMA_VIOLATION');
    });
  });

  describe('#get_config', () => {
    const ref = records[7]!.asset.ref;

    it('returns the latest capture, or the one in force at a time', async () => {
      expect((await port.get_config(ref)).body).toEqual({ v: 2, i: 7 });
      expect((await port.get_config(ref, '2026-01-01T12:00:00Z')).body).toEqual({ v: 1, i: 7 });
    });

    it('returns copies the caller cannot use to change the snapshot', async () => {
      const doc = await port.get_config(ref);
      doc.body['v'] = 99;
      expect((await port.get_config(ref)).body['v']).toBe(2);
    });

    it('fails with SEG_NOT_FOUND for an unknown asset or a time before any capture', async () => {
      expect(await codeOf(port.get_config({ urn: 'urn:asset:aws:bucket:nope' }))).toBe('SEG_NOT_FOUND');
      expect(await codeOf(port.get_config(ref, '2025-01-01T00:00:00Z'))).toBe('SEG_NOT_FOUND');
      expect(await codeOf(port.get_config({ urn: 'nope' }))).toBe('SEG_SCHEMA_VIOLATION');
    });
  });

  describe('#search', () => {
    it('matches kinds, name text and properties, paged without gaps', async () => {
      const urns: string[] = [];
      let cursor: string | null | undefined = null;
      do {
        const page = await port.search({
          scope,
          kinds: ['bucket'],
          text: 'ASSET 1',
          properties: { region: 'us-east-1' },
          cursor,
          limit: 50,
        });
        urns.push(...page.assets.map((a) => a.ref.urn));
        for (const asset of page.assets) {
          expect(asset.kind).toBe('bucket');
          expect(asset.name?.startsWith('asset 1')).toBe(true);
          expect(asset.properties['region']).toBe('us-east-1');
        }
        cursor = page.next_cursor;
      } while (cursor !== undefined && cursor !== null);
      const expected = records
        .map((r) => r.asset)
        .filter(
          (a) => a.kind === 'bucket' && a.name!.includes('asset 1') && a.properties['region'] === 'us-east-1',
        )
        .map((a) => a.ref.urn)
        .sort();
      expect(urns).toEqual(expected);
      expect(expected.length).toBeGreaterThan(50);
    });
  });

  describe('.open', () => {
    it('reads a snapshot file written by writeSnapshotFile', async () => {
      const path = join(dir, 'nested', 'tenant.ndjson');
      expect(await writeSnapshotFile(path, records.slice(0, 30))).toBe(30);
      const opened = await SnapshotInventory.open({ path });
      expect(opened.size).toBe(30);
      expect(await listAll(opened)).toEqual(
        records
          .slice(0, 30)
          .map((r) => r.asset.ref.urn)
          .sort(),
      );
    });

    it('fails with SEG_ADAPTER_UNAVAILABLE for a missing file', async () => {
      expect(await codeOf(SnapshotInventory.open({ path: join(dir, 'missing.ndjson') }))).toBe(
        'SEG_ADAPTER_UNAVAILABLE',
      );
    });

    it('fails with SEG_SCHEMA_VIOLATION naming the line of a malformed record', async () => {
      const cases: Array<[string, number]> = [
        [serializeSnapshotRecord(records[0]!) + '\n{not json\n', 2],
        [
          '\n' +
            JSON.stringify({ asset: { ...records[0]!.asset, kind: '' }, configs: records[0]!.configs }) +
            '\n',
          2,
        ],
        [JSON.stringify({ asset: records[0]!.asset, configs: [] }) + '\n', 1],
        [JSON.stringify({ asset: records[0]!.asset, configs: records[1]!.configs }) + '\n', 1],
      ];
      for (const [text, line] of cases) {
        const path = join(dir, `bad-${line}-${text.length}.ndjson`);
        writeFileSync(path, text);
        let caught: unknown;
        try {
          await SnapshotInventory.open({ path });
        } catch (error) {
          caught = error;
        }
        expect(isSegError(caught) && caught.error_code).toBe('SEG_SCHEMA_VIOLATION');
        expect(isSegError(caught) && caught.details['line']).toBe(line);
      }
    });

    it('fails with SEG_SCHEMA_VIOLATION when the snapshot holds an asset twice', async () => {
      const path = join(dir, 'dup.ndjson');
      await writeSnapshotFile(path, [records[0]!, records[0]!]);
      expect(await codeOf(SnapshotInventory.open({ path }))).toBe('SEG_SCHEMA_VIOLATION');
    });
  });
});
