import { SegError } from '@neurocipher/seg-contracts';
import type { AssetLocator } from '../inventory/collector.ts';
import {
  createSupportRole,
  deactivateAccessKeys,
  detachPolicyEverywhere,
  detachUserPolicies,
  updatePasswordPolicy,
} from './iam-steps.ts';
import {
  createVpcFlowLog,
  enableEbsDefaultEncryption,
  requireImdsV2,
  revokeAdminIngress,
  revokeAllRules,
} from './ec2-steps.ts';
import {
  addSecureTransportStatement,
  deletePublicBucketPolicy,
  enableBucketVersioning,
  makeBucketAclPrivate,
  putAccountPab,
  putBucketEncryptionKms,
  putBucketLogging,
  putBucketPab,
} from './s3-steps.ts';
import { enableKeyRotation, modifyDbInstance, startTrailLogging, updateTrail } from './service-steps.ts';
import type { StepOp } from './step-op.ts';

/** Settings remediations need that a finding does not carry (where logs go, which key encrypts). */
export interface RemediationDefaults {
  /** Target bucket of S3 server access logs (must grant log delivery). */
  access_log_bucket?: string;
  /** Bucket that receives VPC flow logs. */
  flow_log_bucket?: string;
  /** KMS key (ARN) CloudTrail encrypts with. */
  trail_kms_key_id?: string;
  /** KMS key for S3 default encryption (the AWS-managed `aws/s3` key when absent). */
  bucket_kms_key_id?: string;
  /** Principal (ARN) trusted to assume the support role (CIS 1.17); default the account root. */
  support_role_trusted_principal?: string;
  /** Remote-administration ports (CIS 5.2); default 22 and 3389. */
  admin_ports?: number[];
}

/** One planned step: the op, its parameters, and what it does to the normalized config (for the preview). */
export interface PlannedStep {
  op: StepOp;
  description: string;
  params: Record<string, unknown>;
  /** Whether this step alone needs approval (say, deleting a bucket policy in an otherwise automatic plan). */
  needs_approval?: boolean;
  project(config: Record<string, unknown>): void;
}

/** How one control is remediated on AWS (notes/moto.md §3). */
export interface ControlRemediation {
  control_id: string;
  kind: string;
  /** `auto`: low blast radius and an exact inverse; `approval`: reversible but able to break workloads. */
  automation: 'auto' | 'approval';
  risk: 'low' | 'medium' | 'high';
  /** What the remediation does and what rollback does, for docs and plan descriptions. */
  summary: string;
  rollback: string;
  /** The steps that drive `config` to pass (empty when it already passes). */
  plan(config: Record<string, unknown>, at: AssetLocator, d: RemediationDefaults): PlannedStep[];
}

type Cfg = Record<string, unknown>;
const obj = (v: unknown) => (v ?? {}) as Cfg;
const list = (v: unknown) => (Array.isArray(v) ? v : []) as Cfg[];

function needDefault(d: RemediationDefaults, key: keyof RemediationDefaults, control: string): string {
  const v = d[key];
  if (typeof v !== 'string' || !v) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `remediation of ${control} needs the adapter default ${key}`,
      details: { control_id: control, missing: key },
    });
  }
  return v;
}

const EMPTY_PASSWORD_POLICY = {
  minimum_password_length: 6,
  require_symbols: false,
  require_numbers: false,
  require_uppercase_characters: false,
  require_lowercase_characters: false,
  allow_users_to_change_password: false,
  max_password_age: null,
  password_reuse_prevention: null,
  hard_expiry: null,
};

function passwordStep(
  field: 'MinimumPasswordLength' | 'PasswordReusePrevention',
  key: string,
  min: number,
): ControlRemediation['plan'] {
  return (config) => {
    const pp = config['password_policy'] as Cfg | null;
    if (pp && typeof pp[key] === 'number' && (pp[key] as number) >= min) return [];
    return [
      {
        op: updatePasswordPolicy,
        description: `Set the account password policy ${field} to ${min}, keeping its other settings`,
        params: { set: { [field]: min } },
        project: (c) => {
          c['password_policy'] = {
            ...((c['password_policy'] as Cfg | null) ?? EMPTY_PASSWORD_POLICY),
            [key]: min,
          };
        },
      },
    ];
  };
}

const publicAllow = (s: Cfg) =>
  s['effect'] === 'Allow' &&
  list(s['principals']).some((p) => p['id'] === '*') &&
  list(s['conditions']).length === 0;

/** Every control with a remediation in notes/moto.md §3 (the 12 Auto ones and 13 that need approval). */
export const CONTROL_REMEDIATIONS: readonly ControlRemediation[] = [
  {
    control_id: 'cis-iam-password-min-length',
    kind: 'iam-account',
    automation: 'auto',
    risk: 'low',
    summary: 'iam:UpdateAccountPasswordPolicy with MinimumPasswordLength 14, merged over the existing policy',
    rollback:
      'iam:UpdateAccountPasswordPolicy with the captured policy, or iam:DeleteAccountPasswordPolicy if there was none',
    plan: passwordStep('MinimumPasswordLength', 'minimum_password_length', 14),
  },
  {
    control_id: 'cis-iam-password-reuse-prevention',
    kind: 'iam-account',
    automation: 'auto',
    risk: 'low',
    summary:
      'iam:UpdateAccountPasswordPolicy with PasswordReusePrevention 24, merged over the existing policy',
    rollback:
      'iam:UpdateAccountPasswordPolicy with the captured policy, or iam:DeleteAccountPasswordPolicy if there was none',
    plan: passwordStep('PasswordReusePrevention', 'password_reuse_prevention', 24),
  },
  {
    control_id: 'cis-storage-secure-transport',
    kind: 'bucket',
    automation: 'auto',
    risk: 'low',
    summary:
      's3:PutBucketPolicy adding a Deny statement for aws:SecureTransport=false, merged into the existing policy',
    rollback: 's3:PutBucketPolicy with the captured document, or s3:DeleteBucketPolicy if there was none',
    plan(config, at) {
      const stmts = list(obj(config['policy'])['statements']);
      const ok = stmts.some(
        (s) =>
          s['effect'] === 'Deny' &&
          list(s['principals']).some((p) => p['id'] === '*') &&
          list(s['conditions']).some(
            (c) => c['key'] === 'aws:SecureTransport' && list(c['values']).includes('false' as never),
          ),
      );
      if (ok) return [];
      return [
        {
          op: addSecureTransportStatement,
          description: `Add a Deny-insecure-transport statement to the policy of bucket ${at.native_id}`,
          params: {},
          project: (c) => {
            const doc = (c['policy'] as Cfg | null) ?? { version: '2012-10-17', statements: [] };
            c['policy'] = {
              ...doc,
              version: doc['version'] ?? '2012-10-17',
              statements: [
                ...list(doc['statements']),
                {
                  sid: 'SegDenyInsecureTransport',
                  effect: 'Deny',
                  principals: [{ type: 'AWS', id: '*' }],
                  not_principals: [],
                  actions: ['s3:*'],
                  not_actions: [],
                  resources: [`arn:aws:s3:::${at.native_id}`, `arn:aws:s3:::${at.native_id}/*`],
                  not_resources: [],
                  conditions: [{ operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] }],
                },
              ],
            };
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-storage-public-access-block',
    kind: 'bucket',
    automation: 'auto',
    risk: 'low',
    summary:
      's3:PutPublicAccessBlock with all four flags on; s3:DeleteBucketPolicy as well when the policy allows Principal "*" (that step needs approval)',
    rollback:
      's3:PutPublicAccessBlock with the captured flags or s3:DeletePublicAccessBlock; s3:PutBucketPolicy with the captured document',
    plan(config, at) {
      const steps: PlannedStep[] = [];
      const pab = config['public_access_block'] as Cfg | null;
      if (!pab || Object.values(pab).some((v) => v !== true)) {
        steps.push({
          op: putBucketPab,
          description: `Turn on all four Block Public Access flags of bucket ${at.native_id}`,
          params: {},
          project: (c) => {
            c['public_access_block'] = {
              block_public_acls: true,
              ignore_public_acls: true,
              block_public_policy: true,
              restrict_public_buckets: true,
            };
          },
        });
      }
      if (list(obj(config['policy'])['statements']).some(publicAllow)) {
        steps.push({
          op: deletePublicBucketPolicy,
          description: `Delete the policy of bucket ${at.native_id}: it allows Principal "*" without conditions`,
          params: {},
          needs_approval: true,
          project: (c) => {
            c['policy'] = null;
          },
        });
      }
      return steps;
    },
  },
  {
    control_id: 'cis-storage-account-public-access-block',
    kind: 's3-account',
    automation: 'auto',
    risk: 'low',
    summary: 's3control:PutPublicAccessBlock for the account with all four flags on',
    rollback:
      's3control:PutPublicAccessBlock with the captured flags, or s3control:DeletePublicAccessBlock if there was none',
    plan(config, at) {
      const pab = config['public_access_block'] as Cfg | null;
      if (pab && Object.values(pab).every((v) => v === true)) return [];
      return [
        {
          op: putAccountPab,
          description: `Turn on account-level Block Public Access in ${at.account_id}`,
          params: {},
          project: (c) => {
            c['public_access_block'] = {
              block_public_acls: true,
              ignore_public_acls: true,
              block_public_policy: true,
              restrict_public_buckets: true,
            };
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-storage-default-encryption-kms',
    kind: 'bucket',
    automation: 'auto',
    risk: 'low',
    summary: 's3:PutBucketEncryption with SSE-KMS (the configured key, or aws/s3) and bucket keys on',
    rollback:
      's3:PutBucketEncryption with the captured configuration, or s3:DeleteBucketEncryption if there was none',
    plan(config, at, d) {
      const rules = list(obj(config['encryption'])['rules']);
      if (rules.some((r) => r['sse_algorithm'] === 'aws:kms')) return [];
      const key = d.bucket_kms_key_id;
      return [
        {
          op: putBucketEncryptionKms,
          description: `Encrypt new objects of bucket ${at.native_id} with SSE-KMS by default`,
          params: key ? { kms_key_id: key } : {},
          project: (c) => {
            c['encryption'] = {
              rules: [{ sse_algorithm: 'aws:kms', kms_master_key_id: key ?? null, bucket_key_enabled: true }],
            };
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-storage-access-logging',
    kind: 'bucket',
    automation: 'auto',
    risk: 'low',
    summary: 's3:PutBucketLogging to the configured access-log bucket, prefix <bucket>/',
    rollback: 's3:PutBucketLogging with the captured setting (an empty status turns logging off)',
    plan(config, at, d) {
      if (config['logging']) return [];
      const target = needDefault(d, 'access_log_bucket', 'cis-storage-access-logging');
      return [
        {
          op: putBucketLogging,
          description: `Deliver server access logs of bucket ${at.native_id} to ${target}`,
          params: { target_bucket: target, target_prefix: `${at.native_id}/` },
          project: (c) => {
            c['logging'] = { target_bucket: target, target_prefix: `${at.native_id}/` };
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-ec2-ebs-default-encryption',
    kind: 'ebs-encryption-default',
    automation: 'auto',
    risk: 'low',
    summary: 'ec2:EnableEbsEncryptionByDefault in the region',
    rollback: 'ec2:DisableEbsEncryptionByDefault when it was off',
    plan(config, at) {
      if (config['encryption_by_default'] === true) return [];
      return [
        {
          op: enableEbsDefaultEncryption,
          description: `Encrypt new EBS volumes by default in ${at.region}`,
          params: {},
          project: (c) => {
            c['encryption_by_default'] = true;
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-rds-auto-minor-upgrade',
    kind: 'rds-instance',
    automation: 'auto',
    risk: 'low',
    summary: 'rds:ModifyDBInstance AutoMinorVersionUpgrade=true, ApplyImmediately',
    rollback: 'rds:ModifyDBInstance with the captured AutoMinorVersionUpgrade',
    plan(config, at) {
      if (config['auto_minor_version_upgrade'] === true) return [];
      return [
        {
          op: modifyDbInstance,
          description: `Turn on automatic minor version upgrades of DB instance ${at.native_id}`,
          params: { attribute: 'AutoMinorVersionUpgrade', value: true },
          project: (c) => {
            c['auto_minor_version_upgrade'] = true;
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-logging-cloudtrail-log-validation',
    kind: 'cloudtrail-trail',
    automation: 'auto',
    risk: 'low',
    summary: 'cloudtrail:UpdateTrail EnableLogFileValidation=true',
    rollback: 'cloudtrail:UpdateTrail with the captured EnableLogFileValidation',
    plan(config, at) {
      if (config['log_file_validation_enabled'] === true) return [];
      return [
        {
          op: updateTrail,
          description: `Turn on log file validation of trail ${at.native_id}`,
          params: { trail_name: at.native_id, set: { EnableLogFileValidation: true } },
          project: (c) => {
            c['log_file_validation_enabled'] = true;
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-logging-kms-rotation',
    kind: 'kms-key',
    automation: 'auto',
    risk: 'low',
    summary: 'kms:EnableKeyRotation',
    rollback: 'kms:DisableKeyRotation when rotation was off',
    plan(config, at) {
      if (config['rotation_enabled'] !== false || config['key_manager'] !== 'CUSTOMER') return [];
      return [
        {
          op: enableKeyRotation,
          description: `Turn on automatic rotation of KMS key ${at.native_id}`,
          params: {},
          project: (c) => {
            c['rotation_enabled'] = true;
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-logging-vpc-flow-logs',
    kind: 'vpc',
    automation: 'auto',
    risk: 'low',
    summary: 'ec2:CreateFlowLogs (ALL traffic) to the configured S3 flow-log bucket',
    rollback: 'ec2:DeleteFlowLogs of the flow logs the apply created',
    plan(config, at, d) {
      if (
        list(config['flow_logs']).some((f) => f['traffic_type'] === 'ALL' || f['traffic_type'] === 'REJECT')
      )
        return [];
      const bucket = needDefault(d, 'flow_log_bucket', 'cis-logging-vpc-flow-logs');
      return [
        {
          op: createVpcFlowLog,
          description: `Create a flow log (ALL traffic) of VPC ${at.native_id} to s3://${bucket}`,
          params: { log_destination: `arn:aws:s3:::${bucket}` },
          project: (c) => {
            c['flow_logs'] = [
              ...list(c['flow_logs']),
              {
                flow_log_id: '(assigned on apply)',
                traffic_type: 'ALL',
                status: 'ACTIVE',
                destination_type: 's3',
              },
            ];
          },
        },
      ];
    },
  },
  // ---- Approval: reversible, but able to break workloads.
  {
    control_id: 'cis-storage-versioning',
    kind: 'bucket',
    automation: 'approval',
    risk: 'medium',
    summary: 's3:PutBucketVersioning Status=Enabled',
    rollback:
      's3:PutBucketVersioning Status=Suspended: not an exact inverse, a bucket never returns to unversioned',
    plan(config, at) {
      if (obj(config['versioning'])['status'] === 'Enabled') return [];
      return [
        {
          op: enableBucketVersioning,
          description: `Enable versioning of bucket ${at.native_id} (rollback can only suspend it)`,
          params: {},
          project: (c) => {
            c['versioning'] = { ...obj(c['versioning']), status: 'Enabled' };
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-storage-no-public-acl',
    kind: 'bucket',
    automation: 'approval',
    risk: 'high',
    summary: 's3:PutBucketAcl private and s3:PutBucketOwnershipControls BucketOwnerEnforced',
    rollback:
      's3:PutBucketOwnershipControls / DeleteBucketOwnershipControls to the captured ownership, then s3:PutBucketAcl with the captured grants',
    plan(config, at) {
      const grants = list(obj(config['acl'])['grants']);
      const pub = grants.some((g) =>
        /\/global\/(AllUsers|AuthenticatedUsers)$/.test(String(g['grantee_uri'] ?? '')),
      );
      if (!pub && obj(config['ownership_controls'])['object_ownership'] === 'BucketOwnerEnforced') return [];
      return [
        {
          op: makeBucketAclPrivate,
          description: `Make the ACL of bucket ${at.native_id} private and disable ACLs (BucketOwnerEnforced)`,
          params: {},
          project: (c) => {
            const acl = obj(c['acl']);
            c['acl'] = {
              ...acl,
              grants: list(acl['grants']).filter(
                (g) => g['grantee_type'] === 'CanonicalUser' && g['grantee_id'] === acl['owner_id'],
              ),
            };
            c['ownership_controls'] = { object_ownership: 'BucketOwnerEnforced' };
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-rds-not-public',
    kind: 'rds-instance',
    automation: 'approval',
    risk: 'high',
    summary: 'rds:ModifyDBInstance PubliclyAccessible=false, ApplyImmediately',
    rollback: 'rds:ModifyDBInstance PubliclyAccessible=<captured>',
    plan(config, at) {
      if (config['publicly_accessible'] !== true) return [];
      return [
        {
          op: modifyDbInstance,
          description: `Make DB instance ${at.native_id} private`,
          params: { attribute: 'PubliclyAccessible', value: false },
          project: (c) => {
            c['publicly_accessible'] = false;
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-ec2-imdsv2-required',
    kind: 'ec2-instance',
    automation: 'approval',
    risk: 'medium',
    summary: 'ec2:ModifyInstanceMetadataOptions HttpTokens=required',
    rollback: 'ec2:ModifyInstanceMetadataOptions HttpTokens=<captured>',
    plan(config, at) {
      const m = obj(config['metadata_options']);
      if (m['http_tokens'] === 'required' || m['http_endpoint'] === 'disabled') return [];
      return [
        {
          op: requireImdsV2,
          description: `Require IMDSv2 on instance ${at.native_id} (old SDKs using IMDSv1 stop getting credentials)`,
          params: {},
          project: (c) => {
            c['metadata_options'] = { ...obj(c['metadata_options']), http_tokens: 'required' };
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-network-sg-no-admin-ingress',
    kind: 'security-group',
    automation: 'approval',
    risk: 'high',
    summary: 'ec2:RevokeSecurityGroupIngress of the 0.0.0.0/0 and ::/0 ranges that reach ports 22 or 3389',
    rollback: 'ec2:AuthorizeSecurityGroupIngress of the captured rules, descriptions included',
    plan(config, at, d) {
      const ports = d.admin_ports ?? [22, 3389];
      const hits = (r: Cfg) => {
        const proto = String(r['protocol']);
        const open =
          list(r['ipv4_ranges']).includes('0.0.0.0/0' as never) ||
          list(r['ipv6_ranges']).includes('::/0' as never);
        if (!open) return false;
        if (proto === '-1') return true;
        if (proto !== 'tcp' && proto !== '6') return false;
        const from = (r['from_port'] as number | null) ?? 0;
        const to = (r['to_port'] as number | null) ?? 65535;
        return ports.some((p) => p >= from && p <= to);
      };
      if (!list(config['ingress']).some(hits)) return [];
      return [
        {
          op: revokeAdminIngress,
          description: `Revoke internet ingress to ports ${ports.join(', ')} on security group ${at.native_id}`,
          params: { admin_ports: ports },
          project: (c) => {
            c['ingress'] = list(c['ingress'])
              .map((r) =>
                hits(r)
                  ? {
                      ...r,
                      ipv4_ranges: list(r['ipv4_ranges']).filter((x) => (x as unknown) !== '0.0.0.0/0'),
                      ipv6_ranges: list(r['ipv6_ranges']).filter((x) => (x as unknown) !== '::/0'),
                    }
                  : r,
              )
              .filter(
                (r) =>
                  list(r['ipv4_ranges']).length +
                    list(r['ipv6_ranges']).length +
                    list(r['referenced_group_ids']).length +
                    list(r['prefix_list_ids']).length >
                  0,
              );
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-network-default-sg-restricts-all',
    kind: 'security-group',
    automation: 'approval',
    risk: 'high',
    summary:
      'ec2:RevokeSecurityGroupIngress and RevokeSecurityGroupEgress of every rule of the default security group',
    rollback: 'ec2:AuthorizeSecurityGroupIngress/Egress of the captured rules',
    plan(config, at) {
      if (config['group_name'] !== 'default') return [];
      if (list(config['ingress']).length === 0 && list(config['egress']).length === 0) return [];
      return [
        {
          op: revokeAllRules,
          description: `Remove every rule of default security group ${at.native_id}`,
          params: {},
          project: (c) => {
            c['ingress'] = [];
            c['egress'] = [];
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-iam-user-single-active-key',
    kind: 'iam-user',
    automation: 'approval',
    risk: 'medium',
    summary: 'iam:UpdateAccessKey Status=Inactive for every active key but the newest',
    rollback: 'iam:UpdateAccessKey Status=Active for the keys that were active',
    plan(config, at) {
      const active = list(config['access_keys'])
        .filter((k) => k['status'] === 'Active')
        .sort(
          (a, b) =>
            String(b['create_date']).localeCompare(String(a['create_date'])) ||
            String(b['access_key_id']).localeCompare(String(a['access_key_id'])),
        );
      if (active.length <= 1) return [];
      const older = active.slice(1).map((k) => String(k['access_key_id']));
      return [
        {
          op: deactivateAccessKeys,
          description: `Deactivate the older active access keys of user ${at.native_id}: ${older.join(', ')}`,
          params: { user_name: at.native_id, access_key_ids: older },
          project: (c) => {
            c['access_keys'] = list(c['access_keys']).map((k) =>
              older.includes(String(k['access_key_id'])) ? { ...k, status: 'Inactive' } : k,
            );
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-iam-access-key-rotation',
    kind: 'iam-access-key',
    automation: 'approval',
    risk: 'medium',
    summary:
      "iam:UpdateAccessKey Status=Inactive for the stale key (issuing a replacement is the owner's job)",
    rollback: 'iam:UpdateAccessKey Status=Active',
    plan(config, at) {
      if (config['status'] !== 'Active') return [];
      return [
        {
          op: deactivateAccessKeys,
          description: `Deactivate access key ${at.native_id} of user ${String(config['user_name'])}`,
          params: { user_name: config['user_name'], access_key_ids: [at.native_id] },
          project: (c) => {
            c['status'] = 'Inactive';
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-iam-user-no-direct-policies',
    kind: 'iam-user',
    automation: 'approval',
    risk: 'high',
    summary:
      'iam:DetachUserPolicy of every managed policy attached directly to the user (inline policies are left for a person)',
    rollback: 'iam:AttachUserPolicy of the captured policies',
    plan(config, at) {
      if (list(config['attached_policy_arns']).length === 0) return [];
      return [
        {
          op: detachUserPolicies,
          description: `Detach the managed policies attached directly to user ${at.native_id} (grant them through a group instead)`,
          params: {},
          project: (c) => {
            c['attached_policy_arns'] = [];
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-iam-no-full-admin-policy',
    kind: 'iam-policy',
    automation: 'approval',
    risk: 'high',
    summary: 'iam:Detach{User,Group,Role}Policy of the "*:*" policy from every entity',
    rollback: 'iam:Attach{User,Group,Role}Policy to the captured entities',
    plan(config, at) {
      if ((config['attachment_count'] as number) === 0) return [];
      return [
        {
          op: detachPolicyEverywhere,
          description: `Detach full-admin policy ${at.native_id} from every user, group and role`,
          params: {},
          project: (c) => {
            c['attachment_count'] = 0;
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-logging-cloudtrail-kms',
    kind: 'cloudtrail-trail',
    automation: 'approval',
    risk: 'medium',
    summary: 'cloudtrail:UpdateTrail KmsKeyId=<configured CMK> (its key policy must allow CloudTrail)',
    rollback: 'cloudtrail:UpdateTrail KmsKeyId=<captured>, an empty id removing encryption',
    plan(config, at, d) {
      if (config['kms_key_id']) return [];
      const key = needDefault(d, 'trail_kms_key_id', 'cis-logging-cloudtrail-kms');
      return [
        {
          op: updateTrail,
          description: `Encrypt the logs of trail ${at.native_id} with ${key}`,
          params: { trail_name: at.native_id, set: { KmsKeyId: key } },
          project: (c) => {
            c['kms_key_id'] = key;
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-logging-cloudtrail-multi-region',
    kind: 'cloudtrail-account',
    automation: 'approval',
    risk: 'medium',
    summary:
      "cloudtrail:UpdateTrail IsMultiRegionTrail=true and cloudtrail:StartLogging on the account's first trail",
    rollback:
      'cloudtrail:UpdateTrail IsMultiRegionTrail=<captured>, cloudtrail:StopLogging if it was not logging',
    plan(config) {
      const trails = list(config['trails']);
      if (trails.some((t) => t['is_multi_region_trail'] === true && t['is_logging'] === true)) return [];
      const t = [...trails].sort(
        (a, b) =>
          Number(b['is_logging']) - Number(a['is_logging']) ||
          String(a['arn']).localeCompare(String(b['arn'])),
      )[0];
      if (!t) {
        throw new SegError({
          error_code: 'SEG_NOT_FOUND',
          message: 'the account has no trail to extend: create a multi-region trail by hand',
          details: { control_id: 'cis-logging-cloudtrail-multi-region' },
        });
      }
      const base = { trail_name: String(t['name']), trail_region: String(t['home_region']) };
      const idx = trails.indexOf(t);
      const steps: PlannedStep[] = [];
      if (t['is_multi_region_trail'] !== true) {
        steps.push({
          op: updateTrail,
          description: `Make trail ${String(t['name'])} multi-region`,
          params: { ...base, set: { IsMultiRegionTrail: true } },
          project: (c) => {
            (list(c['trails'])[idx] as Cfg)['is_multi_region_trail'] = true;
          },
        });
      }
      if (t['is_logging'] !== true) {
        steps.push({
          op: startTrailLogging,
          description: `Start logging on trail ${String(t['name'])}`,
          params: base,
          project: (c) => {
            (list(c['trails'])[idx] as Cfg)['is_logging'] = true;
          },
        });
      }
      return steps;
    },
  },
  {
    control_id: 'cis-iam-support-role',
    kind: 'iam-account',
    automation: 'approval',
    risk: 'medium',
    summary:
      'iam:CreateRole seg-aws-support (trusted by the account root, or `defaults.support_role_trusted_principal`) and iam:AttachRolePolicy AWSSupportAccess',
    rollback: 'iam:DetachRolePolicy and iam:DeleteRole of what the apply created',
    plan(config, at, d) {
      const att = obj(config['support_policy_attachments']);
      if (list(att['roles']).length + list(att['users']).length + list(att['groups']).length > 0) return [];
      const principal = d.support_role_trusted_principal ?? `arn:aws:iam::${at.account_id}:root`;
      return [
        {
          op: createSupportRole,
          description: `Create role seg-aws-support trusted by ${principal} with AWSSupportAccess attached`,
          params: { role_name: 'seg-aws-support', trusted_principal: principal },
          project: (c) => {
            c['support_policy_attachments'] = { ...att, roles: [...list(att['roles']), 'seg-aws-support'] };
          },
        },
      ];
    },
  },
];

/** The remediation of a control, or undefined when it has none. */
export function remediationFor(controlId: string): ControlRemediation | undefined {
  return CONTROL_REMEDIATIONS.find((r) => r.control_id === controlId);
}

/** Every step op, by action (apply and rollback look them up from the plan's steps). */
export const STEP_OPS: ReadonlyMap<string, StepOp> = new Map(
  [
    updatePasswordPolicy,
    addSecureTransportStatement,
    putBucketPab,
    deletePublicBucketPolicy,
    putAccountPab,
    putBucketEncryptionKms,
    putBucketLogging,
    enableEbsDefaultEncryption,
    modifyDbInstance,
    updateTrail,
    enableKeyRotation,
    createVpcFlowLog,
    enableBucketVersioning,
    makeBucketAclPrivate,
    requireImdsV2,
    revokeAdminIngress,
    revokeAllRules,
    deactivateAccessKeys,
    detachUserPolicies,
    detachPolicyEverywhere,
    startTrailLogging,
    createSupportRole,
  ].map((op) => [op.action, op]),
);
