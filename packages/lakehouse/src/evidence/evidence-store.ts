// Content-addressed evidence blobs (spec Appendix E): redacted, canonicalised, sha256-addressed under
// `sha256/<2>/<hash>`, chunked at 8 MiB with a reassembly map, de-duplicated, verified on every read,
// and purged by per-tenant retention without ever touching a blob an unexpired row references. Bodies
// stored together (`putMany`) go into one pack, `packs/<sha256 of the pack>.pack`, with an index
// `packs/<same>.idx.json` written after it: one durable write per batch instead of one per body.
// A body is taken as already stored only once its stored bytes hash to it: a corrupt or missing copy is
// written again (a corrupt pack is rewritten without the bodies that no longer verify).
import { createHash } from 'node:crypto';
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import { canonicalJson } from '@neurocipher/seg-attest';
import type {
  BlobStore,
  Clock,
  EvidenceItem,
  EvidenceSink,
  Redaction,
  Redactor,
} from '@neurocipher/seg-ports';
import { sha256Hex, systemClock } from '@neurocipher/seg-ports';

/** Chunk size of large blobs: 8 MiB. */
export const CHUNK_SIZE = 8 * 1024 * 1024;
/** Default retention of evidence: 400 days. */
export const DEFAULT_RETENTION_DAYS = 400;

/** The reassembly map of a chunked blob. */
export interface ChunkMap {
  hash: string;
  size: number;
  chunk_size: number;
  chunks: { hash: string; size: number }[];
}

/** What {@link EvidenceStore.put} stored. */
export interface StoredEvidence {
  /** sha256 of the stored (redacted) bytes. */
  hash: string;
  media_type: string;
  size_bytes: number;
  /** Number of chunks (1 for a small blob). */
  chunks: number;
  /** What the redaction filter removed before hashing. */
  redactions: Redaction[];
  /** False when an identical blob was already stored. */
  created: boolean;
}

/** What {@link EvidenceStore.purgeExpired} deleted (or would, on a dry run). */
export interface PurgeResult {
  /** Hashes of the blobs deleted, sorted. */
  deleted: string[];
  /** Packs rewritten without their expired bodies because they also hold bodies that stay. */
  repacked: number;
}

/** A reference from a table row to a blob, for retention. */
export interface BlobReference {
  org_id: string;
  hash: string;
  /** When the referencing row was committed (RFC 3339). */
  committed_at: string;
}

/** Options of {@link EvidenceStore}. */
export interface EvidenceStoreOptions {
  blobs: BlobStore;
  /**
   * Removes secrets from every body before it is canonicalised and hashed (core's `SecretRedactor` in
   * the apps). Without one the store only reads, checks and purges: `put` and `putMany` refuse.
   */
  redactor?: Redactor;
  clock?: Clock;
  /** Retention in days per tenant; tenants not listed get `defaultRetentionDays`. */
  retentionDays?: Readonly<Record<string, number>>;
  /** Default retention in days (400). */
  defaultRetentionDays?: number;
  /** Chunk size in bytes (8 MiB; smaller only in tests). */
  chunkSize?: number;
}

const blobKey = (hash: string) => `sha256/${hash.slice(0, 2)}/${hash}`;
const mapKey = (hash: string) => `sha256/${hash.slice(0, 2)}/${hash}.map.json`;
const HASH = /^[0-9a-f]{64}$/;
const PACKS = 'packs/';
const packKey = (id: string) => `${PACKS}${id}.pack`;
const indexKey = (id: string) => `${PACKS}${id}.idx.json`;

/** The index of a pack: where each body lies in it. */
interface PackIndex {
  pack: string;
  entries: [hash: string, offset: number, length: number, media_type: string][];
}

interface PackedAt {
  pack: string;
  offset: number;
  length: number;
}

function integrityError(message: string, details: Record<string, unknown>): SegError {
  return new SegError({
    error_code: 'SEG_INTERNAL',
    message,
    retryable: false,
    details: { integrity: true, ...details },
  });
}

// Redacts and canonicalises bodies (all of one call in one pass of the redactor): objects as RFC 8785
// JSON, text as is, raw bytes untouched (binary artefacts are not scanned).
type Prepared = { bytes: Uint8Array; redactions: Redaction[] };

async function prepare(redactor: Redactor | undefined, bodies: readonly unknown[]): Promise<Prepared[]> {
  if (!redactor) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: 'this evidence store has no redactor: it cannot store evidence bodies',
    });
  }
  const text = bodies.filter((b) => !(b instanceof Uint8Array));
  const redacted = await redactor.redact(text);
  let next = 0;
  return bodies.map((body) => {
    if (body instanceof Uint8Array) return { bytes: body, redactions: [] };
    const r = redacted[next++]!;
    const out = typeof r.value === 'string' ? r.value : canonical(r.value);
    return { bytes: Buffer.from(out, 'utf8'), redactions: r.redactions };
  });
}

function canonical(value: unknown): string {
  try {
    return canonicalJson(value);
  } catch (cause) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: 'an evidence body has no JSON form',
      cause,
    });
  }
}

/**
 * The evidence blob store: the durable {@link EvidenceSink} of SEG (the run's evaluation evidence and the
 * adapters' raw responses, captured configs, previews and apply records all come through it), over the
 * BlobStore port. What `put` and `putMany` return says more than the port asks: the chunk count, what
 * redaction removed and whether the bytes were new.
 */
export class EvidenceStore implements EvidenceSink {
  readonly #blobs: BlobStore;
  readonly #clock: Clock;
  readonly #retention: Readonly<Record<string, number>>;
  readonly #defaultDays: number;
  readonly #chunkSize: number;
  readonly #redactor: Redactor | undefined;
  // Bodies in packs, by hash, from every pack index read so far; refreshed when a lookup misses.
  readonly #packed = new Map<string, PackedAt>();
  // The index of every pack read or written so far, by pack id.
  readonly #indexes = new Map<string, PackIndex>();
  // Packs whose every body this instance wrote or has read back and hashed.
  readonly #verified = new Set<string>();
  #lastPack: { id: string; bytes: Uint8Array } | undefined;

  /** Creates the store over a {@link BlobStore}. */
  constructor(options: EvidenceStoreOptions) {
    this.#blobs = options.blobs;
    this.#clock = options.clock ?? systemClock;
    this.#retention = options.retentionDays ?? {};
    this.#defaultDays = options.defaultRetentionDays ?? DEFAULT_RETENTION_DAYS;
    this.#chunkSize = options.chunkSize ?? CHUNK_SIZE;
    this.#redactor = options.redactor;
  }

  /** Retention in days of a tenant. */
  retentionDays(org_id: string): number {
    return this.#retention[org_id] ?? this.#defaultDays;
  }

  /**
   * Redacts, canonicalises (JSON values, RFC 8785), hashes and stores an evidence body. Objects and text
   * are redacted; raw bytes are stored as given (binary artefacts are not scanned).
   */
  async put(body: unknown, media_type: string): Promise<StoredEvidence> {
    const [{ bytes, redactions }] = (await prepare(this.#redactor, [body])) as [Prepared];
    const stored = await this.putBytes(bytes, media_type);
    return { ...stored, redactions };
  }

  /**
   * Stores many bodies in one durable write: each is redacted, canonicalised and hashed as by
   * {@link put}; those not stored yet go into one new pack (bodies over the chunk size are chunked on
   * their own instead). Results are in input order.
   */
  async putMany(items: readonly EvidenceItem[]): Promise<StoredEvidence[]> {
    await this.#refreshPacks();
    const redacted = await prepare(
      this.#redactor,
      items.map((i) => i.body),
    );
    // Each small body hashed once, here (a body over the chunk size is hashed by putBytes).
    const prepared = redacted.map((r, i) => ({
      ...r,
      media_type: items[i]!.media_type,
      hash: r.bytes.length > this.#chunkSize ? '' : sha256Hex(r.bytes),
    }));
    // A body already in a pack counts as stored only once that pack's bytes verify (read once per pack).
    const packsOfKnown = new Set<string>();
    for (const p of prepared) {
      if (p.bytes.length > this.#chunkSize) continue;
      const at = this.#packed.get(p.hash);
      if (at) packsOfKnown.add(at.pack);
    }
    await this.#verifyPacks(packsOfKnown);
    const out: StoredEvidence[] = [];
    const parts: Uint8Array[] = [];
    const entries: PackIndex['entries'] = [];
    const inPack = new Set<string>();
    let offset = 0;
    for (const { bytes, redactions, media_type, hash } of prepared) {
      if (bytes.length > this.#chunkSize) {
        out.push({ ...(await this.putBytes(bytes, media_type)), redactions });
        continue;
      }
      const known = this.#packed.has(hash) || inPack.has(hash);
      out.push({ hash, media_type, size_bytes: bytes.length, chunks: 1, redactions, created: !known });
      if (known) continue;
      inPack.add(hash);
      parts.push(bytes);
      entries.push([hash, offset, bytes.length, media_type]);
      offset += bytes.length;
    }
    if (entries.length > 0) await this.#writePack(parts, entries);
    return out;
  }

  // Writes one pack of bodies and then its index (entries' offsets into the concatenated parts): a crash
  // in between leaves a pack nobody can see, never an index that points at missing bytes.
  async #writePack(parts: Uint8Array[], entries: PackIndex['entries']): Promise<void> {
    const pack = Buffer.concat(parts);
    const id = sha256Hex(pack);
    await this.#blobs.put(packKey(id), pack, { content_type: 'application/octet-stream' });
    const index: PackIndex = { pack: id, entries };
    await this.#blobs.put(indexKey(id), Buffer.from(JSON.stringify(index)), {
      content_type: 'application/json',
    });
    this.#learn(index);
    this.#verified.add(id);
  }

  // Reads back every pack of `ids` not verified yet and hashes each body in it. A pack that is gone is
  // forgotten; a pack holding a body that does not verify is rewritten without it (the intact bodies
  // copied into a new pack), so that body counts as not stored and the next write stores it again.
  async #verifyPacks(ids: Iterable<string>): Promise<void> {
    for (const id of ids) {
      if (this.#verified.has(id)) continue;
      const index = this.#indexes.get(id);
      let bytes: Uint8Array;
      try {
        bytes = await this.#blobs.get(packKey(id));
      } catch (err) {
        if (!isSegError(err) || err.error_code !== 'SEG_NOT_FOUND') throw err;
        this.#forget(id);
        continue;
      }
      if (!index) continue;
      const bad = new Set<string>();
      for (const [hash, at, length] of index.entries) {
        const body = bytes.subarray(at, at + length);
        if (body.length !== length || sha256Hex(body) !== hash) bad.add(hash);
      }
      if (bad.size === 0) {
        this.#verified.add(id);
        this.#lastPack = { id, bytes };
      } else {
        await this.#rewritePack(id, (h) => !bad.has(h), { index, bytes });
      }
    }
  }

  // Forgets a pack this instance had read (deleted or rewritten, here or by another process).
  // A body of that pack that another known pack also holds is found there from now on.
  #forget(id: string): void {
    const index = this.#indexes.get(id);
    this.#indexes.delete(id);
    this.#verified.delete(id);
    if (this.#lastPack?.id === id) this.#lastPack = undefined;
    const lost = new Set<string>();
    for (const [hash] of index?.entries ?? []) {
      if (this.#packed.get(hash)?.pack !== id) continue;
      this.#packed.delete(hash);
      lost.add(hash);
    }
    if (lost.size === 0) return;
    for (const other of this.#indexes.values())
      for (const [hash, offset, length] of other.entries)
        if (lost.has(hash) && !this.#packed.has(hash))
          this.#packed.set(hash, { pack: other.pack, offset, length });
  }

  #learn(index: PackIndex): void {
    this.#indexes.set(index.pack, index);
    for (const [hash, offset, length] of index.entries)
      this.#packed.set(hash, { pack: index.pack, offset, length });
  }

  // Reads the indexes of packs this instance has not seen (other processes may have added some) and
  // forgets the packs that are gone (a purge, maybe in another process, deleted or rewrote them), so a
  // body of a deleted pack is never taken as stored.
  async #refreshPacks(): Promise<void> {
    const listed = new Set<string>();
    let cursor: string | null | undefined = null;
    do {
      const page = await this.#blobs.list(PACKS, { cursor, limit: 1000 });
      for (const key of page.keys) {
        if (!key.endsWith('.idx.json')) continue;
        const id = key.slice(PACKS.length, -'.idx.json'.length);
        listed.add(id);
        if (this.#indexes.has(id)) continue;
        const index = JSON.parse(Buffer.from(await this.#blobs.get(key)).toString('utf8')) as PackIndex;
        if (index.pack !== id) throw integrityError(`pack index ${key} names pack ${index.pack}`, { key });
        this.#learn(index);
      }
      cursor = page.next_cursor;
    } while (cursor);
    for (const id of [...this.#indexes.keys()]) if (!listed.has(id)) this.#forget(id);
  }

  async #packedAt(hash: string): Promise<PackedAt | undefined> {
    if (!this.#packed.has(hash)) await this.#refreshPacks();
    return this.#packed.get(hash);
  }

  /**
   * The hashes among `hashes` that are not stored intact: not in a pack, whole or as a chunk map, or
   * stored with bytes that no longer hash to them. Lists the packs once per call (new ones are read,
   * deleted ones forgotten) and reads back each pack, loose blob and chunk that has not been verified by
   * this instance yet; a pack found corrupt is rewritten without the bodies that fail.
   */
  async missing(hashes: Iterable<string>): Promise<string[]> {
    await this.#refreshPacks();
    const wanted = [...new Set(hashes)];
    const packs = new Set<string>();
    for (const hash of wanted) {
      const at = this.#packed.get(hash);
      if (at) packs.add(at.pack);
    }
    await this.#verifyPacks(packs);
    const out: string[] = [];
    for (const hash of wanted) {
      if (this.#packed.has(hash)) continue;
      if (!(await this.#looseIntact(hash))) out.push(hash);
    }
    return out;
  }

  // Whether a blob stored outside the packs (whole, or chunks and their map) reads back as `hash`.
  async #looseIntact(hash: string): Promise<boolean> {
    if (await this.#intact(blobKey(hash), hash)) return true;
    if (!(await this.#blobs.exists(mapKey(hash)))) return false;
    try {
      const map = await this.#readMap(hash);
      const whole = createHash('sha256');
      for (const c of map.chunks) {
        const bytes = await this.#blobs.get(blobKey(c.hash));
        if (bytes.length !== c.size || sha256Hex(bytes) !== c.hash) return false;
        whole.update(bytes);
      }
      return whole.digest('hex') === hash;
    } catch (err) {
      if (isSegError(err) && (err.error_code === 'SEG_NOT_FOUND' || err.details.integrity === true))
        return false;
      throw err;
    }
  }

  // Whether the object under `key` exists and its bytes hash to `hash`.
  async #intact(key: string, hash: string): Promise<boolean> {
    if (!(await this.#blobs.exists(key))) return false;
    try {
      return sha256Hex(await this.#blobs.get(key)) === hash;
    } catch (err) {
      if (isSegError(err) && err.error_code === 'SEG_NOT_FOUND') return false;
      throw err;
    }
  }

  /**
   * Stores bytes as they are (already redacted) under their sha256; large bodies are chunked. A copy
   * already stored is kept only when it reads back intact; a corrupt blob, chunk or map is written again.
   */
  async putBytes(bytes: Uint8Array, media_type: string): Promise<StoredEvidence> {
    const hash = sha256Hex(bytes);
    const base = { hash, media_type, size_bytes: bytes.length, redactions: [] as Redaction[] };
    if (bytes.length <= this.#chunkSize) {
      if (await this.#intact(blobKey(hash), hash)) return { ...base, chunks: 1, created: false };
      await this.#blobs.put(blobKey(hash), bytes, { content_type: media_type });
      return { ...base, chunks: 1, created: true };
    }
    const chunks: ChunkMap['chunks'] = [];
    let rewritten = false;
    for (let off = 0; off < bytes.length; off += this.#chunkSize) {
      const chunk = bytes.subarray(off, Math.min(off + this.#chunkSize, bytes.length));
      const h = sha256Hex(chunk);
      if (!(await this.#intact(blobKey(h), h))) {
        await this.#blobs.put(blobKey(h), chunk);
        rewritten = true;
      }
      chunks.push({ hash: h, size: chunk.length });
    }
    const map: ChunkMap = { hash, size: bytes.length, chunk_size: this.#chunkSize, chunks };
    const mapBytes = Buffer.from(JSON.stringify(map));
    if (!rewritten && (await this.#intactMap(hash, mapBytes))) {
      return { ...base, chunks: chunks.length, created: false };
    }
    // The map is written last: a crash before it leaves only unreferenced chunks, never a broken blob.
    await this.#blobs.put(mapKey(hash), mapBytes, { content_type: 'application/json' });
    return { ...base, chunks: chunks.length, created: true };
  }

  // Whether the stored reassembly map of `hash` holds exactly these bytes.
  async #intactMap(hash: string, expected: Uint8Array): Promise<boolean> {
    if (!(await this.#blobs.exists(mapKey(hash)))) return false;
    return Buffer.from(await this.#blobs.get(mapKey(hash))).equals(expected);
  }

  async #readMap(hash: string): Promise<ChunkMap> {
    let map: ChunkMap;
    try {
      map = JSON.parse(Buffer.from(await this.#blobs.get(mapKey(hash))).toString('utf8')) as ChunkMap;
    } catch (err) {
      if (isSegError(err)) throw err;
      throw integrityError(`reassembly map of ${hash} is not JSON`, { hash });
    }
    if (map?.hash !== hash || !Array.isArray(map.chunks))
      throw integrityError(`reassembly map of ${hash} names ${String(map?.hash)}`, { hash });
    return map;
  }

  /** Whether a blob is stored intact (in a pack, whole or as a chunk map); see {@link missing}. */
  async has(hash: string): Promise<boolean> {
    return (await this.missing([hash])).length === 0;
  }

  /**
   * Reads a blob and verifies it: every chunk against its hash and the whole against `hash`. A
   * mismatch is an error (`SEG_INTERNAL`, details.integrity), never wrong bytes; a missing blob is
   * `SEG_NOT_FOUND`.
   */
  async get(hash: string): Promise<Uint8Array> {
    if (!HASH.test(hash))
      throw new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message: 'not a sha256 hex digest' });
    let at = await this.#packedAt(hash);
    if (at && this.#lastPack?.id !== at.pack) {
      try {
        this.#lastPack = { id: at.pack, bytes: await this.#blobs.get(packKey(at.pack)) };
      } catch (err) {
        // A purge (maybe in another process) rewrote or deleted the pack: look again.
        if (!isSegError(err) || err.error_code !== 'SEG_NOT_FOUND') throw err;
        this.#forget(at.pack);
        at = await this.#packedAt(hash);
        if (at) this.#lastPack = { id: at.pack, bytes: await this.#blobs.get(packKey(at.pack)) };
      }
    }
    if (at && this.#lastPack) {
      const bytes = Buffer.from(this.#lastPack.bytes.subarray(at.offset, at.offset + at.length));
      const actual = sha256Hex(bytes);
      if (actual !== hash || bytes.length !== at.length)
        throw integrityError(`evidence blob ${hash} in pack ${at.pack} is corrupted`, {
          hash,
          pack: at.pack,
          actual,
        });
      return bytes;
    }
    if (await this.#blobs.exists(blobKey(hash))) {
      const bytes = await this.#blobs.get(blobKey(hash));
      const actual = sha256Hex(bytes);
      if (actual !== hash) throw integrityError(`evidence blob ${hash} is corrupted`, { hash, actual });
      return bytes;
    }
    if (!(await this.#blobs.exists(mapKey(hash)))) {
      throw new SegError({ error_code: 'SEG_NOT_FOUND', message: `no evidence blob ${hash}` });
    }
    const map = await this.#readMap(hash);
    const whole = createHash('sha256');
    const parts: Uint8Array[] = [];
    for (const [i, c] of map.chunks.entries()) {
      const bytes = await this.#blobs.get(blobKey(c.hash));
      const actual = sha256Hex(bytes);
      if (actual !== c.hash || bytes.length !== c.size) {
        throw integrityError(`chunk ${i} of evidence blob ${hash} is corrupted`, {
          hash,
          chunk: i,
          expected: c.hash,
          actual,
        });
      }
      whole.update(bytes);
      parts.push(bytes);
    }
    const actual = whole.digest('hex');
    if (actual !== hash) throw integrityError(`evidence blob ${hash} does not reassemble`, { hash, actual });
    return Buffer.concat(parts);
  }

  /**
   * Deletes blobs whose every reference has expired (committed_at + the tenant's retention < now). A
   * blob referenced by any unexpired row is kept, as are the chunks of a kept blob and blobs no row
   * references (they may belong to a commit in flight). A pack whose bodies all go is deleted; a pack
   * that also holds kept bodies is rewritten with those alone (each verified against its hash as it is
   * copied), then the old one deleted. Returns the sorted hashes deleted and the number of packs
   * rewritten; with `dryRun`, nothing changes and the result says what would.
   */
  async purgeExpired(
    references: Iterable<BlobReference> | AsyncIterable<BlobReference>,
    options: { dryRun?: boolean } = {},
  ): Promise<PurgeResult> {
    const now = this.#clock.now().getTime();
    const live = new Set<string>();
    const expired = new Set<string>();
    for await (const r of references) {
      const until = Date.parse(r.committed_at) + this.retentionDays(r.org_id) * 86_400_000;
      if (until > now) live.add(r.hash);
      else expired.add(r.hash);
    }
    const goes = (h: string) => expired.has(h) && !live.has(h);
    // Chunks shared with a live chunked blob must survive.
    const liveChunks = new Set<string>();
    for (const h of live) {
      if (await this.#blobs.exists(mapKey(h)))
        for (const c of (await this.#readMap(h)).chunks) liveChunks.add(c.hash);
    }
    await this.#refreshPacks();
    const packs = new Map<string, string[]>();
    for (const [hash, at] of this.#packed) {
      const bodies = packs.get(at.pack);
      if (bodies) bodies.push(hash);
      else packs.set(at.pack, [hash]);
    }
    const going: string[] = [];
    const mixed: string[] = [];
    const deleted = new Set<string>();
    for (const [id, hashes] of packs) {
      const out = hashes.filter(goes);
      if (out.length === 0) continue;
      (out.length === hashes.length ? going : mixed).push(id);
      for (const h of out) deleted.add(h);
    }
    // Loose and chunked blobs (a body may also be stored so beside a pack): only what is stored, so a
    // blob purged before names nothing to delete.
    const loose: string[] = [];
    for (const h of expired) {
      if (!goes(h)) continue;
      if ((await this.#blobs.exists(blobKey(h))) || (await this.#blobs.exists(mapKey(h)))) {
        loose.push(h);
        deleted.add(h);
      }
    }
    const result = { deleted: [...deleted].sort(), repacked: mixed.length };
    if (options.dryRun) return result;
    for (const id of mixed) await this.#rewritePack(id, (h) => !goes(h));
    // A pack's index first, so a crash in between leaves an invisible pack, never an index without bytes.
    for (const id of going) {
      await this.#blobs.delete(indexKey(id));
      await this.#blobs.delete(packKey(id));
      this.#forget(id);
    }
    for (const h of loose) {
      if (await this.#blobs.exists(mapKey(h))) {
        const map = await this.#readMap(h);
        await this.#blobs.delete(mapKey(h));
        for (const c of map.chunks)
          if (!liveChunks.has(c.hash) && !live.has(c.hash)) await this.#blobs.delete(blobKey(c.hash));
      }
      if (!liveChunks.has(h)) await this.#blobs.delete(blobKey(h));
    }
    return result;
  }

  // Writes a new pack of the bodies of pack `id` that `keep` accepts (each verified as it is copied),
  // then deletes the old pack's index and bytes. A crash leaves both packs (the kept bodies readable
  // from either) or only the new one. `read` passes the index and bytes when the caller has them.
  async #rewritePack(
    id: string,
    keep: (hash: string) => boolean,
    read?: { index: PackIndex; bytes: Uint8Array },
  ): Promise<void> {
    const index =
      read?.index ??
      (JSON.parse(Buffer.from(await this.#blobs.get(indexKey(id))).toString('utf8')) as PackIndex);
    const bytes = read?.bytes ?? (await this.#blobs.get(packKey(id)));
    const parts: Uint8Array[] = [];
    const entries: PackIndex['entries'] = [];
    let offset = 0;
    for (const [hash, at, length, media_type] of index.entries) {
      if (!keep(hash)) continue;
      const body = bytes.subarray(at, at + length);
      const actual = sha256Hex(body);
      if (actual !== hash || body.length !== length)
        throw integrityError(`evidence blob ${hash} in pack ${id} is corrupted`, { hash, pack: id, actual });
      parts.push(body);
      entries.push([hash, offset, length, media_type]);
      offset += length;
    }
    this.#forget(id);
    if (entries.length > 0) await this.#writePack(parts, entries);
    await this.#blobs.delete(indexKey(id));
    await this.#blobs.delete(packKey(id));
  }
}
