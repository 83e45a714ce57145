// A small, varied report input for the report-format tests (here and in apps that render reports): every
// result, every severity, three controls with framework mappings, and cells that need CSV quoting.
import { sha256Hex } from '@neurocipher/seg-ports';
import type { Asset, ControlSpec, Finding, Result, RunSummary, Severity } from '@neurocipher/seg-contracts';
import type { ReportInput } from '../report-context.ts';

const sha = (s: string): string => sha256Hex(s);
const uuid = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Three CIS controls of different severities (storage, network, IAM). */
export const sampleControls: ControlSpec[] = [
  {
    id: 'cis-storage-secure-transport',
    version: '1.0.0',
    title: 'S3 bucket policy denies requests made without TLS',
    benchmark: 'CIS',
    description: 'The bucket policy must deny aws:SecureTransport = false.',
    inputs: {},
    target_kinds: ['bucket'],
    policy_bundle: 'cis-aws-foundations',
    severity: 'medium',
    remediation_guidance: 'Merge a Deny statement on aws:SecureTransport false into the bucket policy.',
  },
  {
    id: 'cis-network-sg-no-admin-ingress',
    version: '1.0.0',
    title: 'No security group allows admin ports from anywhere',
    benchmark: 'CIS',
    description: 'Ingress to 22/3389 from 0.0.0.0/0 or ::/0 is not allowed.',
    inputs: {},
    target_kinds: ['security-group'],
    policy_bundle: 'cis-aws-foundations',
    severity: 'high',
  },
  {
    id: 'cis-iam-no-full-admin-policy',
    version: '1.0.0',
    title: 'No IAM policy grants full administrative privileges',
    benchmark: 'CIS',
    description: '"*:*" policies are not attached.',
    inputs: {},
    target_kinds: ['iam-policy'],
    policy_bundle: 'cis-aws-foundations',
    severity: 'critical',
  },
];

/** Framework mappings of {@link sampleControls}, by control id. */
export const sampleFrameworks = {
  'cis-storage-secure-transport': { cis_aws_v3: '2.1.1', aws_fsbp: 'S3.5' },
  'cis-network-sg-no-admin-ingress': { cis_aws_v3: '5.2' },
  'cis-iam-no-full-admin-policy': { cis_aws_v3: '1.16', nist_800_53: 'AC-6' },
};

const rows: Array<[string, string, Result, Severity, string]> = [
  [
    'cis-storage-secure-transport',
    'bucket:arn:aws:s3:::demo-a',
    'fail',
    'medium',
    'bucket demo-a allows plain HTTP',
  ],
  [
    'cis-storage-secure-transport',
    'bucket:arn:aws:s3:::demo-b',
    'pass',
    'medium',
    'bucket demo-b denies plain HTTP',
  ],
  [
    'cis-network-sg-no-admin-ingress',
    'security-group:sg-1',
    'fail',
    'high',
    'sg-1 opens 22, "ssh", to 0.0.0.0/0',
  ],
  [
    'cis-network-sg-no-admin-ingress',
    'security-group:sg-2',
    'warn',
    'high',
    '=cmd|/C calc!A0 looks odd\nsecond line',
  ],
  [
    'cis-iam-no-full-admin-policy',
    'iam-policy:arn:aws:iam::1:policy/p',
    'fail',
    'critical',
    'policy p allows *:*',
  ],
  [
    'cis-iam-no-full-admin-policy',
    'iam-policy:arn:aws:iam::1:policy/q',
    'error',
    'critical',
    'config missing',
  ],
  [
    'cis-iam-no-full-admin-policy',
    'iam-policy:arn:aws:iam::1:policy/r',
    'not_applicable',
    'low',
    'aws managed',
  ],
  ['cis-storage-secure-transport', 'bucket:arn:aws:s3:::demo-c', 'fail', 'info', 'informational check'],
];

/**
 * Eight findings over the three controls: every result and severity, one message with a quote and comma,
 * one starting with a spreadsheet formula and holding a newline.
 */
export const sampleFindings: Finding[] = rows.map(([control, urn, result, severity, message], i) => ({
  id: uuid(i + 1),
  control_id: control,
  control_version: '1.0.0',
  asset: { urn: `urn:asset:aws:${urn}` },
  result,
  severity,
  message,
  evidence: [{ hash: sha(`evidence-${i}`), media_type: 'application/json' }],
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:05:00Z',
  fingerprint: sha(`fp-${i}`),
}));

/** The assets of {@link sampleFindings}, by URN (region `us-east-1`, one account). */
export const sampleAssets: Map<string, Asset> = new Map(
  sampleFindings.map((f) => {
    const kind = f.asset.urn.split(':')[3] as string;
    const asset: Asset = {
      ref: f.asset,
      kind,
      provider: 'aws',
      name: f.asset.urn.split(/[:/]/).at(-1) ?? null,
      properties: { region: 'us-east-1', account_id: '210000000000' },
      discovered_at: '2026-11-01T00:00:00Z',
    };
    return [f.asset.urn, asset];
  }),
);

/** The run {@link sampleFindings} belong to (tenant `demo`). */
export const sampleRun: RunSummary = {
  run_id: uuid(900),
  scope: { org_id: 'demo', tags: {} },
  started_at: '2026-11-01T00:00:00Z',
  ended_at: '2026-11-01T00:05:00Z',
  controls: sampleControls.map((c) => c.id),
  counts: { pass: 1, warn: 1, fail: 4, error: 1, not_applicable: 1 },
};

/** The sample as a report input (tool version `0.1.0`). */
export function sampleReport(): ReportInput {
  return {
    findings: sampleFindings,
    controls: sampleControls,
    run: sampleRun,
    frameworks: sampleFrameworks,
    assets: sampleAssets,
    tool_version: '0.1.0',
  };
}
