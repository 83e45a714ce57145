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
