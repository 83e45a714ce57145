import { SegError, type EvidencePointer } from '@neurocipher/seg-contracts';
import type { EvidenceSink } from './evidence-sink.ts';

/** Media type of JSON evidence (raw responses, captured configs, previews, apply records). */
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
      message: 'an evidence blob read as JSON is not JSON',
      details: { hash: pointer.hash },
      cause,
    });
  }
}
