import type { PortId } from '../ids/port-id.ts';

/** What an {@link EvidenceSink} stored for one body: the sha256 of the stored bytes and their length. */
export interface StoredEvidenceRef {
  /** Lowercase hex sha256 of the bytes stored (after redaction and canonicalisation): the content address. */
  hash: string;
  /** Length of the stored bytes. */
  size_bytes: number;
}

/** One body handed to {@link EvidenceSink.putMany}. */
export interface EvidenceItem {
  /** A JSON value (redacted, then stored as RFC 8785 JSON), a text (redacted) or raw bytes (stored as given). */
  body: unknown;
  /** Media type recorded with the body (`application/json` for the JSON evidence SEG writes). */
  media_type: string;
}

/**
 * The one way evidence is stored (spec §8.1, §24, Appendix E; DESIGN.md §5, §7): raw provider responses,
 * captured configs, change previews, apply and rollback records and evaluation evidence all go through it.
 * For each body the sink, in this order, redacts secrets (the `Redactor` port), canonicalises a JSON value
 * (RFC 8785), hashes the resulting bytes once (sha256) and stores them content-addressed, then returns
 * that hash: the pointer a finding or record cites is exactly what `get` returns. Nothing else writes
 * evidence bodies; a caller never hashes a body itself.
 *
 * Contract:
 * - Idempotent and de-duplicating: the same body gives the same bytes and hash, stored once. A copy
 *   already stored counts only when its bytes still hash to it; a missing or corrupt copy is written
 *   again.
 * - `putMany` stores a batch in one durable step where the implementation can (one packed object rather
 *   than one per body); results are in input order, one per item. Callers hand over a chunk of bodies at a
 *   time, not one call per body.
 * - Reads verify: `get` returns bytes that hash to `hash`, or fails; it never returns other bytes.
 *
 * Errors: `SEG_EVIDENCE_WRITE_FAILED` (retryable) when a body cannot be stored; from `get`,
 * `SEG_NOT_FOUND` for a hash not stored, `SEG_INVALID_ARGUMENT` for a string that is not a sha256 hex
 * digest, and `SEG_INTERNAL` with `details.integrity` when the stored bytes no longer hash to it;
 * `SEG_ADAPTER_UNAVAILABLE` (retryable) when the storage behind it cannot be reached.
 */
export interface EvidenceSink {
  /** Redacts, canonicalises, hashes and stores one body; says what was stored. */
  put(body: unknown, media_type: string): Promise<StoredEvidenceRef>;
  /** {@link EvidenceSink.put} for many bodies in one durable write; results in input order. */
  putMany(items: readonly EvidenceItem[]): Promise<StoredEvidenceRef[]>;
  /** The stored bytes of `hash`, verified against it. */
  get(hash: string): Promise<Uint8Array>;
  /**
   * The hashes among `hashes` that are not stored intact (absent, or stored with bytes that no longer
   * hash to them), each once. Read-only apart from repairs an implementation documents.
   */
  missing(hashes: Iterable<string>): Promise<string[]>;
}

/** Inversion-of-control id of {@link EvidenceSink}. */
export const EvidenceSinkId: PortId<EvidenceSink> = Symbol.for('seg.ports.EvidenceSink');
