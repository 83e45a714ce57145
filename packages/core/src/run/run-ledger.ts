import type { EvidenceObj, Finding } from '@neurocipher/seg-contracts';
import type { SealedFindings } from '../evaluation/seal-findings.ts';
import { RESULTS } from '../evaluation/findings.ts';

/**
 * What a run has gathered so far, chunk by chunk (a collaborator of `RunService`): the findings with their
 * stored pointers, the result counts and one evidence row per cited hash (its size, media type, citing
 * findings and the capture time of the config it came from).
 */
export class RunLedger {
  /** Every finding so far, in chunk order. */
  readonly findings: Finding[] = [];
  readonly #counts: Record<string, number> = {};
  readonly #rows = new Map<string, EvidenceObj>();
  // Findings come back from the engine's threads with their own copy of every string: the few values
  // repeated across a run (control, version, result, severity, instant, media type) are kept once.
  readonly #shared = new Map<string, string>();

  /** Adds a chunk's result counts. */
  count(counts: Readonly<Record<string, number>>): void {
    for (const [k, v] of Object.entries(counts)) this.#counts[k] = (this.#counts[k] ?? 0) + v;
  }

  /** The counts so far, every result present (0 when none). */
  counts(): Record<string, number> {
    const out = { ...this.#counts };
    for (const result of RESULTS) out[result] ??= 0;
    return out;
  }

  /**
   * Adds a chunk's sealed findings and an evidence row for each hash they cite (`capturedAt`: the capture
   * time of each asset's config, by URN).
   */
  add(sealed: SealedFindings, capturedAt: ReadonlyMap<string, string>): void {
    for (const finding of sealed.findings) {
      this.#compact(finding);
      for (const pointer of finding.evidence) {
        let row = this.#rows.get(pointer.hash);
        if (!row) {
          row = {
            hash: pointer.hash,
            media_type: pointer.media_type,
            size_bytes: sealed.sizes.get(pointer.hash) ?? null,
            finding_ids: [],
            captured_at: capturedAt.get(finding.asset.urn) ?? null,
          };
          this.#rows.set(pointer.hash, row);
        }
        row.finding_ids.push(finding.id);
      }
      this.findings.push(finding);
    }
  }

  /** How many distinct evidence blobs the findings cite. */
  get blobs(): number {
    return this.#rows.size;
  }

  /** The evidence rows, in first-cited order; the ledger forgets them (the commit takes them). */
  takeRows(): EvidenceObj[] {
    const rows = [...this.#rows.values()];
    this.#rows.clear();
    return rows;
  }

  #share(text: string): string {
    const seen = this.#shared.get(text);
    if (seen !== undefined) return seen;
    this.#shared.set(text, text);
    return text;
  }

  #compact(finding: Finding): void {
    finding.control_id = this.#share(finding.control_id);
    finding.control_version = this.#share(finding.control_version);
    finding.result = this.#share(finding.result) as Finding['result'];
    finding.severity = this.#share(finding.severity) as Finding['severity'];
    finding.created_at = this.#share(finding.created_at);
    finding.updated_at = this.#share(finding.updated_at);
    for (const pointer of finding.evidence) pointer.media_type = this.#share(pointer.media_type);
  }
}
