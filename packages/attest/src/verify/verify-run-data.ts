import { sha256Hex } from '@neurocipher/seg-ports';
import { isSegError } from '@neurocipher/seg-contracts';
import { verifyFailed } from '../errors.ts';
import type { SubjectResolver } from '../service/subject-resolver.ts';
import {
  evidenceSubjectName,
  parseSubjectName,
  type InTotoStatement,
  type StatementSubject,
} from '../statement/statement.ts';

/** What a SEG statement says it attests, for people and for `--run` checks. */
export interface AttestedRun {
  run_id: string;
  /** The tenant: `scope.org_id` of the run. */
  org_id: string;
  /** Policy bundles evaluated, as `id@version` (none for a remediation statement). */
  bundles: string[];
  started_at: string;
  ended_at: string;
}

interface PredicateShape {
  run: { run_id: string; scope: { org_id: string }; started_at: string; ended_at: string };
  policy_bundles?: { id: string; version: string }[];
  evidence?: { sha256: string; media_type?: string }[];
}

/** The run, tenant, bundles and times a statement (parsed by `parseStatement`, so its predicate is valid) attests. */
export function attestedRun(statement: InTotoStatement): AttestedRun {
  const predicate = statement.predicate as unknown as PredicateShape;
  return {
    run_id: predicate.run.run_id,
    org_id: predicate.run.scope.org_id,
    bundles: (predicate.policy_bundles ?? []).map((b) => `${b.id}@${b.version}`),
    started_at: predicate.run.started_at,
    ended_at: predicate.run.ended_at,
  };
}

/** Options of {@link verifyRunData}. */
export interface RunDataOptions {
  /**
   * Fetches the stored bytes a subject names (`undefined` when missing). A resolver that finds the
   * artifact but whose store refuses its bytes as corrupt throws `SEG_ATTEST_VERIFY_FAILED`
   * (`subject_digest_mismatch`); other errors end the check as they are.
   */
  resolver: SubjectResolver;
  /**
   * Media type of evidence blobs that are evidence indexes: RFC 8785 JSON objects whose `evidence` array
   * lists the sha256 of every further evidence blob of the run (core's `EVIDENCE_INDEX_MEDIA_TYPE`).
   * Each listed blob is re-hashed too.
   */
  evidenceIndexMediaType: string;
}

/** What {@link verifyRunData} re-hashed. */
export interface RunDataVerification {
  /** Subjects of the statement checked (every one). */
  subjects: number;
  /** Table files (manifest lists, manifests, data files, metadata files) re-hashed. */
  files: number;
  /** Evidence blobs re-hashed: the index subjects and every blob they list. */
  blobs: number;
}

function describe(subject: StatementSubject): string {
  const ref = parseSubjectName(subject.name);
  switch (ref.kind) {
    case 'data_file':
      return `table file ${subject.name}`;
    case 'evidence':
      return `evidence blob ${ref.sha256}`;
    case 'run_summary':
      return `run summary ${subject.name}`;
    case 'plan':
    case 'unknown':
      return subject.name;
  }
}

async function check(subject: StatementSubject, resolver: SubjectResolver, via = ''): Promise<Uint8Array> {
  const expected = subject.digest.sha256;
  if (expected === undefined)
    throw verifyFailed('subject_digest_mismatch', `${subject.name} has no sha256 digest`, {
      name: subject.name,
    });
  let bytes: Uint8Array | undefined;
  try {
    bytes = await resolver.resolve(subject);
  } catch (error) {
    if (isSegError(error) && error.error_code === 'SEG_ATTEST_VERIFY_FAILED')
      throw verifyFailed('subject_digest_mismatch', `${describe(subject)}${via} differs: ${error.message}`, {
        name: subject.name,
      });
    throw error;
  }
  if (bytes === undefined)
    throw verifyFailed('subject_missing', `${describe(subject)}${via} is missing`, { name: subject.name });
  const actual = sha256Hex(bytes);
  if (actual !== expected) {
    throw verifyFailed(
      'subject_digest_mismatch',
      `${describe(subject)}${via} differs: its sha256 is ${actual}, the attestation says ${expected}`,
      { name: subject.name, actual },
    );
  }
  return bytes;
}

function listedHashes(bytes: Uint8Array, index: string): string[] {
  let listed: unknown;
  try {
    listed = (JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as { evidence?: unknown })
      .evidence;
  } catch {
    listed = undefined;
  }
  if (!Array.isArray(listed) || !listed.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h)))
    throw verifyFailed('malformed_statement', `evidence index ${index} does not list sha256 hashes`, {
      index,
    });
  return listed as string[];
}

/**
 * Re-hashes everything a verified statement pins, in subject order, and fails on the first that is
 * missing or differs: every subject (run summary, table files, evidence blobs), and for each evidence
 * subject the predicate lists with `evidenceIndexMediaType`, every blob that index lists (each once).
 * Returns the counts checked. The statement must already be verified (signatures, `parseStatement`).
 *
 * Errors: `SEG_ATTEST_VERIFY_FAILED` naming the subject or blob, `details.reason` `subject_missing`,
 * `subject_digest_mismatch`, or `malformed_statement` for an index that is not a list of hashes.
 */
export async function verifyRunData(
  statement: InTotoStatement,
  options: RunDataOptions,
): Promise<RunDataVerification> {
  const predicate = statement.predicate as unknown as PredicateShape;
  const indexes = new Set(
    (predicate.evidence ?? [])
      .filter((e) => e.media_type === options.evidenceIndexMediaType)
      .map((e) => e.sha256),
  );
  const seen = new Set<string>();
  const counts = { subjects: 0, files: 0, blobs: 0 };
  for (const subject of statement.subject) {
    const bytes = await check(subject, options.resolver);
    counts.subjects++;
    const ref = parseSubjectName(subject.name);
    if (ref.kind === 'data_file') counts.files++;
    if (ref.kind !== 'evidence') continue;
    counts.blobs++;
    seen.add(ref.sha256);
    if (!indexes.has(ref.sha256)) continue;
    for (const hash of listedHashes(bytes, ref.sha256)) {
      if (seen.has(hash)) continue;
      seen.add(hash);
      await check(
        { name: evidenceSubjectName(hash), digest: { sha256: hash } },
        options.resolver,
        ` (listed by the evidence index ${ref.sha256})`,
      );
      counts.blobs++;
    }
  }
  return counts;
}
