import { SegError } from '@neurocipher/seg-contracts';
import { sha256Hex } from '../digest/sha256-hex.ts';
import type { EvidenceItem, EvidenceSink, StoredEvidenceRef } from '../evidence/evidence-sink.ts';
import type { Redactor } from '../redaction/redactor.ts';
import { InMemoryRedactor } from './in-memory-redactor.ts';

/** Options of {@link InMemoryEvidenceSink}. */
export interface InMemoryEvidenceSinkOptions {
  /**
   * RFC 8785 JSON text of a value: pass `canonicalJson` of `@neurocipher/seg-attest`, the one
   * implementation (this package may import nothing but the contracts, so it cannot take it itself).
   */
  canonicalJson: (value: unknown) => string;
  /** Removes secrets from every body before it is canonicalised; default an {@link InMemoryRedactor} that removes nothing. */
  redactor?: Redactor;
}

const HASH = /^[0-9a-f]{64}$/;

/**
 * An {@link EvidenceSink} in a map, for tests of what hands evidence over (the run service, the
 * adapters). Each body is redacted (one redactor call per `put` or `putMany`), canonicalised (JSON values;
 * text as UTF-8; bytes as given), hashed once and kept by hash; `get` re-hashes what it returns. The
 * lakehouse's `EvidenceStore` is the durable implementation.
 */
export class InMemoryEvidenceSink implements EvidenceSink {
  readonly #canonicalJson: (value: unknown) => string;
  readonly #redactor: Redactor;
  readonly #blobs = new Map<string, { bytes: Uint8Array; media_type: string }>();
  /** Each write call, in order: `put` or `putMany` and how many bodies it carried (for assertions). */
  readonly writes: Array<{ method: 'put' | 'putMany'; items: number }> = [];

  /** Creates the sink over the given canonical JSON encoder and redactor. */
  constructor(options: InMemoryEvidenceSinkOptions) {
    this.#canonicalJson = options.canonicalJson;
    this.#redactor = options.redactor ?? new InMemoryRedactor();
  }

  /** See {@link EvidenceSink.put}. */
  async put(body: unknown, media_type: string): Promise<StoredEvidenceRef> {
    this.writes.push({ method: 'put', items: 1 });
    return (await this.#store([{ body, media_type }]))[0]!;
  }

  /** See {@link EvidenceSink.putMany}. */
  async putMany(items: readonly EvidenceItem[]): Promise<StoredEvidenceRef[]> {
    this.writes.push({ method: 'putMany', items: items.length });
    return this.#store(items);
  }

  /** See {@link EvidenceSink.get}. */
  async get(hash: string): Promise<Uint8Array> {
    if (!HASH.test(hash))
      throw new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message: 'not a sha256 hex digest' });
    const blob = this.#blobs.get(hash);
    if (!blob) throw new SegError({ error_code: 'SEG_NOT_FOUND', message: `no evidence blob ${hash}` });
    if (sha256Hex(blob.bytes) !== hash) {
      throw new SegError({
        error_code: 'SEG_INTERNAL',
        message: `evidence blob ${hash} is corrupted`,
        details: { integrity: true, hash },
      });
    }
    return blob.bytes.slice();
  }

  /** See {@link EvidenceSink.missing}. */
  async missing(hashes: Iterable<string>): Promise<string[]> {
    const out: string[] = [];
    for (const hash of new Set(hashes)) {
      const blob = this.#blobs.get(hash);
      if (!blob || sha256Hex(blob.bytes) !== hash) out.push(hash);
    }
    return out;
  }

  /** The hashes stored, sorted (a test helper, not part of the port). */
  hashes(): string[] {
    return [...this.#blobs.keys()].sort();
  }

  /** The media type a hash was first stored with (a test helper, not part of the port). */
  media_type(hash: string): string | undefined {
    return this.#blobs.get(hash)?.media_type;
  }

  /** Replaces the stored bytes of `hash` (a test helper: simulates a corrupted blob). */
  corrupt(hash: string, bytes: Uint8Array): void {
    const blob = this.#blobs.get(hash);
    if (blob) blob.bytes = bytes.slice();
  }

  async #store(items: readonly EvidenceItem[]): Promise<StoredEvidenceRef[]> {
    const scanned = items.filter((i) => !(i.body instanceof Uint8Array)).map((i) => i.body);
    const redacted = await this.#redactor.redact(scanned);
    let next = 0;
    return items.map((item) => {
      let bytes: Uint8Array;
      if (item.body instanceof Uint8Array) bytes = item.body.slice();
      else {
        const value = redacted[next++]!.value;
        bytes = new TextEncoder().encode(typeof value === 'string' ? value : this.#encode(value));
      }
      const hash = sha256Hex(bytes);
      const known = this.#blobs.get(hash);
      if (!known || sha256Hex(known.bytes) !== hash) {
        this.#blobs.set(hash, { bytes, media_type: known?.media_type ?? item.media_type });
      }
      return { hash, size_bytes: bytes.length };
    });
  }

  #encode(value: unknown): string {
    try {
      return this.#canonicalJson(value);
    } catch (cause) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'an evidence body has no JSON form',
        cause,
      });
    }
  }
}
