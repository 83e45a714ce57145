import {
  SegError,
  isSegError,
  makeEvent,
  parseEvidenceObj,
  parseFinding,
  parseIngestContext,
} from '@neurocipher/seg-contracts';
import type {
  Ack,
  AppendResult,
  EvidenceObj,
  Finding,
  IngestContext,
  TableCommit,
} from '@neurocipher/seg-contracts';
import type { FindingIngestPort } from '../ingest/finding-ingest-port.ts';
import type { EventBus } from '../messaging/event-bus.ts';
import type { TableRow, TableStore } from '../storage/table-store.ts';
import { systemClock } from '../time/clock.ts';
import type { Clock } from '../time/clock.ts';
import { InMemoryTableStore } from './in-memory-table-store.ts';

/** Options of {@link InMemoryFindingIngest}. */
export interface InMemoryFindingIngestOptions {
  /** Where rows go; a fresh {@link InMemoryTableStore} by default. */
  tables?: TableStore;
  /** Receives `seg.findings.committed` on the first `ack` of a run, when given. */
  events?: EventBus;
  clock?: Clock;
}

/** The tables {@link InMemoryFindingIngest} writes, in write order. */
export const INGEST_TABLES = ['runs', 'findings', 'evidence', 'assets'] as const;

interface Committed {
  result: AppendResult;
  org_id: string;
  ack: Ack | null;
}

/**
 * A {@link FindingIngestPort} that writes one snapshot per table (`runs`, `findings`, `evidence`,
 * `assets`) to a {@link TableStore}, each append keyed by the run id (`commit_key`), so a commit retried
 * after a failure completes without duplicating rows. Committing a run id already committed writes nothing
 * and returns the first result with `replayed: true`. A table write failure that is not already a
 * SegError becomes `SEG_EVIDENCE_WRITE_FAILED` (retryable). Unlike the Iceberg implementation it cannot
 * make several tables visible at once; a retry is what completes a half-done commit.
 */
export class InMemoryFindingIngest implements FindingIngestPort {
  readonly #tables: TableStore;
  readonly #events: EventBus | undefined;
  readonly #clock: Clock;
  readonly #runs = new Map<string, Committed>();

  constructor(options: InMemoryFindingIngestOptions = {}) {
    this.#tables = options.tables ?? new InMemoryTableStore();
    this.#events = options.events;
    this.#clock = options.clock ?? systemClock;
  }

  async commit(
    findings: readonly Finding[],
    evidence: readonly EvidenceObj[],
    context: IngestContext,
  ): Promise<AppendResult> {
    const parsedContext = parseIngestContext(context);
    const parsedFindings = findings.map((finding) => parseFinding(finding));
    const parsedEvidence = evidence.map((item) => parseEvidenceObj(item));
    const { run } = parsedContext;
    const previous = this.#runs.get(run.run_id);
    if (previous !== undefined)
      return { ...previous.result, tables: previous.result.tables.map((t) => ({ ...t })), replayed: true };
    const org_id = run.scope.org_id;
    const rows: Record<(typeof INGEST_TABLES)[number], TableRow[]> = {
      runs: [{ org_id, ...structuredClone(run) }],
      findings: parsedFindings.map((finding) => ({
        org_id,
        run_id: run.run_id,
        ...structuredClone(finding),
      })),
      evidence: parsedEvidence.map((item) => ({ org_id, run_id: run.run_id, ...structuredClone(item) })),
      assets: parsedContext.assets.map((asset) => ({
        org_id,
        run_id: run.run_id,
        ...structuredClone(asset),
      })),
    };
    const tables: TableCommit[] = [];
    for (const table of INGEST_TABLES) {
      try {
        tables.push(await this.#tables.append(table, rows[table], { commit_key: run.run_id }));
      } catch (cause) {
        if (isSegError(cause)) throw cause;
        throw new SegError({
          error_code: 'SEG_EVIDENCE_WRITE_FAILED',
          message: `writing table ${table} failed`,
          details: { run_id: run.run_id, table },
          cause,
        });
      }
    }
    const result: AppendResult = {
      run_id: run.run_id,
      tables,
      findings_written: parsedFindings.length,
      evidence_written: parsedEvidence.length,
      replayed: false,
    };
    this.#runs.set(run.run_id, { result, org_id, ack: null });
    return { ...result, tables: tables.map((t) => ({ ...t })) };
  }

  async ack(run_id: string): Promise<Ack> {
    const committed = this.#runs.get(run_id);
    if (committed === undefined) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: 'run was never committed',
        details: { run_id },
      });
    }
    if (committed.ack === null) {
      const now = this.#clock.now().toISOString();
      if (this.#events !== undefined) {
        await this.#events.publish(
          makeEvent({
            type: 'seg.findings.committed',
            id: globalThis.crypto.randomUUID(),
            org_id: committed.org_id,
            subject: run_id,
            occurred_at: now,
            data: { result: committed.result },
          }),
        );
      }
      committed.ack = { run_id, acknowledged_at: now, durable: true };
    }
    return { ...committed.ack };
  }
}
