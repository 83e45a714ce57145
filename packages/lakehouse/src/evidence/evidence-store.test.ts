import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSegError } from '@neurocipher/seg-contracts';
import { sha256Hex, type EvidenceSink } from '@neurocipher/seg-ports';
import { InMemoryRedactor } from '@neurocipher/seg-ports/testing';
import { tempDir } from '../testing/temp-dir.ts';
import { EvidenceStore } from './evidence-store.ts';
import { LocalBlobStore } from './local-blob-store.ts';

const sha = (b: Uint8Array) => sha256Hex(b);
const at = (iso: string) => ({ now: () => new Date(iso) });
// Removes the one literal secret the tests seed: the store applies whatever redactor it is given.
const redactor = new InMemoryRedactor({ secrets: { email: ['ops@example.com'] } });

describe('EvidenceStore', () => {
  let dir: ReturnType<typeof tempDir>;
  let blobs: LocalBlobStore;

  beforeEach(() => {
    dir = tempDir();
    blobs = new LocalBlobStore({ root: join(dir.path, 'blobs') });
  });
  afterEach(() => dir.remove());

  describe('#put', () => {
    it('stores small bodies content-addressed under sha256/<2>/<hash> and de-duplicates', async () => {
      const store = new EvidenceStore({ redactor, blobs });
      const a = await store.put({ b: 1, a: 'x' }, 'application/json');
      const canonical = Buffer.from('{"a":"x","b":1}');
      expect(a).toMatchObject({
        hash: sha(canonical),
        size_bytes: canonical.length,
        chunks: 1,
        created: true,
      });
      expect(readFileSync(join(dir.path, 'blobs', 'sha256', a.hash.slice(0, 2), a.hash), 'utf8')).toBe(
        '{"a":"x","b":1}',
      );
      const again = await store.put({ a: 'x', b: 1 }, 'application/json');
      expect(again).toMatchObject({ hash: a.hash, created: false });
      expect((await blobs.list('sha256/')).keys).toHaveLength(1);
    });

    it('chunks large bodies with a reassembly map and reads them back', async () => {
      const store = new EvidenceStore({ redactor, blobs, chunkSize: 1024 });
      const body = randomBytes(4096 + 100);
      const out = await store.putBytes(body, 'application/octet-stream');
      expect(out).toMatchObject({ hash: sha(body), chunks: 5 });
      const map = JSON.parse(
        Buffer.from(await blobs.get(`sha256/${out.hash.slice(0, 2)}/${out.hash}.map.json`)).toString(),
      );
      expect(map.chunks.map((c: { size: number }) => c.size)).toEqual([1024, 1024, 1024, 1024, 100]);
      expect(Buffer.from(await store.get(out.hash)).equals(body)).toBe(true);
    });

    it('chunks at 8 MiB by default', async () => {
      const store = new EvidenceStore({ redactor, blobs });
      const body = Buffer.alloc(8 * 1024 * 1024 + 1, 7);
      const out = await store.putBytes(body, 'application/octet-stream');
      expect(out.chunks).toBe(2);
      expect(Buffer.from(await store.get(out.hash)).equals(body)).toBe(true);
    });

    it('redacts with its redactor before hashing and records what was removed', async () => {
      const store = new EvidenceStore({ redactor, blobs });
      const body = { owner: 'ops@example.com', notes: ['mail ops@example.com'], n: 1 };
      const out = await store.put(body, 'application/json');
      const text = Buffer.from(await store.get(out.hash)).toString();
      expect(text).toBe('{"n":1,"notes":["mail [REDACTED:email]"],"owner":"[REDACTED:email]"}');
      expect(out.redactions).toEqual([{ kind: 'email', count: 2 }]);
      expect(out.hash).toBe(sha(Buffer.from(text)));
      const plain = await store.put('contact ops@example.com', 'text/plain');
      expect(Buffer.from(await store.get(plain.hash)).toString()).toBe('contact [REDACTED:email]');
    });

    it('refuses to store a body without a redactor, and stores nothing', async () => {
      const store = new EvidenceStore({ blobs });
      for (const attempt of [
        store.put({ a: 1 }, 'application/json'),
        store.putMany([{ body: { a: 1 }, media_type: 'application/json' }]),
      ]) {
        await expect(attempt).rejects.toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
      }
      expect((await blobs.list('')).keys).toEqual([]);
    });

    it('refuses a body that has no JSON form, as the EvidenceSink port says, and stores nothing', async () => {
      const sink: EvidenceSink = new EvidenceStore({ redactor, blobs });
      for (const attempt of [
        sink.put(undefined, 'application/json'),
        sink.putMany([{ body: () => 1, media_type: 'application/json' }]),
      ]) {
        await expect(attempt).rejects.toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
      }
      expect((await blobs.list('')).keys).toEqual([]);
    });
  });

  describe('#putMany', () => {
    it('stores a batch in one pack with its index, de-duplicated, readable and verified per body', async () => {
      const store = new EvidenceStore({ redactor, blobs });
      const out = await store.putMany([
        { body: { b: 1, a: 'x' }, media_type: 'application/json' },
        { body: 'contact ops@example.com', media_type: 'text/plain' },
        { body: { a: 'x', b: 1 }, media_type: 'application/json' },
      ]);
      expect(out.map((o) => [o.hash, o.created])).toEqual([
        [sha(Buffer.from('{"a":"x","b":1}')), true],
        [out[1]!.hash, true],
        [out[0]!.hash, false],
      ]);
      expect(out[1]!.redactions.map((r) => r.kind)).toEqual(['email']);
      const keys = (await blobs.list('')).keys;
      expect(keys.filter((k) => k.startsWith('sha256/'))).toEqual([]);
      expect(keys.filter((k) => k.startsWith('packs/'))).toHaveLength(2);
      // A second store (another process) finds the bodies through the index.
      const other = new EvidenceStore({ redactor, blobs });
      expect(Buffer.from(await other.get(out[0]!.hash)).toString()).toBe('{"a":"x","b":1}');
      expect(await other.missing([out[0]!.hash, out[1]!.hash, sha(Buffer.from('nope'))])).toEqual([
        sha(Buffer.from('nope')),
      ]);
      expect(
        (await other.putMany([{ body: { a: 'x', b: 1 }, media_type: 'application/json' }]))[0]!.created,
      ).toBe(false);
    });

    it('refuses a body whose bytes in the pack were corrupted', async () => {
      const store = new EvidenceStore({ redactor, blobs });
      const [a] = await store.putMany([
        { body: { n: 1 }, media_type: 'application/json' },
        { body: { n: 2 }, media_type: 'application/json' },
      ]);
      const pack = (await blobs.list('packs/')).keys.find((k) => k.endsWith('.pack'))!;
      const file = join(dir.path, 'blobs', pack);
      const bytes = readFileSync(file);
      bytes[1] = bytes[1]! ^ 1;
      writeFileSync(file, bytes);
      const err = await new EvidenceStore({ redactor, blobs }).get(a!.hash).catch((e: unknown) => e);
      expect(isSegError(err) && err.details).toMatchObject({ integrity: true, hash: a!.hash });
    });

    it('rewrites a pack without its expired bodies; the bodies that stay read back, also from a stale reader', async () => {
      const store = new EvidenceStore({ redactor, blobs, clock: at('2027-06-01T00:00:00Z') });
      const [p1, p2, p3] = await store.putMany([
        { body: { n: 1 }, media_type: 'application/json' },
        { body: { n: 2 }, media_type: 'application/json' },
        { body: { n: 3 }, media_type: 'application/json' },
      ]);
      const [q1] = await store.putMany([{ body: { n: 4 }, media_type: 'application/json' }]);
      // Another store (another process) has read the pack before the purge.
      const reader = new EvidenceStore({ redactor, blobs });
      expect(Buffer.from(await reader.get(p2!.hash)).toString()).toBe('{"n":2}');
      expect(Buffer.from(await reader.get(q1!.hash)).toString()).toBe('{"n":4}');
      const old = '2026-01-01T00:00:00Z';
      const refs = [
        { org_id: 'o', hash: p1!.hash, committed_at: old },
        { org_id: 'o', hash: p2!.hash, committed_at: '2027-05-01T00:00:00Z' },
        { org_id: 'o', hash: q1!.hash, committed_at: old },
      ];
      const plan = await store.purgeExpired(refs, { dryRun: true });
      expect(plan).toEqual({ deleted: [p1!.hash, q1!.hash].sort(), repacked: 1 });
      expect((await blobs.list('packs/')).keys).toHaveLength(4);
      expect(await store.purgeExpired(refs)).toEqual(plan);
      // p1 and q1 are gone; p2 (referenced) and p3 (referenced by no row yet) stay, in one new pack.
      expect((await store.missing([p1!.hash, p2!.hash, p3!.hash, q1!.hash])).sort()).toEqual(
        [p1!.hash, q1!.hash].sort(),
      );
      expect((await blobs.list('packs/')).keys).toHaveLength(2);
      expect(Buffer.from(await reader.get(p3!.hash)).toString()).toBe('{"n":3}');
      expect(Buffer.from(await store.get(p2!.hash)).toString()).toBe('{"n":2}');
      await expect(new EvidenceStore({ redactor, blobs }).get(p1!.hash)).rejects.toMatchObject({
        error_code: 'SEG_NOT_FOUND',
      });
      expect(await store.purgeExpired(refs)).toEqual({ deleted: [], repacked: 0 });
    });

    it('a store that read a pack before another process purged it does not take its bodies as stored', async () => {
      const writer = new EvidenceStore({ redactor, blobs });
      const [x] = await writer.putMany([{ body: { x: 1 }, media_type: 'application/json' }]);
      expect(await writer.missing([x!.hash])).toEqual([]);
      const purger = new EvidenceStore({ redactor, blobs, clock: at('2027-06-01T00:00:00Z') });
      const refs = [{ org_id: 'o', hash: x!.hash, committed_at: '2026-01-01T00:00:00Z' }];
      expect((await purger.purgeExpired(refs)).deleted).toEqual([x!.hash]);
      expect(await writer.missing([x!.hash])).toEqual([x!.hash]);
      const [again] = await writer.putMany([{ body: { x: 1 }, media_type: 'application/json' }]);
      expect(again).toMatchObject({ hash: x!.hash, created: true });
      expect(Buffer.from(await new EvidenceStore({ redactor, blobs }).get(x!.hash)).toString()).toBe(
        '{"x":1}',
      );
    });

    it('deletes an expired body stored both in a pack and loose, both copies', async () => {
      const store = new EvidenceStore({ redactor, blobs, clock: at('2027-06-01T00:00:00Z') });
      const [x] = await store.putMany([{ body: 'x', media_type: 'text/plain' }]);
      await store.putBytes(Buffer.from('x'), 'text/plain');
      const refs = [{ org_id: 'o', hash: x!.hash, committed_at: '2026-01-01T00:00:00Z' }];
      expect(await store.purgeExpired(refs)).toEqual({ deleted: [x!.hash], repacked: 0 });
      expect(await blobs.exists(`sha256/${x!.hash.slice(0, 2)}/${x!.hash}`)).toBe(false);
      expect(await new EvidenceStore({ redactor, blobs }).missing([x!.hash])).toEqual([x!.hash]);
    });

    it('refuses to rewrite a pack whose kept body is corrupted, and deletes nothing', async () => {
      const store = new EvidenceStore({ redactor, blobs, clock: at('2027-06-01T00:00:00Z') });
      const [p1, p2] = await store.putMany([
        { body: { n: 1 }, media_type: 'application/json' },
        { body: { n: 2 }, media_type: 'application/json' },
      ]);
      const [packFile] = (await blobs.list('packs/')).keys.filter((k) => k.endsWith('.pack'));
      const bytes = Buffer.from(await blobs.get(packFile!));
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 2) ^ 1, bytes.length - 2); // inside p2's body
      writeFileSync(join(dir.path, 'blobs', packFile!), bytes);
      const refs = [
        { org_id: 'o', hash: p1!.hash, committed_at: '2026-01-01T00:00:00Z' },
        { org_id: 'o', hash: p2!.hash, committed_at: '2027-05-01T00:00:00Z' },
      ];
      const err = await store.purgeExpired(refs).catch((e: unknown) => e);
      expect(isSegError(err) && err.details).toMatchObject({ integrity: true, hash: p2!.hash });
      expect((await blobs.list('packs/')).keys).toHaveLength(2);
    });
  });

  describe('reuse of stored bodies', () => {
    const flip = (file: string, at: (length: number) => number) => {
      const bytes = readFileSync(file);
      const i = at(bytes.length);
      bytes[i] = bytes[i]! ^ 1;
      writeFileSync(file, bytes);
    };

    it('writes a body again when its copy in a pack no longer verifies, and keeps the intact ones', async () => {
      const [a, b] = await new EvidenceStore({ redactor, blobs }).putMany([
        { body: { n: 1 }, media_type: 'application/json' },
        { body: { n: 2 }, media_type: 'application/json' },
      ]);
      const pack = (await blobs.list('packs/')).keys.find((k) => k.endsWith('.pack'))!;
      flip(join(dir.path, 'blobs', pack), () => 1); // inside {"n":1}
      // Another process re-stores the same bodies: the corrupt one is stored again, the intact one is reused.
      const again = await new EvidenceStore({ redactor, blobs }).putMany([
        { body: { n: 1 }, media_type: 'application/json' },
        { body: { n: 2 }, media_type: 'application/json' },
      ]);
      expect(again.map((r) => [r.hash, r.created])).toEqual([
        [a!.hash, true],
        [b!.hash, false],
      ]);
      const fresh = new EvidenceStore({ redactor, blobs });
      expect(await fresh.missing([a!.hash, b!.hash])).toEqual([]);
      expect(Buffer.from(await fresh.get(a!.hash)).toString()).toBe('{"n":1}');
      expect(Buffer.from(await fresh.get(b!.hash)).toString()).toBe('{"n":2}');
      // The corrupt pack is gone: no pack left holds bytes that fail their hash.
      expect((await blobs.list('packs/')).keys).not.toContain(pack);
    });

    it('reports a body whose stored bytes do not verify as missing: packed, loose or chunked', async () => {
      const writer = new EvidenceStore({ redactor, blobs, chunkSize: 16 });
      const [packed] = await writer.putMany([{ body: { n: 1 }, media_type: 'application/json' }]);
      const loose = await writer.putBytes(Buffer.from('loose body'), 'text/plain');
      const chunked = await writer.putBytes(Buffer.from('0123456789abcdefFEDCBA9876543210!'), 'text/plain');
      const pack = (await blobs.list('packs/')).keys.find((k) => k.endsWith('.pack'))!;
      flip(join(dir.path, 'blobs', pack), () => 1);
      flip(join(dir.path, 'blobs', 'sha256', loose.hash.slice(0, 2), loose.hash), () => 0);
      const map = JSON.parse(
        Buffer.from(
          await blobs.get(`sha256/${chunked.hash.slice(0, 2)}/${chunked.hash}.map.json`),
        ).toString(),
      );
      const chunk = map.chunks[1].hash as string;
      flip(join(dir.path, 'blobs', 'sha256', chunk.slice(0, 2), chunk), () => 3);
      const all = [packed!.hash, loose.hash, chunked.hash];
      expect((await new EvidenceStore({ redactor, blobs, chunkSize: 16 }).missing(all)).sort()).toEqual(
        [...all].sort(),
      );
    });

    it('writes a corrupt loose blob and a corrupt chunk again instead of reusing them', async () => {
      const store = new EvidenceStore({ redactor, blobs, chunkSize: 16 });
      const loose = await store.putBytes(Buffer.from('loose body'), 'text/plain');
      const body = Buffer.from('0123456789abcdefFEDCBA9876543210!');
      const chunked = await store.putBytes(body, 'text/plain');
      flip(join(dir.path, 'blobs', 'sha256', loose.hash.slice(0, 2), loose.hash), () => 0);
      const map = JSON.parse(
        Buffer.from(
          await blobs.get(`sha256/${chunked.hash.slice(0, 2)}/${chunked.hash}.map.json`),
        ).toString(),
      );
      const chunk = map.chunks[0].hash as string;
      flip(join(dir.path, 'blobs', 'sha256', chunk.slice(0, 2), chunk), () => 0);
      const other = new EvidenceStore({ redactor, blobs, chunkSize: 16 });
      expect(await other.putBytes(Buffer.from('loose body'), 'text/plain')).toMatchObject({ created: true });
      expect(await other.putBytes(body, 'text/plain')).toMatchObject({ created: true });
      expect(await other.missing([loose.hash, chunked.hash])).toEqual([]);
      expect(Buffer.from(await other.get(chunked.hash)).equals(body)).toBe(true);
      expect(await other.putBytes(body, 'text/plain')).toMatchObject({ created: false });
    });
  });

  describe('#get', () => {
    it('refuses a corrupted chunk instead of returning wrong bytes', async () => {
      const store = new EvidenceStore({ redactor, blobs, chunkSize: 16 });
      const out = await store.putBytes(Buffer.from('0123456789abcdefFEDCBA9876543210!'), 'text/plain');
      const map = JSON.parse(
        Buffer.from(await blobs.get(`sha256/${out.hash.slice(0, 2)}/${out.hash}.map.json`)).toString(),
      );
      const victim = map.chunks[1].hash as string;
      writeFileSync(join(dir.path, 'blobs', 'sha256', victim.slice(0, 2), victim), 'XXXXXXXXXXXXXXXX');
      const err = await store.get(out.hash).catch((e: unknown) => e);
      expect(isSegError(err) && err.details).toMatchObject({ integrity: true, chunk: 1 });
    });

    it('refuses a corrupted small blob and reports a missing one', async () => {
      const store = new EvidenceStore({ redactor, blobs });
      const out = await store.put('hello', 'text/plain');
      writeFileSync(join(dir.path, 'blobs', 'sha256', out.hash.slice(0, 2), out.hash), 'hellO');
      await expect(store.get(out.hash)).rejects.toMatchObject({ error_code: 'SEG_INTERNAL' });
      await expect(store.get('0'.repeat(64))).rejects.toMatchObject({ error_code: 'SEG_NOT_FOUND' });
    });
  });

  describe('#purgeExpired', () => {
    it('deletes only blobs whose every reference expired, per-tenant retention', async () => {
      const put = async (s: string) =>
        (await new EvidenceStore({ redactor, blobs }).put(s, 'text/plain')).hash;
      const [old, shared, fresh, shortTenant, orphan] = await Promise.all(
        ['old', 'shared', 'fresh', 'short', 'orphan'].map(put),
      );
      const store = new EvidenceStore({
        redactor,
        blobs,
        clock: at('2027-03-01T00:00:00Z'),
        retentionDays: { 'org-short': 30 },
      });
      expect(store.retentionDays('org-a')).toBe(400);
      const refs = [
        { org_id: 'org-a', hash: old!, committed_at: '2026-01-01T00:00:00Z' },
        { org_id: 'org-a', hash: shared!, committed_at: '2026-01-01T00:00:00Z' },
        { org_id: 'org-b', hash: shared!, committed_at: '2027-01-01T00:00:00Z' },
        { org_id: 'org-a', hash: fresh!, committed_at: '2027-02-01T00:00:00Z' },
        { org_id: 'org-short', hash: shortTenant!, committed_at: '2027-01-15T00:00:00Z' },
      ];
      // A dry run names what would go and deletes nothing.
      expect(await store.purgeExpired(refs, { dryRun: true })).toEqual({
        deleted: [old!, shortTenant!].sort(),
        repacked: 0,
      });
      for (const h of [old!, shared!, fresh!, shortTenant!, orphan!]) expect(await store.has(h)).toBe(true);
      const { deleted } = await store.purgeExpired(refs);
      expect(deleted).toEqual([old!, shortTenant!].sort());
      for (const h of [shared!, fresh!, orphan!]) expect(await store.has(h)).toBe(true);
      for (const h of [old!, shortTenant!]) expect(await store.has(h)).toBe(false);
    });

    it('keeps chunks that a live chunked blob shares with an expired one', async () => {
      const store = new EvidenceStore({ redactor, blobs, chunkSize: 4, clock: at('2027-03-01T00:00:00Z') });
      const a = await store.putBytes(Buffer.from('AAAABBBB'), 'x');
      const b = await store.putBytes(Buffer.from('AAAACCCC'), 'x');
      await store.purgeExpired([
        { org_id: 'o', hash: a.hash, committed_at: '2020-01-01T00:00:00Z' },
        { org_id: 'o', hash: b.hash, committed_at: '2027-01-01T00:00:00Z' },
      ]);
      expect(await store.has(a.hash)).toBe(false);
      expect(Buffer.from(await store.get(b.hash)).toString()).toBe('AAAACCCC');
    });
  });
});
