// FindingIngestPort over the seven Iceberg tables: one snapshot per table per commit, idempotent by
// run id, durable before it returns (the catalog pointer swap is the last, synchronous step).
import { randomUUID } from 'node:crypto';
import type {
  Ack,
  AppendResult,
  Attestation,
  EvidenceObj,
  Finding,
  IngestContext,
  RemediationPlan,
  RunSummary,
  TableCommit,
} from '@neurocipher/seg-contracts';
import {
  isSegError,
  makeEvent,
  parseAttestation,
  parseEvidenceObj,
  parseFinding,
  parseIngestContext,
  parseRemediationPlan,
  SegError,
} from '@neurocipher/seg-contracts';
import type { Clock, EventBus, EvidenceSink, FindingIngestPort, KeyProvider } from '@neurocipher/seg-ports';
import { sha256Hex, systemClock } from '@neurocipher/seg-ports';
import type { LoadedTable } from '../catalog/catalog.ts';
import type { ColumnIn } from '../table/iceberg-table.ts';
import { CommitConflictError } from '../catalog/catalog.ts';
import type { Row } from '../iceberg/schema.ts';
import type { Snapshot } from '../iceberg/table-metadata.ts';
import { snapshotAncestry } from '../iceberg/table-metadata.ts';
import { UriSealer } from '../evidence/envelope.ts';
import type { BlobReference } from '../evidence/evidence-store.ts';
import { isoToMicros, microsToIso } from '../tables/timestamps.ts';
import type { LakehouseTables } from '../tables/lakehouse-tables.ts';
import { fromRow, toRow } from '../tables/row-codec.ts';
import type { TableName } from '../tables/table-definitions.ts';

/** Snapshot summary key holding the run id a snapshot was committed for. */
export const RUN_ID_SUMMARY_KEY = 'seg.run-id';
/** Snapshot summary key holding the idempotency key of a non-run commit. */
export const COMMIT_KEY_SUMMARY_KEY = 'seg.commit-key';
/**
 * Snapshot summary key of a maintenance rewrite that removed the rows of dead runs: their run ids,
 * sorted, comma-separated. A later commit of one of those run ids appends its rows again.
 */
export const REMOVED_RUNS_SUMMARY_KEY = 'seg.removed-run-ids';
/** Snapshot summary key of a maintenance rewrite: how many rows of dead runs it removed. */
export const REMOVED_ROWS_SUMMARY_KEY = 'seg.removed-rows';
/**
 * Default grace period (1 hour) before the rows of a run without a `runs` row count as dead: younger
 * rows may belong to a commit still in flight, and are neither removed nor ignored by maintenance.
 */
export const DEAD_RUN_GRACE_MS = 3_600_000;

// The tables `commit` writes before the run row, each row tagged with its run id.
const RUN_TABLES = ['evidence', 'findings', 'assets', 'controls'] as const;

/** Options of {@link IcebergFindingStore}. */
export interface IcebergFindingStoreOptions {
  tables: LakehouseTables;
  /** Issues data keys for sealing evidence URIs. */
  keys: KeyProvider;
  clock?: Clock;
  /** Where `ack` publishes `seg.findings.committed` (optional). */
  events?: EventBus;
  /** When given, `commit` refuses evidence whose blob is not stored (`SEG_EVIDENCE_WRITE_FAILED`). */
  evidence?: EvidenceSink;
}

/** A finding as stored: the contract object plus the tenant and run it was committed with. */
export interface StoredFinding {
  finding: Finding;
  org_id: string;
  run_id: string;
  committed_at: string;
}

/** Filters of {@link IcebergFindingStore.findings}; every given field must match. */
export interface FindingQuery {
  /** One finding by id. */
  id?: string;
  org_id?: string;
  run_id?: string;
  control_id?: string;
  severity?: Finding['severity'];
  result?: Finding['result'];
  fingerprint?: string;
}

/** Filters of {@link IcebergFindingStore.runFindings} within one run; every given field must match. */
export type RunFindingFilter = Pick<FindingQuery, 'control_id' | 'severity' | 'result' | 'fingerprint'>;

// The finding columns a query filters by, each named as in the query. Each given one is also a `where`
// condition of the scan: a data file whose bounds of that column leave the value out is not read.
const FILTER_COLUMNS = ['id', 'control_id', 'severity', 'result', 'fingerprint'] as const;

/** Options of the maintenance reads and rewrites ({@link IcebergFindingStore.compact}, `evidenceReferences`). */
export interface MaintenanceOptions {
  /**
   * Rows of a run without a `runs` row count as dead once they are older (by `committed_at`, against the
   * store's clock) than this many milliseconds; younger ones may be a commit in flight. Default
   * {@link DEAD_RUN_GRACE_MS}.
   */
  graceMs?: number;
}

/** What {@link IcebergFindingStore.compact} rewrote in one table. */
export interface CompactedTable {
  table: TableName;
  /** Data files written. */
  files_added: number;
  /** Data files replaced (merged, or rewritten without the rows of dead runs). */
  files_removed: number;
  /** Rows of dead runs removed. */
  rows_removed: number;
  /** The dead runs whose rows were removed from this table, sorted. */
  runs_removed: string[];
}

/** The difference between two runs, by fingerprint. */
export interface RunDiff {
  /** In the head run only. */
  new: StoredFinding[];
  /** In both, with a different result, severity or message, and not resolved. */
  changed: { before: StoredFinding; after: StoredFinding }[];
  /**
   * No longer failing: failing (fail, warn, error) in the base run and passing or not applicable in the
   * head run (head version), or observed in the base run and absent from the head run (base version).
   */
  resolved: StoredFinding[];
  /** In both, same result, severity and message (head version). */
  unchanged: StoredFinding[];
}

function notCommitted(org_id: string, run_id: string): SegError {
  return new SegError({
    error_code: 'SEG_NOT_FOUND',
    message: `run ${run_id} is not a committed run of tenant ${org_id} (it has no runs row)`,
    details: { org_id, run_id },
  });
}

function toSegError(err: unknown, what: string): SegError {
  if (isSegError(err)) return err;
  if (err instanceof CommitConflictError) {
    return new SegError({
      error_code: 'SEG_CONFLICT',
      message: `${what}: concurrent writers kept winning`,
      cause: err,
    });
  }
  return new SegError({
    error_code: 'SEG_EVIDENCE_WRITE_FAILED',
    message: `${what} failed; nothing was made visible`,
    retryable: true,
    cause: err,
  });
}

const removedRunsOf = (s: Snapshot): string[] =>
  (s.summary[REMOVED_RUNS_SUMMARY_KEY] ?? '').split(',').filter((id) => id !== '');

// The snapshot holding a commit's rows: the newest in the ancestry tagged with its key, unless a later
// maintenance rewrite removed that run's rows (then none, so that a replay appends them again).
function snapshotFor(table: LoadedTable, key: string, value: string): Snapshot | undefined {
  for (const s of snapshotAncestry(table.metadata)) {
    if (s.summary[key] === value) return s;
    if (key === RUN_ID_SUMMARY_KEY && removedRunsOf(s).includes(value)) return undefined;
  }
  return undefined;
}

// Run ids whose rows a table holds by its history: appended (tagged) and not removed since.
function runsWithRows(table: LoadedTable): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of snapshotAncestry(table.metadata)) {
    for (const id of removedRunsOf(s)) seen.add(id);
    const id = s.summary[RUN_ID_SUMMARY_KEY];
    if (id !== undefined && !seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  }
  return out;
}

const micros = (v: unknown): bigint => BigInt(v as bigint);

/** {@link FindingIngestPort} on Iceberg tables, with the read side of findings. */
export class IcebergFindingStore implements FindingIngestPort {
  readonly #tables: LakehouseTables;
  readonly #keys: KeyProvider;
  readonly #clock: Clock;
  readonly #events: EventBus | undefined;
  readonly #reader: UriSealer;
  readonly #evidence: EvidenceSink | undefined;

  /** Creates the store over the seven tables. */
  constructor(options: IcebergFindingStoreOptions) {
    this.#tables = options.tables;
    this.#keys = options.keys;
    this.#clock = options.clock ?? systemClock;
    this.#events = options.events;
    this.#reader = new UriSealer({ keys: options.keys });
    this.#evidence = options.evidence;
  }

  // Appends rows to one table unless a snapshot with the same idempotency key is already in its history.
  async #appendOnce(name: TableName, rows: Row[], key: string, value: string): Promise<TableCommit> {
    let existing: Snapshot | undefined;
    const out = await this.#tables.table(name).append(rows, {
      summary: { [key]: value },
      prepare: async (loaded) => {
        existing = snapshotFor(loaded, key, value);
        return existing ? [] : rows;
      },
    });
    if (out.snapshotId === null) {
      return { table: name, snapshot_id: String(existing?.['snapshot-id'] ?? '0'), rows_added: 0 };
    }
    return { table: name, snapshot_id: out.snapshotId.toString(), rows_added: out.addedRows };
  }

  /**
   * Commits one run: evidence, findings, assets and controls (in parallel), then the run row last, each
   * as one snapshot. A table that already holds a snapshot for this run id is skipped, so replaying a
   * run (also after a crash half-way) never duplicates rows. Resolves once every pointer is durable.
   */
  async commit(
    findings: readonly Finding[],
    evidence: readonly EvidenceObj[],
    context: IngestContext,
  ): Promise<AppendResult> {
    const ctx = parseIngestContext(context);
    const run = ctx.run;
    const seg = {
      org_id: run.scope.org_id,
      run_id: run.run_id,
      committed_at: this.#clock.now().toISOString(),
    };
    try {
      const sealer = new UriSealer({ keys: this.#keys });
      const sealPointers = async <T extends { uri?: string | null | undefined }>(p: T): Promise<T> =>
        p.uri ? { ...p, uri: await sealer.seal(p.uri) } : p;
      // One finding at a time: parsed, sealed and made a row, so the parsed copies never pile up.
      const findingRows: Row[] = new Array(findings.length);
      const hashes = new Set<string>();
      for (let i = 0; i < findings.length; i++) {
        const f = parseFinding(findings[i]);
        for (const p of f.evidence) hashes.add(p.hash);
        const evidence = f.evidence.some((p) => p.uri)
          ? await Promise.all(f.evidence.map(sealPointers))
          : f.evidence;
        findingRows[i] = toRow(this.#tables.layout('findings'), { ...f, evidence }, seg);
      }
      const evidenceRows: Row[] = new Array(evidence.length);
      for (let i = 0; i < evidence.length; i++) {
        const e = parseEvidenceObj(evidence[i]);
        hashes.add(e.hash);
        evidenceRows[i] = toRow(this.#tables.layout('evidence'), await sealPointers(e), seg);
      }
      // Every referenced body must be stored before the pointers are committed.
      if (this.#evidence) {
        const [hash, ...more] = await this.#evidence.missing(hashes);
        if (hash !== undefined) {
          throw new SegError({
            error_code: 'SEG_EVIDENCE_WRITE_FAILED',
            message: `evidence blob ${hash}${more.length > 0 ? ` (and ${more.length} more)` : ''} is not stored intact (missing, or its stored bytes do not hash to it); store it before committing`,
            retryable: true,
            details: { hash, missing: more.length + 1 },
          });
        }
      }
      const work: [TableName, () => Row[]][] = [
        ['evidence', () => evidenceRows],
        ['findings', () => findingRows],
        ['assets', () => ctx.assets.map((a) => toRow(this.#tables.layout('assets'), a, seg))],
        ['controls', () => ctx.controls.map((c) => toRow(this.#tables.layout('controls'), c, seg))],
        ['runs', () => [toRow(this.#tables.layout('runs'), run, seg)]],
      ];
      // Table by table, so that only one table's data files are being encoded at a time (the run row
      // last: its commit is what `ack` looks for).
      const commits: TableCommit[] = [];
      for (const [name, rowsOf] of work) {
        const rows = rowsOf();
        if (rows.length > 0 || name === 'runs')
          commits.push(await this.#appendOnce(name, rows, RUN_ID_SUMMARY_KEY, run.run_id));
      }
      const written = (name: TableName) => commits.find((c) => c.table === name)?.rows_added ?? 0;
      return {
        run_id: run.run_id,
        tables: commits,
        findings_written: written('findings'),
        evidence_written: written('evidence'),
        replayed: commits.every((c) => c.rows_added === 0),
      };
    } catch (err) {
      throw toSegError(err, `commit of run ${run.run_id}`);
    }
  }

  /**
   * The snapshot each table took for run `run_id` (the run row's last: a run is committed once it is);
   * `SEG_NOT_FOUND` when the run row was never committed.
   */
  async runCommits(run_id: string): Promise<TableCommit[]> {
    const tables: TableCommit[] = [];
    for (const name of ['evidence', 'findings', 'assets', 'controls', 'runs'] as const) {
      const loaded = await this.#tables.table(name).load();
      const snap = snapshotFor(loaded, RUN_ID_SUMMARY_KEY, run_id);
      if (!snap) continue;
      tables.push({
        table: name,
        snapshot_id: String(snap['snapshot-id']),
        rows_added: Number(snap.summary['added-records'] ?? 0),
      });
    }
    if (!tables.some((t) => t.table === 'runs'))
      throw new SegError({ error_code: 'SEG_NOT_FOUND', message: `run ${run_id} was never committed` });
    return tables;
  }

  /**
   * Acknowledges a committed run: its `runs` row is durable (the run row is committed last). Publishes
   * `seg.findings.committed` keyed by run id, so a repeated ack is de-duplicated by the bus.
   */
  async ack(run_id: string): Promise<Ack> {
    const tables = await this.runCommits(run_id);
    const runRow = (
      await this.#tables.table('runs').scan({ where: { column: 'run_id', values: [run_id] } })
    )[0];
    const orgId = runRow ? String(runRow.org_id) : undefined;
    const now = this.#clock.now().toISOString();
    if (this.#events && orgId) {
      const count = (name: TableName) => tables.find((t) => t.table === name)?.rows_added ?? 0;
      await this.#events.publish(
        makeEvent({
          type: 'seg.findings.committed',
          id: randomUUID(),
          org_id: orgId,
          subject: run_id,
          occurred_at: now,
          data: {
            result: {
              run_id,
              tables,
              findings_written: count('findings'),
              evidence_written: count('evidence'),
              replayed: false,
            },
          },
        }),
      );
    }
    return { run_id, acknowledged_at: now, durable: true };
  }

  async #appendRecords(
    name: 'plans' | 'attestations',
    values: object[],
    org_id: string,
  ): Promise<TableCommit> {
    const layout = this.#tables.layout(name);
    const seg = { org_id, run_id: null, committed_at: this.#clock.now().toISOString() };
    const rows = values.map((v) => toRow(layout, v, seg));
    const key = sha256Hex(
      rows
        .map((r) => String(r.id))
        .sort()
        .join('\n'),
    );
    try {
      return await this.#appendOnce(name, rows, COMMIT_KEY_SUMMARY_KEY, key);
    } catch (err) {
      throw toSegError(err, `append to ${name}`);
    }
  }

  /** Appends remediation plans of a tenant (one snapshot; the same set again writes nothing). */
  async recordPlans(plans: readonly RemediationPlan[], org_id: string): Promise<TableCommit> {
    return this.#appendRecords(
      'plans',
      plans.map((p) => parseRemediationPlan(p)),
      org_id,
    );
  }

  /** Appends attestations of a tenant (one snapshot; the same set again writes nothing). */
  async recordAttestations(attestations: readonly Attestation[], org_id: string): Promise<TableCommit> {
    return this.#appendRecords(
      'attestations',
      attestations.map((a) => parseAttestation(a)),
      org_id,
    );
  }

  async #decode(row: Row): Promise<StoredFinding> {
    const { value, seg } = fromRow<Finding>(this.#tables.layout('findings'), row);
    const evidence = await Promise.all(
      (value.evidence ?? []).map(async (p) =>
        p.uri && UriSealer.isSealed(p.uri) ? { ...p, uri: await this.#reader.open(p.uri) } : p,
      ),
    );
    return {
      finding: { ...value, evidence },
      org_id: seg.org_id,
      run_id: String(seg.run_id),
      committed_at: seg.committed_at,
    };
  }

  // The ids of the committed runs (those with a `runs` row), of one tenant or of every tenant; with
  // `among`, only those of these ids (reading only the runs files whose run_id bounds allow one).
  async #committedRunIds(org_id?: string, among?: readonly string[]): Promise<Set<string>> {
    if (among !== undefined && among.length === 0) return new Set();
    const rows = await this.#tables.table('runs').scan({
      columns: ['run_id'],
      ...(org_id !== undefined ? { partition: (p) => p.org_id === org_id } : {}),
      ...(among !== undefined ? { where: { column: 'run_id', values: among } } : {}),
    });
    return new Set(rows.map((r) => String(r.run_id)));
  }

  // The finding rows of the given runs matching `filter`, in commit order, decoded. Only the data files
  // whose bounds allow one of the runs and every filter value are read.
  async #findingsOf(
    org_id: string | undefined,
    run_ids: readonly string[],
    filter: Pick<FindingQuery, (typeof FILTER_COLUMNS)[number]> = {},
  ): Promise<StoredFinding[]> {
    if (run_ids.length === 0) return [];
    const where: ColumnIn[] = [{ column: 'run_id', values: run_ids }];
    for (const column of FILTER_COLUMNS) {
      const value = filter[column];
      if (value !== undefined) where.push({ column, values: [value] });
    }
    const rows = await this.#tables.table('findings').scan({
      ...(org_id !== undefined ? { partition: (p) => p.org_id === org_id } : {}),
      where,
    });
    rows.sort((a, b) => (micros(a.committed_at) < micros(b.committed_at) ? -1 : 1));
    return Promise.all(rows.map((r) => this.#decode(r)));
  }

  /**
   * The committed runs of a tenant: the summaries in its `runs` table (a run is committed once its run
   * row is, the last step of `commit`), oldest first by `ended_at`, then by commit time (`committed_at`,
   * then commit order). A run whose commit died before its run row is not among them.
   */
  async runs(org_id: string): Promise<RunSummary[]> {
    const layout = this.#tables.layout('runs');
    const rows = await this.#tables.table('runs').scan({ partition: (p) => p.org_id === org_id });
    // Stable: ties stay in the scan's commit order.
    rows.sort((a, b) => {
      const ended = micros(a.ended_at) - micros(b.ended_at);
      const committed = micros(a.committed_at) - micros(b.committed_at);
      return ended !== 0n ? (ended < 0n ? -1 : 1) : committed < 0n ? -1 : committed > 0n ? 1 : 0;
    });
    const seen = new Set<string>();
    const out: RunSummary[] = [];
    for (const row of rows) {
      const run = fromRow<RunSummary>(layout, row).value;
      if (seen.has(run.run_id)) continue;
      seen.add(run.run_id);
      out.push(run);
    }
    return out;
  }

  /** The latest committed run of a tenant (the last of {@link runs}), or undefined when it has none. */
  async latestRun(org_id: string): Promise<RunSummary | undefined> {
    return (await this.runs(org_id)).at(-1);
  }

  /**
   * One committed run of a tenant; `SEG_NOT_FOUND` naming it when the `runs` table has no row for it.
   * Reads only the tenant's `runs` files whose `run_id` bounds allow it.
   */
  async run(org_id: string, run_id: string): Promise<RunSummary> {
    const [row] = await this.#tables.table('runs').scan({
      partition: (p) => p.org_id === org_id,
      where: { column: 'run_id', values: [run_id] },
    });
    if (!row) throw notCommitted(org_id, run_id);
    return fromRow<RunSummary>(this.#tables.layout('runs'), row).value;
  }

  /**
   * The findings of one committed run of a tenant matching every given filter (control, severity,
   * result, fingerprint), in commit order; `SEG_NOT_FOUND` when the run is not committed. Reads only the
   * data files whose bounds (manifest metrics) allow that run and every filter value, so the cost follows
   * the run's size, not the history's.
   */
  async runFindings(org_id: string, run_id: string, filter: RunFindingFilter = {}): Promise<StoredFinding[]> {
    await this.run(org_id, run_id);
    return this.#findingsOf(org_id, [run_id], filter);
  }

  /**
   * One finding of a tenant by id, as committed by a committed run; `SEG_NOT_FOUND` when the tenant has
   * none with that id (ids compare exactly; the engine writes lowercase UUIDs), or only in a run without
   * a `runs` row. Reads only the tenant's findings files whose `id` bounds allow the id, then only the
   * `runs` files whose `run_id` bounds allow the runs it was found in.
   */
  async finding(org_id: string, id: string): Promise<StoredFinding> {
    const rows = await this.#tables.table('findings').scan({
      partition: (p) => p.org_id === org_id,
      where: { column: 'id', values: [id] },
    });
    const committed = await this.#committedRunIds(org_id, [...new Set(rows.map((r) => String(r.run_id)))]);
    // Ids are unique per run and a replayed run adds no rows; were there several, the last commit wins.
    const row = rows.filter((r) => committed.has(String(r.run_id))).at(-1);
    if (!row) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `finding ${id} is not a finding of a committed run of tenant ${org_id}`,
        details: { org_id, finding_id: id },
      });
    }
    return this.#decode(row);
  }

  /**
   * Findings of committed runs matching every given filter, in commit order. Tenant filters prune
   * partitions; `run_id` and every other filter prune data files by their bounds; rows of a run without a
   * `runs` row are never returned.
   */
  async findings(query: FindingQuery = {}): Promise<StoredFinding[]> {
    const runs = query.run_id === undefined ? undefined : [query.run_id];
    const committed = await this.#committedRunIds(query.org_id, runs);
    return this.#findingsOf(query.org_id, [...committed], query);
  }

  /**
   * The latest observation of every fingerprint of a tenant (by `updated_at`, then commit time), over
   * its committed runs.
   */
  async currentState(org_id: string): Promise<StoredFinding[]> {
    const latest = new Map<string, StoredFinding>();
    for (const f of await this.findings({ org_id })) {
      const prev = latest.get(f.finding.fingerprint);
      if (!prev || Date.parse(f.finding.updated_at) >= Date.parse(prev.finding.updated_at))
        latest.set(f.finding.fingerprint, f);
    }
    return [...latest.values()];
  }

  /**
   * Compares two committed runs of a tenant by fingerprint: new, changed, resolved and unchanged
   * findings. Reads only the two runs' data files; `SEG_NOT_FOUND` naming a run that is not committed.
   */
  async diffRuns(org_id: string, base_run_id: string, head_run_id: string): Promise<RunDiff> {
    const committed = new Set((await this.runs(org_id)).map((r) => r.run_id));
    for (const id of [base_run_id, head_run_id]) if (!committed.has(id)) throw notCommitted(org_id, id);
    const all = await this.#findingsOf(org_id, [base_run_id, head_run_id]);
    const index = (run: string) =>
      new Map(all.filter((f) => f.run_id === run).map((f) => [f.finding.fingerprint, f]));
    const base = index(base_run_id);
    const head = index(head_run_id);
    const diff: RunDiff = { new: [], changed: [], resolved: [], unchanged: [] };
    const failing = (f: StoredFinding) => ['fail', 'warn', 'error'].includes(f.finding.result);
    for (const [fp, after] of head) {
      const before = base.get(fp);
      if (!before) diff.new.push(after);
      else if (failing(before) && !failing(after)) diff.resolved.push(after);
      else if (
        before.finding.result !== after.finding.result ||
        before.finding.severity !== after.finding.severity ||
        before.finding.message !== after.finding.message
      )
        diff.changed.push({ before, after });
      else diff.unchanged.push(after);
    }
    for (const [fp, before] of base) if (!head.has(fp)) diff.resolved.push(before);
    return diff;
  }

  // Commit times (micros) before which the rows of a run without a `runs` row are dead.
  #deadBefore(options: MaintenanceOptions): bigint {
    const grace = options.graceMs ?? DEAD_RUN_GRACE_MS;
    if (!Number.isFinite(grace) || grace < 0) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: `grace period must be a non-negative number of milliseconds, got ${grace}`,
        details: { grace_ms: grace },
      });
    }
    return isoToMicros(new Date(this.#clock.now().getTime() - grace).toISOString());
  }

  /**
   * Every blob reference held by the tables (evidence rows and the pointers inside findings), with the
   * tenant and commit time retention needs. Feed it to `EvidenceStore.purgeExpired`. Rows of committed
   * runs are references, and so are the rows of a run without a `runs` row while they are younger than
   * the grace period (a commit in flight); older ones belong to a dead run and reference nothing.
   */
  async evidenceReferences(options: MaintenanceOptions = {}): Promise<BlobReference[]> {
    const deadBefore = this.#deadBefore(options);
    const committed = await this.#committedRunIds();
    const live = (row: Row) =>
      row.run_id === null || committed.has(String(row.run_id)) || micros(row.committed_at) >= deadBefore;
    const refs: BlobReference[] = [];
    const evidenceColumns = ['org_id', 'run_id', 'hash', 'committed_at'];
    for (const row of await this.#tables.table('evidence').scan({ columns: evidenceColumns, filter: live })) {
      refs.push({
        org_id: String(row.org_id),
        hash: String(row.hash),
        committed_at: microsToIso(micros(row.committed_at)),
      });
    }
    const findingColumns = ['org_id', 'run_id', 'committed_at', 'evidence'];
    for (const row of await this.#tables.table('findings').scan({ columns: findingColumns, filter: live })) {
      const committed_at = microsToIso(micros(row.committed_at));
      for (const p of JSON.parse(String(row.evidence ?? '[]')) as { hash: string }[]) {
        refs.push({ org_id: String(row.org_id), hash: p.hash, committed_at });
      }
    }
    return refs;
  }

  /**
   * Maintenance of every table, one rewrite snapshot per table that needs one: partitions of more than
   * one data file become one file, and in the run tables (evidence, findings, assets, controls) the rows
   * of dead runs (no `runs` row, older than the grace period) are removed; the files that may hold them
   * are found by their `run_id` bounds. The snapshot's summary names the removed runs
   * ({@link REMOVED_RUNS_SUMMARY_KEY}), so that a later commit of such a run id appends its rows again.
   * Returns the tables that were rewritten.
   */
  async compact(options: MaintenanceOptions = {}): Promise<CompactedTable[]> {
    const deadBefore = this.#deadBefore(options);
    const out: CompactedTable[] = [];
    for (const name of [
      'assets',
      'controls',
      'findings',
      'plans',
      'evidence',
      'attestations',
      'runs',
    ] as const) {
      const runTable = (RUN_TABLES as readonly TableName[]).includes(name);
      const r = await this.#tables.table(name).compact({
        // Read again on every attempt: a run whose row was committed meanwhile is no longer dead.
        removal: async (loaded) => {
          if (!runTable) return undefined;
          const committed = await this.#committedRunIds();
          const dead = new Set(runsWithRows(loaded).filter((id) => !committed.has(id)));
          if (dead.size === 0) return undefined;
          return {
            candidates: { column: 'run_id', values: [...dead] },
            groupOf: (row) =>
              row.run_id !== null && dead.has(String(row.run_id)) && micros(row.committed_at) < deadBefore
                ? String(row.run_id)
                : undefined,
          };
        },
        summary: (removed): Record<string, string> =>
          removed.size === 0
            ? {}
            : {
                [REMOVED_RUNS_SUMMARY_KEY]: [...removed.keys()].sort().join(','),
                [REMOVED_ROWS_SUMMARY_KEY]: String([...removed.values()].reduce((a, b) => a + b, 0)),
              },
      });
      if (r.snapshotId === null) continue;
      out.push({
        table: name,
        files_added: r.addedFiles,
        files_removed: r.deletedFiles,
        rows_removed: [...r.removed.values()].reduce((a, b) => a + b, 0),
        runs_removed: [...r.removed.keys()].sort(),
      });
    }
    return out;
  }
}
