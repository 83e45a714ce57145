import { describe, expect, it } from '@jest/globals';
import { sha256Hex } from '../digest/sha256-hex.ts';
import { EvidenceSinkId } from '../evidence/evidence-sink.ts';
import { InMemoryEvidenceSink } from './in-memory-evidence-sink.ts';
import { InMemoryRedactor } from './in-memory-redactor.ts';

// The bodies of these tests have their keys in RFC 8785 order already, so JSON.stringify is their
// canonical form (the real encoder is attest's `canonicalJson`, which this package cannot import).
const canonicalJson = (value: unknown): string => {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('no JSON form');
  return text;
};
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('InMemoryEvidenceSink', () => {
  it('is bound under Symbol.for("seg.ports.EvidenceSink")', () => {
    expect(EvidenceSinkId).toBe(Symbol.for('seg.ports.EvidenceSink'));
  });

  describe('#put', () => {
    it('redacts, canonicalises, hashes once and returns the address of the stored bytes', async () => {
      const redactor = new InMemoryRedactor({ secrets: { token: ['tok-9f2c'] } });
      const sink = new InMemoryEvidenceSink({ canonicalJson, redactor });
      const body = { a: 'x tok-9f2c', b: [1, null] };
      const ref = await sink.put(body, 'application/json');
      const stored = '{"a":"x [REDACTED:token]","b":[1,null]}';
      expect(ref).toEqual({ hash: sha256Hex(stored), size_bytes: stored.length });
      expect(text(await sink.get(ref.hash))).toBe(stored);
      expect(body.a).toBe('x tok-9f2c');
      expect(sink.media_type(ref.hash)).toBe('application/json');
    });

    it('stores text redacted as UTF-8 and bytes as given, and the same body once', async () => {
      const sink = new InMemoryEvidenceSink({
        canonicalJson,
        redactor: new InMemoryRedactor({ secrets: { password: ['hunter2'] } }),
      });
      const t = await sink.put('pw hunter2', 'text/plain');
      expect(text(await sink.get(t.hash))).toBe('pw [REDACTED:password]');
      const raw = new Uint8Array([0, 1, 2, 104, 117]);
      const b = await sink.put(raw, 'application/octet-stream');
      expect(b).toEqual({ hash: sha256Hex(raw), size_bytes: 5 });
      expect(await sink.put(raw, 'application/octet-stream')).toEqual(b);
      expect(sink.hashes()).toEqual([t.hash, b.hash].sort());
    });

    it('refuses a body that has no JSON form with SEG_INVALID_ARGUMENT', async () => {
      const sink = new InMemoryEvidenceSink({ canonicalJson });
      await expect(sink.put(undefined, 'application/json')).rejects.toMatchObject({
        error_code: 'SEG_INVALID_ARGUMENT',
      });
    });
  });

  describe('#putMany', () => {
    it('redacts a batch in one redactor call and answers in input order', async () => {
      const redactor = new InMemoryRedactor();
      const sink = new InMemoryEvidenceSink({ canonicalJson, redactor });
      const refs = await sink.putMany([
        { body: { n: 2 }, media_type: 'application/json' },
        { body: new Uint8Array([7]), media_type: 'application/octet-stream' },
        { body: { n: 1 }, media_type: 'application/json' },
        { body: { n: 2 }, media_type: 'application/json' },
      ]);
      expect(refs.map((r) => r.hash)).toEqual([
        sha256Hex('{"n":2}'),
        sha256Hex(new Uint8Array([7])),
        sha256Hex('{"n":1}'),
        sha256Hex('{"n":2}'),
      ]);
      expect(redactor.seen).toEqual([{ n: 2 }, { n: 1 }, { n: 2 }]);
      expect(sink.writes).toEqual([{ method: 'putMany', items: 4 }]);
      expect(sink.hashes()).toHaveLength(3);
    });
  });

  describe('#get and #missing', () => {
    it('verify the stored bytes: a corrupt or absent body is missing, and get refuses it', async () => {
      const sink = new InMemoryEvidenceSink({ canonicalJson });
      const kept = await sink.put({ k: 1 }, 'application/json');
      const broken = await sink.put({ k: 2 }, 'application/json');
      sink.corrupt(broken.hash, new TextEncoder().encode('{"k":3}'));
      const absent = sha256Hex('never stored');
      expect(await sink.missing([kept.hash, broken.hash, absent, absent])).toEqual([broken.hash, absent]);
      await expect(sink.get(broken.hash)).rejects.toMatchObject({
        error_code: 'SEG_INTERNAL',
        details: { integrity: true },
      });
      await expect(sink.get(absent)).rejects.toMatchObject({ error_code: 'SEG_NOT_FOUND' });
      await expect(sink.get('not-a-hash')).rejects.toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
      // Storing the body again repairs it.
      await sink.put({ k: 2 }, 'application/json');
      expect(await sink.missing([broken.hash])).toEqual([]);
    });
  });
});
