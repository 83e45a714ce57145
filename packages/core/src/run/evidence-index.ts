/** What an {@link EvidenceSink} stored: the sha256 of the stored bytes and their size. */
export interface StoredEvidenceRef {
  /** Lowercase hex sha256 of the bytes stored, after redaction and canonicalisation. */
  hash: string;
  size_bytes: number;
}

/**
 * Where a run's evidence bodies go (DESIGN.md §5, §7): the sink redacts secrets and personal data,
 * canonicalises JSON (RFC 8785), hashes and stores the bytes content-addressed, and returns the hash of
 * what it stored. When redaction changed a body, that hash differs from the evaluator's pointer hash and
 * the run rewrites its pointers to it. Idempotent: the same body stores the same bytes once.
 * `EvidenceStore` of `@neurocipher/seg-lakehouse` (over the BlobStore port) is the implementation.
 *
 * Errors: `SEG_EVIDENCE_WRITE_FAILED` (retryable) when the store cannot be written.
 */
export interface EvidenceSink {
  /** Stores one evidence body (a JSON value) and says what was stored. */
  put(body: unknown, media_type: string): Promise<StoredEvidenceRef>;
  /**
   * Optional: stores many bodies in one call and says what was stored for each, in order. A sink that
   * can make a batch durable at once (one packed object rather than one object per body) offers it; the
   * run then hands over each chunk's bodies in one call instead of one `put` per body.
   */
  putMany?(items: ReadonlyArray<{ body: unknown; media_type: string }>): Promise<StoredEvidenceRef[]>;
}

/** Type of the evidence index document a run stores beside its evidence. */
export const EVIDENCE_INDEX_TYPE = 'https://neurocipher.io/seg/evidence-index/v1';

/** Media type of the evidence index blob. */
export const EVIDENCE_INDEX_MEDIA_TYPE = 'application/vnd.seg.evidence-index+json';

/** The evidence index of a run: every evidence hash its committed findings cite, sorted and unique. */
export interface EvidenceIndex {
  type: typeof EVIDENCE_INDEX_TYPE;
  run_id: string;
  /** Lowercase hex sha256 of each evidence blob, ascending. */
  evidence: string[];
}

/**
 * Builds a run's evidence index. Stored as one more evidence blob, its single hash lets an attestation pin
 * every evidence blob of the run (each listed hash addresses a blob whose bytes hash to it) without one
 * statement subject per blob.
 */
export function evidenceIndex(run_id: string, hashes: Iterable<string>): EvidenceIndex {
  return { type: EVIDENCE_INDEX_TYPE, run_id, evidence: [...new Set(hashes)].sort() };
}
