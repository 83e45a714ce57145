import { SegError, isSegError } from '@neurocipher/seg-contracts';
import type { Finding } from '@neurocipher/seg-contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Results a remediation can drive toward pass. */
export const FAILING_RESULTS: readonly string[] = ['fail', 'warn'];

/** A finding as committed: the finding, its tenant and run, and when (the lakehouse's `StoredFinding`). */
export interface CommittedFinding {
  finding: Finding;
  org_id: string;
  run_id: string;
  committed_at: string;
}

/**
 * The read side of the lakehouse that {@link remediableFinding} needs: one committed finding of a tenant
 * by id (`IcebergFindingStore.finding`), `SEG_NOT_FOUND` when there is none.
 */
export interface FindingSource {
  finding(org_id: string, id: string): Promise<CommittedFinding>;
}

/**
 * The committed finding `finding_id` of tenant `org_id`, checked to be remediable: on an asset a
 * remediation adapter can change (`changeable`: for AWS, `urn:asset:aws:{kind}:{account}:{region}:{id}` of
 * an account scan, not a snapshot's ARN-style URN), and failing (`fail` or `warn`). Throws a one-line `SegError` otherwise: `SEG_INVALID_ARGUMENT` for
 * an id that is not a UUID, another asset or a finding that is not failing; `SEG_NOT_FOUND` when the
 * tenant's lakehouse holds no finding with that id.
 */
export async function remediableFinding(
  source: FindingSource,
  org_id: string,
  finding_id: string,
  changeable: (urn: string) => boolean,
): Promise<CommittedFinding> {
  if (!UUID.test(finding_id)) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `finding id ${JSON.stringify(finding_id.slice(0, 80))} is not a UUID (seg findings --format json and GET /runs/{id}/findings list them)`,
      details: { finding_id: finding_id.slice(0, 80) },
    });
  }
  let found: CommittedFinding;
  try {
    // Finding ids are written as lowercase UUIDs (UUIDv5 of run id and fingerprint).
    found = await source.finding(org_id, finding_id.toLowerCase());
  } catch (err) {
    if (!isSegError(err) || err.error_code !== 'SEG_NOT_FOUND') throw err;
    throw new SegError({
      error_code: 'SEG_NOT_FOUND',
      message: `finding ${finding_id} is not in the lakehouse of tenant ${org_id}`,
      details: { finding_id, org_id },
    });
  }
  const { finding } = found;
  if (!changeable(finding.asset.urn)) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `finding ${finding_id} is on ${finding.asset.urn}, not an asset of an AWS account scan: only findings of an account scan (seg scan --provider aws) can be remediated`,
      details: { finding_id, urn: finding.asset.urn },
    });
  }
  if (!FAILING_RESULTS.includes(finding.result)) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `finding ${finding_id} (${finding.control_id}) is ${finding.result}, not failing: nothing to remediate`,
      details: { finding_id, result: finding.result },
    });
  }
  return found;
}
