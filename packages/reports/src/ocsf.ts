import type { Finding, Result, Severity } from '@neurocipher/seg-contracts';
import { PRODUCT_NAME, VENDOR_NAME, controlIndex } from './report-context.ts';
import type { ReportInput } from './report-context.ts';

/** OCSF schema version the Compliance Finding events follow. */
export const OCSF_VERSION = '1.8.0';
/** OCSF class `compliance_finding`. */
export const OCSF_COMPLIANCE_FINDING_CLASS_UID = 2003;
/** OCSF category `findings`. */
export const OCSF_FINDINGS_CATEGORY_UID = 2;
/** OCSF activity `Create`. */
const ACTIVITY_CREATE = 1;

const SEVERITY_ID: Readonly<Record<Severity, number>> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME: Readonly<Record<Severity, string>> = {
  info: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};
// OCSF compliance.status_id: 0 Unknown, 1 Pass, 2 Warning, 3 Fail, 99 Other.
const COMPLIANCE_STATUS: Readonly<Record<Result, readonly [number, string]>> = {
  pass: [1, 'Pass'],
  warn: [2, 'Warning'],
  fail: [3, 'Fail'],
  error: [0, 'Unknown'],
  not_applicable: [99, 'Other'],
};

/** One OCSF 1.x Compliance Finding event (class_uid 2003) as a plain JSON object. */
export type OcsfComplianceFinding = Record<string, unknown>;

function epochMs(iso: string): number {
  return Date.parse(iso);
}

// `urn:asset:aws:bucket:arn:aws:s3:::name` → provider `aws`, type `bucket`, id `arn:aws:s3:::name`.
function urnParts(urn: string): { provider: string; type: string; id: string } {
  const [, , provider = 'other', type = 'unknown', ...rest] = urn.split(':');
  return { provider, type, id: rest.join(':') };
}

function oneEvent(
  finding: Finding,
  input: ReportInput,
  index: ReturnType<typeof controlIndex>,
): OcsfComplianceFinding {
  const control = index.get(finding.control_id);
  const asset = input.assets?.get(finding.asset.urn);
  const parts = urnParts(finding.asset.urn);
  const [statusId, statusName] = COMPLIANCE_STATUS[finding.result];
  const region = asset?.properties['region'];
  const account = asset?.properties['account_id'];
  const frameworks = input.frameworks?.[finding.control_id] ?? {};
  const cloud: Record<string, unknown> = { provider: (asset?.provider ?? parts.provider).toUpperCase() };
  if (typeof region === 'string' && region !== 'global') cloud['region'] = region;
  if (typeof account === 'string') cloud['account'] = { uid: account };
  const resource: Record<string, unknown> = { uid: parts.id, type: asset?.kind ?? parts.type };
  if (asset?.name) resource['name'] = asset.name;
  if (typeof region === 'string') resource['region'] = region;
  const compliance: Record<string, unknown> = {
    control: finding.control_id,
    status_id: statusId,
    status: statusName,
    standards: [control?.benchmark ?? 'custom', ...Object.keys(frameworks).sort()],
  };
  if (Object.keys(frameworks).length > 0) {
    compliance['requirements'] = Object.entries(frameworks)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([framework, ref]) => `${framework}:${ref}`);
  }
  if (control?.description) compliance['desc'] = control.description;
  const event: OcsfComplianceFinding = {
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    category_uid: OCSF_FINDINGS_CATEGORY_UID,
    category_name: 'Findings',
    class_uid: OCSF_COMPLIANCE_FINDING_CLASS_UID,
    class_name: 'Compliance Finding',
    type_uid: OCSF_COMPLIANCE_FINDING_CLASS_UID * 100 + ACTIVITY_CREATE,
    type_name: 'Compliance Finding: Create',
    severity_id: SEVERITY_ID[finding.severity],
    severity: SEVERITY_NAME[finding.severity],
    status_id: 1,
    status: 'New',
    time: epochMs(finding.updated_at),
    message: finding.message,
    metadata: {
      version: OCSF_VERSION,
      product: { name: PRODUCT_NAME, vendor_name: VENDOR_NAME, version: input.tool_version, uid: 'seg' },
      profiles: ['cloud'],
      uid: finding.id,
      ...(input.run ? { correlation_uid: input.run.run_id, tenant_uid: input.run.scope.org_id } : {}),
    },
    finding_info: {
      uid: finding.fingerprint,
      title: control?.title ?? finding.control_id,
      ...(control?.description ? { desc: control.description } : {}),
      created_time: epochMs(finding.created_at),
      modified_time: epochMs(finding.updated_at),
      types: ['Compliance'],
    },
    compliance,
    cloud,
    resources: [resource],
    unmapped: {
      seg_result: finding.result,
      control_version: finding.control_version,
      asset_urn: finding.asset.urn,
      evidence: finding.evidence.map((e) => ({ hash: e.hash, media_type: e.media_type })),
    },
  };
  if (control?.remediation_guidance) event['remediation'] = { desc: control.remediation_guidance };
  return event;
}

/**
 * Findings as OCSF 1.x Compliance Finding events (class_uid 2003, activity Create, `cloud` profile), one
 * per finding, for a security data lake. The SEG result maps to `compliance.status_id` (pass 1, warn 2,
 * fail 3, error 0 Unknown, not_applicable 99 Other), the severity to `severity_id`, the fingerprint to
 * `finding_info.uid` (stable across runs) and the finding id to `metadata.uid`. Pure; same input, same output.
 */
export function toOcsf(input: ReportInput): OcsfComplianceFinding[] {
  const index = controlIndex(input.controls);
  return input.findings.map((finding) => oneEvent(finding, input, index));
}
