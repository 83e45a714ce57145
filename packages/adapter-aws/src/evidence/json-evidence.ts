import { SegError, type EvidencePointer } from '@neurocipher/seg-contracts';
import type { EvidenceSink } from '@neurocipher/seg-ports';

/** Media type of the JSON evidence this adapter hands to the evidence sink. */
export const EVIDENCE_MEDIA_TYPE = 'application/json';

/**
 * Hands a JSON value (a raw response, a captured config, a preview, an apply record) to the evidence sink,
 * which redacts, canonicalises, hashes and stores it, and returns the pointer to what it stored.
 */
export async function putJsonEvidence(sink: EvidenceSink, value: unknown): Promise<EvidencePointer> {
  const { hash } = await sink.put(value, EVIDENCE_MEDIA_TYPE);
  return { hash, media_type: EVIDENCE_MEDIA_TYPE };
}

/**
 * The JSON value behind `pointer`, read through the sink (which verifies the bytes against the hash).
 * `SEG_INTERNAL` when the stored body is not JSON.
 */
export async function readJsonEvidence(
  sink: EvidenceSink,
  pointer: Pick<EvidencePointer, 'hash'>,
): Promise<unknown> {
  const bytes = await sink.get(pointer.hash);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch (cause) {
    throw new SegError({
      error_code: 'SEG_INTERNAL',
      message: 'an evidence blob of this adapter is not JSON',
      details: { hash: pointer.hash },
      cause,
    });
  }
}
