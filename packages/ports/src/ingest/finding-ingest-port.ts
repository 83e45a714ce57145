import type { Ack, AppendResult, EvidenceObj, Finding, IngestContext } from '@neurocipher/seg-contracts';
import type { PortId } from '../ids/port-id.ts';

/**
 * Writes findings and evidence to storage and emits events (spec §6.4).
 *
 * Durable: `commit` returns only once the catalog pointer of every table written is durable (RPO 0).
 * Idempotent: committing the same run id again writes nothing and returns `replayed: true`.
 * Not paged: one call carries one run's findings (batch large runs into several calls of the same run
 * only through an implementation that documents it).
 *
 * Errors: `SEG_SCHEMA_VIOLATION` for a bad finding, `SEG_EVIDENCE_WRITE_FAILED` (retryable) when a blob or
 * table write fails (nothing is half-visible), `SEG_CONFLICT` (retryable) when concurrent writers kept
 * winning past the retry budget, `SEG_NOT_FOUND` when acknowledging a run never committed.
 */
export interface FindingIngestPort {
  /** Commits one run's findings and evidence, with the run itself (`context`), one snapshot per table. */
  commit(
    findings: readonly Finding[],
    evidence: readonly EvidenceObj[],
    context: IngestContext,
  ): Promise<AppendResult>;

  /** Acknowledges a committed run (emits `seg.findings.committed` once). Idempotent. */
  ack(run_id: string): Promise<Ack>;
}

/** Inversion-of-control id of {@link FindingIngestPort}. */
export const FindingIngestPortId: PortId<FindingIngestPort> = Symbol.for('seg.ports.FindingIngestPort');
