import { SegError } from '@neurocipher/seg-contracts';
import type { EvidencePointer, Finding } from '@neurocipher/seg-contracts';
import type { EvidenceSink } from '@neurocipher/seg-ports';
import type { DraftFinding, EvidenceDraft } from './findings.ts';

/** What {@link sealFindings} made: the findings with their pointers, and the size of each stored body. */
export interface SealedFindings {
  /** The findings in input order, each citing what the sink stored for its drafts (each hash once). */
  findings: Finding[];
  /** Length in bytes of each stored body, by hash. */
  sizes: Map<string, number>;
}

/**
 * Stores the evidence that draft findings cite and makes them findings (DESIGN.md §5): each distinct draft
 * goes to the sink once, all in one `putMany`, where it is redacted, hashed once and stored; each finding's
 * pointers are the hashes the sink returned. Two drafts that redaction made equal share one pointer.
 * Without a sink nothing is stored, so the findings cite no evidence.
 *
 * Errors: the sink's (`SEG_EVIDENCE_WRITE_FAILED`, retryable, among them), and the same code when the sink
 * answers for fewer or more bodies than it was given.
 */
export async function sealFindings(
  drafts: readonly DraftFinding[],
  sink: EvidenceSink | undefined,
): Promise<SealedFindings> {
  const sizes = new Map<string, number>();
  if (!sink) return { findings: drafts.map((d) => ({ ...d, evidence: [] })), sizes };
  // Each distinct draft once, by identity (drafts of one asset are shared by the findings citing them).
  const index = new Map<EvidenceDraft, number>();
  for (const finding of drafts)
    for (const draft of finding.evidence) if (!index.has(draft)) index.set(draft, index.size);
  const distinct = [...index.keys()];
  const refs =
    distinct.length > 0
      ? await sink.putMany(
          distinct.map((d) => ({ body: JSON.parse(d.body) as unknown, media_type: d.media_type })),
        )
      : [];
  if (refs.length !== distinct.length) {
    throw new SegError({
      error_code: 'SEG_EVIDENCE_WRITE_FAILED',
      message: `the evidence sink stored ${refs.length} of ${distinct.length} bodies`,
      retryable: true,
    });
  }
  const pointers = refs.map((ref, i): EvidencePointer => {
    sizes.set(ref.hash, ref.size_bytes);
    return { hash: ref.hash, media_type: distinct[i]!.media_type };
  });
  const findings = drafts.map((draft): Finding => {
    const cited: EvidencePointer[] = [];
    for (const evidence of draft.evidence) {
      const pointer = pointers[index.get(evidence)!]!;
      if (!cited.some((p) => p.hash === pointer.hash)) cited.push(pointer);
    }
    return { ...draft, evidence: cited };
  });
  return { findings, sizes };
}
