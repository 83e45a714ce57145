import type { z } from 'zod';
import { sha256Hex } from '@neurocipher/seg-ports';
import { canonicalJsonBytes } from '../encoding/canonical-json.ts';
import { verifyFailed } from '../errors.ts';
import {
  EVALUATION_RUN_PREDICATE_TYPE,
  EvaluationRunPredicateSchema,
  InTotoStatementSchema,
  PredicateRunSchema,
  REMEDIATION_RUN_PREDICATE_TYPE,
  RemediationRunPredicateSchema,
  type EvaluationRunPredicate,
  type RemediationRunPredicate,
} from './predicates.ts';

/** The in-toto Statement v1 `_type`. */
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';

/** An in-toto Statement v1 subject: matched by digest only; the name is a stable SEG path. */
export interface StatementSubject {
  name: string;
  digest: Record<string, string>;
}

/** An in-toto Statement v1 as SEG writes it. */
export interface InTotoStatement<P = Record<string, unknown>> {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: StatementSubject[];
  predicateType: string;
  predicate: P;
}

/** SEG's two statement kinds (spec §7 `Attestation.statement_type`). */
export type StatementType = 'evaluation' | 'remediation';

/** The run summary fields a statement pins (spec §7 RunSummary); timestamps as RFC 3339 strings or Dates. */
export interface RunSummaryInput {
  run_id: string;
  scope: {
    org_id: string;
    project?: string | null | undefined;
    region?: string | null | undefined;
    tags?: Record<string, string> | undefined;
  };
  started_at: string | Date;
  ended_at: string | Date;
  controls: string[];
  counts: Record<string, number>;
}

/** A file a table commit produced, pinned by sha256; `path` is relative to the table's location. */
export interface CommittedFile {
  path: string;
  sha256: string;
  /** Rows in the file, for data files. */
  record_count?: number;
}

/** A table commit of the run: the snapshot id and the digests of the files it added. */
export interface TableCommitInput {
  table: string;
  /** Iceberg snapshot id (decimal when a string). */
  snapshot_id: string | bigint | number;
  data_files: CommittedFile[];
}

/**
 * What an evaluation or remediation run committed besides its summary, as its statement pins it: the one
 * run-material shape of SEG (core's run service fills it, the attestation service signs over it).
 */
export interface RunMaterial {
  tables?: TableCommitInput[];
  evidence?: { sha256: string; media_type?: string }[];
  policy_bundles?: { id: string; version: string; digest: { sha256: string } }[];
  /** The SEG version that ran; defaults to this package's version line. */
  engine_version?: string;
}

/** A remediation plan as given to the remediation statement (spec §7 RemediationPlan). */
export interface PlanInput {
  id: string;
  finding_id: string;
  mode: 'plan' | 'apply';
  estimated_risk: 'low' | 'medium' | 'high';
  approvals_required?: string[];
  [field: string]: unknown;
}

/** The outcome of applying or rolling back a plan (spec §7 ApplyResult, plus which operation). */
export interface OutcomeInput {
  plan_id: string;
  operation?: 'apply' | 'rollback';
  status: 'success' | 'partial' | 'failed';
  started_at: string | Date;
  ended_at: string | Date;
  results: {
    step_index: number;
    status: 'success' | 'skipped' | 'failed' | 'compensated';
    provider_change_id?: string | null;
  }[];
}

/** Extra material of a remediation run: the plans and their apply or rollback outcomes. */
export interface RemediationMaterial extends RunMaterial {
  plans: PlanInput[];
  outcomes?: OutcomeInput[];
}

const DEFAULT_ENGINE_VERSION = '0.1.0';

function iso(value: string | Date): string {
  return value instanceof Date ? value.toISOString() : value;
}

/** The normalised run object a predicate carries and the summary subject hashes. */
export function predicateRun(run: RunSummaryInput): z.infer<typeof PredicateRunSchema> {
  return PredicateRunSchema.parse({
    run_id: run.run_id,
    scope: {
      org_id: run.scope.org_id,
      ...(run.scope.project == null ? {} : { project: run.scope.project }),
      ...(run.scope.region == null ? {} : { region: run.scope.region }),
      tags: run.scope.tags ?? {},
    },
    started_at: iso(run.started_at),
    ended_at: iso(run.ended_at),
    controls: run.controls,
    counts: run.counts,
  });
}

/**
 * The canonical bytes of a run summary: RFC 8785 JSON of {@link predicateRun}. The run-summary
 * subject digest is their SHA-256; a verifier re-hashes the stored summary the same way.
 */
export function runSummaryBytes(run: RunSummaryInput): Uint8Array {
  return canonicalJsonBytes(predicateRun(run));
}

/** Canonical bytes of a remediation plan (its `plan_sha256` and subject digest hash these). */
export function planBytes(plan: PlanInput): Uint8Array {
  return canonicalJsonBytes(plan);
}

/** Subject name of a run summary. */
export function runSummarySubjectName(runId: string): string {
  return `seg/runs/${runId}/summary.json`;
}

/** Subject name of a data file added by a table snapshot. */
export function dataFileSubjectName(table: string, snapshotId: string, path: string): string {
  return `seg/tables/${table}/snapshots/${snapshotId}/${path}`;
}

/** Subject name of an evidence blob. */
export function evidenceSubjectName(sha256: string): string {
  return `seg/evidence/sha256/${sha256}`;
}

/** Subject name of a remediation plan. */
export function planSubjectName(planId: string): string {
  return `seg/plans/${planId}/plan.json`;
}

/** What a subject name refers to, so a resolver knows where to fetch the artifact. */
export type SubjectRef =
  | { kind: 'run_summary'; run_id: string }
  | { kind: 'data_file'; table: string; snapshot_id: string; path: string }
  | { kind: 'evidence'; sha256: string }
  | { kind: 'plan'; plan_id: string }
  | { kind: 'unknown'; name: string };

/** Parses a SEG subject name back into what it refers to. */
export function parseSubjectName(name: string): SubjectRef {
  let m = /^seg\/runs\/([^/]+)\/summary\.json$/.exec(name);
  if (m) return { kind: 'run_summary', run_id: m[1] as string };
  m = /^seg\/tables\/([^/]+)\/snapshots\/(-?\d+)\/(.+)$/.exec(name);
  if (m)
    return { kind: 'data_file', table: m[1] as string, snapshot_id: m[2] as string, path: m[3] as string };
  m = /^seg\/evidence\/sha256\/([0-9a-f]{64})$/.exec(name);
  if (m) return { kind: 'evidence', sha256: m[1] as string };
  m = /^seg\/plans\/([^/]+)\/plan\.json$/.exec(name);
  if (m) return { kind: 'plan', plan_id: m[1] as string };
  return { kind: 'unknown', name };
}

function commonSubjects(run: RunSummaryInput, material: RunMaterial): StatementSubject[] {
  const subjects: StatementSubject[] = [
    { name: runSummarySubjectName(run.run_id), digest: { sha256: sha256Hex(runSummaryBytes(run)) } },
  ];
  for (const table of material.tables ?? []) {
    for (const file of table.data_files) {
      subjects.push({
        name: dataFileSubjectName(table.table, String(table.snapshot_id), file.path),
        digest: { sha256: file.sha256 },
      });
    }
  }
  const evidence = new Set((material.evidence ?? []).map((e) => e.sha256));
  for (const hash of [...evidence].sort())
    subjects.push({ name: evidenceSubjectName(hash), digest: { sha256: hash } });
  return subjects;
}

function tables(material: RunMaterial): EvaluationRunPredicate['tables'] {
  return (material.tables ?? []).map((t) => ({
    table: t.table,
    snapshot_id: String(t.snapshot_id),
    data_files: t.data_files.map((f) => ({ ...f })),
  }));
}

/** FAILED if any fail or error, WARNED if any warn, otherwise PASSED. */
export function overallResult(counts: Record<string, number>): EvaluationRunPredicate['result'] {
  if ((counts.fail ?? 0) > 0 || (counts.error ?? 0) > 0) return 'FAILED';
  if ((counts.warn ?? 0) > 0) return 'WARNED';
  return 'PASSED';
}

/**
 * The in-toto statement of an evaluation run. Subjects pin the run summary, every data file of
 * every table snapshot the run committed, and every evidence blob. Validated against the
 * evaluation-run v1 predicate schema; throws a ZodError on bad input.
 */
export function evaluationStatement(
  run: RunSummaryInput,
  material: RunMaterial = {},
): InTotoStatement<EvaluationRunPredicate> {
  const predicate = EvaluationRunPredicateSchema.parse({
    run: predicateRun(run),
    result: overallResult(run.counts),
    policy_bundles: material.policy_bundles ?? [],
    tables: tables(material),
    evidence: [...(material.evidence ?? [])].sort((a, b) => a.sha256.localeCompare(b.sha256)),
    engine: { name: 'seg', version: material.engine_version ?? DEFAULT_ENGINE_VERSION },
  });
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: commonSubjects(run, material),
    predicateType: EVALUATION_RUN_PREDICATE_TYPE,
    predicate,
  };
}

/**
 * The in-toto statement of a remediation run: the common subjects plus one per plan (the SHA-256
 * of its canonical JSON); the predicate records each plan and each apply or rollback outcome.
 */
export function remediationStatement(
  run: RunSummaryInput,
  material: RemediationMaterial,
): InTotoStatement<RemediationRunPredicate> {
  const predicate = RemediationRunPredicateSchema.parse({
    run: predicateRun(run),
    plans: material.plans.map((p) => ({
      plan_id: p.id,
      finding_id: p.finding_id,
      mode: p.mode,
      estimated_risk: p.estimated_risk,
      approvals_required: p.approvals_required ?? [],
      plan_sha256: sha256Hex(planBytes(p)),
    })),
    outcomes: (material.outcomes ?? []).map((o) => ({
      plan_id: o.plan_id,
      operation: o.operation ?? 'apply',
      status: o.status,
      started_at: iso(o.started_at),
      ended_at: iso(o.ended_at),
      results: o.results,
    })),
    tables: tables(material),
    evidence: [...(material.evidence ?? [])].sort((a, b) => a.sha256.localeCompare(b.sha256)),
    engine: { name: 'seg', version: material.engine_version ?? DEFAULT_ENGINE_VERSION },
  });
  const subjects = commonSubjects(run, material);
  for (const plan of predicate.plans) {
    subjects.push({ name: planSubjectName(plan.plan_id), digest: { sha256: plan.plan_sha256 } });
  }
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: subjects,
    predicateType: REMEDIATION_RUN_PREDICATE_TYPE,
    predicate,
  };
}

/** The payload bytes of a statement: RFC 8785 canonical JSON, serialised once and kept as bytes. */
export function statementBytes(statement: InTotoStatement<unknown>): Uint8Array {
  return canonicalJsonBytes(statement);
}

/** A statement read back from verified payload bytes, with its SEG kind. */
export interface ParsedStatement {
  statement: InTotoStatement;
  statement_type: StatementType;
}

const PREDICATES: Record<string, { type: StatementType; schema: z.ZodType }> = {
  [EVALUATION_RUN_PREDICATE_TYPE]: { type: 'evaluation', schema: EvaluationRunPredicateSchema },
  [REMEDIATION_RUN_PREDICATE_TYPE]: { type: 'remediation', schema: RemediationRunPredicateSchema },
};

/**
 * Parses verified payload bytes as an in-toto Statement v1 whose predicate type SEG knows, and
 * validates the predicate. Throws `SEG_ATTEST_VERIFY_FAILED` (`malformed_statement`,
 * `unknown_statement_type` or `unknown_predicate_type`).
 */
export function parseStatement(payload: Uint8Array): ParsedStatement {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    throw verifyFailed('malformed_statement', 'payload is not UTF-8 JSON');
  }
  const type = (value as { _type?: unknown } | null)?._type;
  if (type !== IN_TOTO_STATEMENT_TYPE) {
    throw verifyFailed('unknown_statement_type', 'payload is not an in-toto Statement v1', {
      _type: String(type),
    });
  }
  const parsed = InTotoStatementSchema.safeParse(value);
  if (!parsed.success) {
    throw verifyFailed('malformed_statement', 'statement does not match in-toto Statement v1', {
      paths: parsed.error.issues.map((i) => i.path.join('.')),
    });
  }
  const known = PREDICATES[parsed.data.predicateType];
  if (!known) {
    throw verifyFailed('unknown_predicate_type', 'predicate type is not a SEG predicate', {
      predicate_type: parsed.data.predicateType,
    });
  }
  const predicate = known.schema.safeParse(parsed.data.predicate);
  if (!predicate.success) {
    throw verifyFailed('malformed_statement', 'predicate does not match its schema', {
      paths: predicate.error.issues.map((i) => i.path.join('.')),
    });
  }
  return {
    statement: { ...parsed.data, predicate: parsed.data.predicate ?? {} } as InTotoStatement,
    statement_type: known.type,
  };
}
