// FindingIngestPort over the seven Iceberg tables: one snapshot per table per commit, idempotent by
// run id, durable before it returns (the catalog pointer swap is the last, synchronous step).
import { createHash, randomUUID } from 'node:crypto';
import type {
  Ack,
  AppendResult,
  Attestation,
  EvidenceObj,
  Finding,
  IngestContext,
  RemediationPlan,
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
import type { Clock, EventBus, FindingIngestPort, KeyProvider } from '@neurocipher/seg-ports';
import { systemClock } from '@neurocipher/seg-ports';
import type { LoadedTable } from '../catalog/catalog.ts';
import { CommitConflictError } from '../catalog/catalog.ts';
import type { Row } from '../iceberg/schema.ts';
import type { Snapshot } from '../iceberg/table-metadata.ts';
import { snapshotAncestry } from '../iceberg/table-metadata.ts';
import { UriSealer } from '../evidence/envelope.ts';
import type { BlobReference, EvidenceStore } from '../evidence/evidence-store.ts';
import { microsToIso } from '../tables/timestamps.ts';
import type { LakehouseTables } from '../tables/lakehouse-tables.ts';
import { fromRow, toRow } from '../tables/row-codec.ts';
import type { TableName } from '../tables/table-definitions.ts';

/** Snapshot summary key holding the run id a snapshot was committed for. */
export const RUN_ID_SUMMARY_KEY = 'seg.run-id';
/** Snapshot summary key holding the idempotency key of a non-run commit. */
export const COMMIT_KEY_SUMMARY_KEY = 'seg.commit-key';

/** Options of {@link IcebergFindingStore}. */
export interface IcebergFindingStoreOptions {
  tables: LakehouseTables;
  /** Issues data keys for sealing evidence URIs. */
  keys: KeyProvider;
  clock?: Clock;
  /** Where `ack` publishes `seg.findings.committed` (optional). */
  events?: EventBus;
  /** When given, `commit` refuses evidence whose blob is not stored (`SEG_EVIDENCE_WRITE_FAILED`). */
  evidence?: EvidenceStore;
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

function snapshotFor(table: LoadedTable, key: string, value: string): Snapshot | undefined {
  return snapshotAncestry(table.metadata).find((s) => s.summary[key] === value);
}

/** {@link FindingIngestPort} on Iceberg tables, with the read side of findings. */
export class IcebergFindingStore implements FindingIngestPort {
  readonly #tables: LakehouseTables;
  readonly #keys: KeyProvider;
  readonly #clock: Clock;
  readonly #events: EventBus | undefined;
  readonly #reader: UriSealer;
  readonly #evidence: EvidenceStore | undefined;

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
            message: `evidence blob ${hash}${more.length > 0 ? ` (and ${more.length} more)` : ''} is not stored; store it before committing`,
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
   * Acknowledges a committed run: its `runs` row is durable (the run row is committed last). Publishes
   * `seg.findings.committed` keyed by run id, so a repeated ack is de-duplicated by the bus.
   */
  async ack(run_id: string): Promise<Ack> {
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
    const runCommit = tables.find((t) => t.table === 'runs');
    if (!runCommit)
      throw new SegError({ error_code: 'SEG_NOT_FOUND', message: `run ${run_id} was never committed` });
    const runRow = (await this.#tables.table('runs').scan({ filter: (r) => r.run_id === run_id }))[0];
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
    const key = createHash('sha256')
      .update(
        rows
          .map((r) => String(r.id))
          .sort()
          .join('\n'),
      )
      .digest('hex');
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

  /** Findings matching every given filter (tenant filters prune partitions), in commit order. */
  async findings(query: FindingQuery = {}): Promise<StoredFinding[]> {
    const cols: [keyof FindingQuery, string][] = [
      ['id', 'id'],
      ['org_id', 'org_id'],
      ['run_id', 'run_id'],
      ['control_id', 'control_id'],
      ['severity', 'severity'],
      ['result', 'result'],
      ['fingerprint', 'fingerprint'],
    ];
    const active = cols.filter(([k]) => query[k] !== undefined);
    const rows = await this.#tables.table('findings').scan({
      ...(query.org_id !== undefined ? { partition: (p) => p.org_id === query.org_id } : {}),
      filter: (r) => active.every(([k, c]) => r[c] === query[k]),
    });
    rows.sort((a, b) => (BigInt(a.committed_at as bigint) < BigInt(b.committed_at as bigint) ? -1 : 1));
    return Promise.all(rows.map((r) => this.#decode(r)));
  }

  /** The latest observation of every fingerprint of a tenant (by `updated_at`, then commit time). */
  async currentState(org_id: string): Promise<StoredFinding[]> {
    const latest = new Map<string, StoredFinding>();
    for (const f of await this.findings({ org_id })) {
      const prev = latest.get(f.finding.fingerprint);
      if (!prev || Date.parse(f.finding.updated_at) >= Date.parse(prev.finding.updated_at))
        latest.set(f.finding.fingerprint, f);
    }
    return [...latest.values()];
  }

  /** Compares two runs of a tenant by fingerprint: new, changed, resolved and unchanged findings. */
  async diffRuns(org_id: string, base_run_id: string, head_run_id: string): Promise<RunDiff> {
    const all = await this.findings({ org_id });
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

  /**
   * Every blob reference held by the tables (evidence rows and the pointers inside findings), with the
   * tenant and commit time retention needs. Feed it to `EvidenceStore.purgeExpired`.
   */
  async evidenceReferences(): Promise<BlobReference[]> {
    const refs: BlobReference[] = [];
    const evidenceColumns = ['org_id', 'hash', 'committed_at'];
    for (const row of await this.#tables.table('evidence').scan({ columns: evidenceColumns })) {
      refs.push({
        org_id: String(row.org_id),
        hash: String(row.hash),
        committed_at: microsToIso(BigInt(row.committed_at as bigint)),
      });
    }
    const findingColumns = ['org_id', 'committed_at', 'evidence'];
    for (const row of await this.#tables.table('findings').scan({ columns: findingColumns })) {
      const committed_at = microsToIso(BigInt(row.committed_at as bigint));
      for (const p of JSON.parse(String(row.evidence ?? '[]')) as { hash: string }[]) {
        refs.push({ org_id: String(row.org_id), hash: p.hash, committed_at });
      }
    }
    return refs;
  }

  /** Compacts every table (one file per partition); returns the tables that were rewritten. */
  async compact(): Promise<{ table: TableName; files_added: number }[]> {
    const out: { table: TableName; files_added: number }[] = [];
    for (const name of [
      'assets',
      'controls',
      'findings',
      'plans',
      'evidence',
      'attestations',
      'runs',
    ] as const) {
      const r = await this.#tables.table(name).compact();
      if (r.snapshotId !== null) out.push({ table: name, files_added: r.addedFiles });
    }
    return out;
  }
}
