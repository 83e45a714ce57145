// Writes bundles/cis-aws-foundations/tests/<control_id>.json from the fixtures in vector-fixtures.ts.
// Usage: node tools/bundle-content/write-vectors.ts [--check]
// --check exits non-zero when a committed vector file differs from what this script would write.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import * as f from './vector-fixtures.ts';
import type { VectorInput } from './vector-fixtures.ts';

interface Vector {
  name: string;
  input: VectorInput | Record<string, unknown>;
  expected: { result: string; message_contains?: string };
}

const { inputFor, patch } = f;

function v(name: string, input: Vector['input'], result: string, message_contains?: string): Vector {
  return {
    name,
    input,
    expected: message_contains === undefined ? { result } : { result, message_contains },
  };
}

/** A vector whose asset is of another kind than the control targets. */
function otherKind(kind: string, config: unknown): Vector {
  return v(
    `not applicable to a ${kind}`,
    inputFor(kind, 'other', config),
    'not_applicable',
    'control applies to',
  );
}

const publicAllow = {
  sid: 'PublicRead',
  effect: 'Allow',
  principals: [{ type: '*', id: '*' }],
  not_principals: [],
  actions: ['s3:GetObject'],
  not_actions: [],
  resources: ['arn:aws:s3:::seg-data/*'],
  not_resources: [],
  conditions: [],
};
const adminStatement = { ...publicAllow, sid: 'Admin', principals: [], actions: ['*'], resources: ['*'] };

const vectors: Record<string, Vector[]> = {
  'cis-iam-password-min-length': [
    v(
      'pass: minimum length 14',
      inputFor('iam-account', 'acct', f.iamAccount),
      'pass',
      'meets the required 14',
    ),
    v(
      'fail: minimum length 8',
      inputFor(
        'iam-account',
        'acct',
        patch(f.iamAccount, (c) => (c.password_policy.minimum_password_length = 8)),
      ),
      'fail',
      'below the required 14',
    ),
    v(
      'fail: no password policy',
      inputFor(
        'iam-account',
        'acct',
        patch(f.iamAccount, (c) => (c.password_policy = null)),
      ),
      'fail',
      'no IAM password policy',
    ),
    v(
      'pass: params raise nothing above 12',
      inputFor(
        'iam-account',
        'acct',
        patch(f.iamAccount, (c) => (c.password_policy.minimum_password_length = 12)),
        { min_length: 12 },
      ),
      'pass',
    ),
    v(
      'error: password_policy missing',
      inputFor(
        'iam-account',
        'acct',
        patch(f.iamAccount, (c) => delete c.password_policy),
      ),
      'error',
      'config.password_policy is missing',
    ),
    v(
      'error: length is a string',
      inputFor(
        'iam-account',
        'acct',
        patch(f.iamAccount, (c) => (c.password_policy.minimum_password_length = '14')),
      ),
      'error',
      'must be a number',
    ),
    otherKind('bucket', f.bucket),
  ],
  'cis-iam-password-reuse-prevention': [
    v('pass: remembers 24', inputFor('iam-account', 'acct', f.iamAccount), 'pass', '24'),
    v(
      'fail: remembers 5',
      inputFor(
        'iam-account',
        'acct',
        patch(f.iamAccount, (c) => (c.password_policy.password_reuse_prevention = 5)),
      ),
      'fail',
      'below the required 24',
    ),
    v(
      'fail: reuse prevention unset',
      inputFor(
        'iam-account',
        'acct',
        patch(f.iamAccount, (c) => (c.password_policy.password_reuse_prevention = null)),
      ),
      'fail',
      'does not prevent password reuse',
    ),
    v(
      'fail: no password policy',
      inputFor(
        'iam-account',
        'acct',
        patch(f.iamAccount, (c) => (c.password_policy = null)),
      ),
      'fail',
      'no IAM password policy',
    ),
    v(
      'error: password_policy missing',
      inputFor(
        'iam-account',
        'acct',
        patch(f.iamAccount, (c) => delete c.password_policy),
      ),
      'error',
      'config.password_policy is missing',
    ),
    otherKind('iam-user', f.iamUser),
  ],
  'cis-iam-user-single-active-key': [
    v('pass: one active key', inputFor('iam-user', 'alice', f.iamUser), 'pass'),
    v(
      'pass: one active and one inactive key',
      inputFor(
        'iam-user',
        'alice',
        patch(f.iamUser, (c) =>
          c.access_keys.push({
            access_key_id: 'AKIAEXAMPLE000000002',
            status: 'Inactive',
            create_date: '2026-11-01T00:00:00Z',
          }),
        ),
      ),
      'pass',
    ),
    v(
      'fail: two active keys',
      inputFor(
        'iam-user',
        'alice',
        patch(f.iamUser, (c) =>
          c.access_keys.push({
            access_key_id: 'AKIAEXAMPLE000000002',
            status: 'Active',
            create_date: '2026-11-01T00:00:00Z',
          }),
        ),
      ),
      'fail',
      'has 2 active access keys',
    ),
    v(
      'error: access_keys missing',
      inputFor(
        'iam-user',
        'alice',
        patch(f.iamUser, (c) => delete c.access_keys),
      ),
      'error',
      'config.access_keys must be an array',
    ),
    otherKind('iam-access-key', f.iamAccessKey),
  ],
  'cis-iam-access-key-rotation': [
    v(
      'pass: key is 56 days old',
      inputFor('iam-access-key', 'AKIAEXAMPLE000000001', f.iamAccessKey),
      'pass',
      '56 days',
    ),
    v(
      'fail: key is 100 days old (moto cannot backdate: now is moved instead)',
      { ...inputFor('iam-access-key', 'AKIAEXAMPLE000000001', f.iamAccessKey), now: '2027-01-09T00:00:00Z' },
      'fail',
      '100 days',
    ),
    v(
      'fail: key older than a 30 day limit',
      inputFor('iam-access-key', 'AKIAEXAMPLE000000001', f.iamAccessKey, { max_age_days: 30 }),
      'fail',
      'older than 30 days',
    ),
    v(
      'pass: offset timestamps are compared in UTC',
      inputFor(
        'iam-access-key',
        'AKIAEXAMPLE000000001',
        patch(f.iamAccessKey, (c) => (c.create_date = '2026-08-28T01:30:00.123+02:00')),
      ),
      'pass',
      '90 days',
    ),
    v(
      'pass: a negative offset moves creation later in UTC (89, not 90, days)',
      inputFor(
        'iam-access-key',
        'AKIAEXAMPLE000000001',
        patch(f.iamAccessKey, (c) => (c.create_date = '2026-08-27T20:00:00-05:00')),
      ),
      'pass',
      '89 days',
    ),
    v(
      'pass: leap day 2024-02-29 is counted (90 days to 2024-05-29)',
      {
        ...inputFor(
          'iam-access-key',
          'AKIAEXAMPLE000000001',
          patch(f.iamAccessKey, (c) => (c.create_date = '2024-02-29T00:00:00Z')),
        ),
        now: '2024-05-29T00:00:00Z',
      },
      'pass',
      '90 days',
    ),
    v(
      'fail: 2000 is a leap year (1999-12-01 to 2000-03-01 is 91 days)',
      {
        ...inputFor(
          'iam-access-key',
          'AKIAEXAMPLE000000001',
          patch(f.iamAccessKey, (c) => (c.create_date = '1999-12-01T00:00:00Z')),
        ),
        now: '2000-03-01T00:00:00Z',
      },
      'fail',
      '91 days',
    ),
    v(
      'not applicable: inactive key',
      inputFor(
        'iam-access-key',
        'AKIAEXAMPLE000000001',
        patch(f.iamAccessKey, (c) => (c.status = 'Inactive')),
      ),
      'not_applicable',
      'inactive',
    ),
    v(
      'error: create_date is not RFC 3339',
      inputFor(
        'iam-access-key',
        'AKIAEXAMPLE000000001',
        patch(f.iamAccessKey, (c) => (c.create_date = '01/10/2026')),
      ),
      'error',
      'config.create_date must be an RFC 3339 timestamp',
    ),
    ...[
      '2026-10-01 00:00:00Z',
      '2026-10-01T00:00:00',
      '2026-10-01T00:00:00.Z',
      '2026-1a-01T00:00:00Z',
      '2026-10-01T00:00:00+0200',
    ].map((bad) =>
      v(
        `error: create_date ${bad} is not RFC 3339`,
        inputFor(
          'iam-access-key',
          'AKIAEXAMPLE000000001',
          patch(f.iamAccessKey, (c) => (c.create_date = bad)),
        ),
        'error',
        'config.create_date must be an RFC 3339 timestamp',
      ),
    ),
    v(
      'error: max_age_days param is a string',
      inputFor('iam-access-key', 'AKIAEXAMPLE000000001', f.iamAccessKey, { max_age_days: '90' }),
      'error',
      'params.max_age_days must be a number',
    ),
    v(
      'error: now missing',
      { ...inputFor('iam-access-key', 'AKIAEXAMPLE000000001', f.iamAccessKey), now: null },
      'error',
      'now must be an RFC 3339 timestamp',
    ),
    otherKind('iam-user', f.iamUser),
  ],
  'cis-iam-user-no-direct-policies': [
    v('pass: permissions via groups only', inputFor('iam-user', 'alice', f.iamUser), 'pass'),
    v(
      'fail: attached managed policy',
      inputFor(
        'iam-user',
        'alice',
        patch(f.iamUser, (c) => c.attached_policy_arns.push('arn:aws:iam::aws:policy/ReadOnlyAccess')),
      ),
      'fail',
      '1 attached',
    ),
    v(
      'fail: inline policy',
      inputFor(
        'iam-user',
        'alice',
        patch(f.iamUser, (c) => c.inline_policy_names.push('s3-access')),
      ),
      'fail',
      '1 inline',
    ),
    v(
      'error: inline_policy_names missing',
      inputFor(
        'iam-user',
        'alice',
        patch(f.iamUser, (c) => delete c.inline_policy_names),
      ),
      'error',
      'config.inline_policy_names must be an array',
    ),
    otherKind('iam-policy', f.iamPolicy),
  ],
  'cis-iam-no-full-admin-policy': [
    v('pass: scoped policy', inputFor('iam-policy', 'seg-read', f.iamPolicy), 'pass'),
    v(
      'fail: Allow * on *',
      inputFor(
        'iam-policy',
        'seg-admin',
        patch(f.iamPolicy, (c) => c.document.statements.push(adminStatement)),
      ),
      'fail',
      'full "*:*" administrative',
    ),
    v(
      'pass: Deny * on * is not a grant',
      inputFor(
        'iam-policy',
        'seg-deny',
        patch(f.iamPolicy, (c) => c.document.statements.push({ ...adminStatement, effect: 'Deny' })),
      ),
      'pass',
    ),
    v(
      'not applicable: unattached policy',
      inputFor(
        'iam-policy',
        'seg-admin',
        patch(f.iamPolicy, (c) => {
          c.attachment_count = 0;
          c.document.statements.push(adminStatement);
        }),
      ),
      'not_applicable',
      'not attached',
    ),
    v(
      'not applicable: AWS managed policy',
      inputFor(
        'iam-policy',
        'AdministratorAccess',
        patch(f.iamPolicy, (c) => (c.is_aws_managed = true)),
      ),
      'not_applicable',
      'AWS managed',
    ),
    v(
      'error: document missing',
      inputFor(
        'iam-policy',
        'seg-read',
        patch(f.iamPolicy, (c) => delete c.document),
      ),
      'error',
      'config.document.statements must be an array',
    ),
    otherKind('iam-user', f.iamUser),
  ],
  'cis-iam-support-role': [
    v(
      'pass: a role holds AWSSupportAccess',
      inputFor('iam-account', 'acct', f.iamAccount),
      'pass',
      'seg-support',
    ),
    v(
      'fail: no role holds AWSSupportAccess',
      inputFor(
        'iam-account',
        'acct',
        patch(f.iamAccount, (c) => (c.support_policy_attachments.roles = [])),
      ),
      'fail',
      'no IAM role',
    ),
    v(
      'fail: only a user holds AWSSupportAccess',
      inputFor(
        'iam-account',
        'acct',
        patch(f.iamAccount, (c) => {
          c.support_policy_attachments.roles = [];
          c.support_policy_attachments.users = ['bob'];
        }),
      ),
      'fail',
      'no IAM role',
    ),
    v(
      'error: attachments missing',
      inputFor(
        'iam-account',
        'acct',
        patch(f.iamAccount, (c) => delete c.support_policy_attachments),
      ),
      'error',
      'config.support_policy_attachments.roles must be an array',
    ),
    otherKind('s3-account', f.s3Account),
  ],
  'cis-storage-secure-transport': [
    v('pass: policy denies insecure transport', inputFor('bucket', 'seg-data', f.bucket), 'pass'),
    v(
      'fail: no bucket policy',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => (c.policy = null)),
      ),
      'fail',
      'no bucket policy',
    ),
    v(
      'fail: policy without the deny',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => (c.policy.statements = [publicAllow])),
      ),
      'fail',
      'does not deny',
    ),
    v(
      'fail: deny scoped to one principal',
      inputFor(
        'bucket',
        'seg-data',
        patch(
          f.bucket,
          (c) =>
            (c.policy.statements[0].principals = [{ type: 'AWS', id: 'arn:aws:iam::123456789012:root' }]),
        ),
      ),
      'fail',
      'does not deny',
    ),
    v(
      'pass: condition key case differs',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => (c.policy.statements[0].conditions[0].key = 'AWS:SecureTransport')),
      ),
      'pass',
    ),
    v(
      'error: policy missing',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => delete c.policy),
      ),
      'error',
      'config.policy is missing',
    ),
    otherKind('vpc', f.vpc),
  ],
  'cis-storage-public-access-block': [
    v('pass: all four flags on, no public policy', inputFor('bucket', 'seg-data', f.bucket), 'pass'),
    v(
      'fail: no Block Public Access configuration',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => (c.public_access_block = null)),
      ),
      'fail',
      'no Block Public Access',
    ),
    v(
      'fail: public policy allowed',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => (c.public_access_block.block_public_policy = false)),
      ),
      'fail',
      'Bucket allows public policy',
    ),
    v(
      'fail: policy grants Principal *',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => c.policy.statements.push(publicAllow)),
      ),
      'fail',
      'grants access to Principal "*"',
    ),
    v(
      'pass: a flag not required by inputs',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => (c.public_access_block.restrict_public_buckets = false)),
        { restrict_public_buckets: false },
      ),
      'pass',
    ),
    v(
      'error: flag is not a boolean',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => (c.public_access_block.block_public_acls = 'yes')),
      ),
      'error',
      'config.public_access_block.block_public_acls must be a boolean',
    ),
    otherKind('s3-account', f.s3Account),
  ],
  'cis-storage-account-public-access-block': [
    v('pass: all four flags on', inputFor('s3-account', 'acct', f.s3Account), 'pass'),
    v(
      'fail: not configured',
      inputFor(
        's3-account',
        'acct',
        patch(f.s3Account, (c) => (c.public_access_block = null)),
      ),
      'fail',
      'no account-level Block Public Access',
    ),
    v(
      'fail: ignore_public_acls off',
      inputFor(
        's3-account',
        'acct',
        patch(f.s3Account, (c) => (c.public_access_block.ignore_public_acls = false)),
      ),
      'fail',
      'ignore_public_acls',
    ),
    v(
      'error: public_access_block missing',
      inputFor('s3-account', 'acct', {}),
      'error',
      'config.public_access_block is missing',
    ),
    otherKind('bucket', f.bucket),
  ],
  'cis-storage-default-encryption-kms': [
    v('pass: SSE-KMS', inputFor('bucket', 'seg-data', f.bucket), 'pass', 'aws:kms'),
    v(
      'fail: SSE-S3 only',
      inputFor(
        'bucket',
        'seg-data',
        patch(
          f.bucket,
          (c) =>
            (c.encryption.rules = [
              { sse_algorithm: 'AES256', kms_master_key_id: null, bucket_key_enabled: false },
            ]),
        ),
      ),
      'fail',
      'AES256',
    ),
    v(
      'fail: no default encryption configuration',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => (c.encryption = null)),
      ),
      'fail',
      'no default encryption',
    ),
    v(
      'error: encryption missing',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => delete c.encryption),
      ),
      'error',
      'config.encryption is missing',
    ),
    otherKind('rds-instance', f.rdsInstance),
  ],
  'cis-storage-versioning': [
    v('pass: versioning enabled', inputFor('bucket', 'seg-data', f.bucket), 'pass'),
    v(
      'fail: never versioned',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => (c.versioning.status = null)),
      ),
      'fail',
      'not enabled',
    ),
    v(
      'fail: versioning suspended',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => (c.versioning.status = 'Suspended')),
      ),
      'fail',
      'Suspended',
    ),
    v(
      'error: versioning missing',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => delete c.versioning),
      ),
      'error',
      'config.versioning.status is missing',
    ),
    otherKind('kms-key', f.kmsKey),
  ],
  'cis-storage-access-logging': [
    v('pass: logs to seg-logs', inputFor('bucket', 'seg-data', f.bucket), 'pass', 'seg-logs'),
    v(
      'fail: logging off',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => (c.logging = null)),
      ),
      'fail',
      'server access logging is off',
    ),
    v(
      'error: logging missing',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => delete c.logging),
      ),
      'error',
      'config.logging is missing',
    ),
    otherKind('cloudtrail-trail', f.cloudtrailTrail),
  ],
  'cis-storage-no-public-acl': [
    v('pass: owner-only ACL, ACLs disabled', inputFor('bucket', 'seg-data', f.bucket), 'pass'),
    v(
      'fail: AllUsers READ grant',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) =>
          c.acl.grants.push({
            grantee_type: 'Group',
            grantee_id: null,
            grantee_uri: 'http://acs.amazonaws.com/groups/global/AllUsers',
            permission: 'READ',
          }),
        ),
      ),
      'fail',
      'AllUsers',
    ),
    v(
      'fail: AuthenticatedUsers WRITE grant',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) =>
          c.acl.grants.push({
            grantee_type: 'Group',
            grantee_id: null,
            grantee_uri: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
            permission: 'WRITE',
          }),
        ),
      ),
      'fail',
      'AuthenticatedUsers',
    ),
    v(
      'fail: ACLs still enabled',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => (c.ownership_controls = { object_ownership: 'ObjectWriter' })),
      ),
      'fail',
      'ObjectWriter',
    ),
    v(
      'pass: ACLs enabled but allowed by inputs',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => (c.ownership_controls = null)),
        { require_bucket_owner_enforced: false },
      ),
      'pass',
    ),
    v(
      'error: acl missing',
      inputFor(
        'bucket',
        'seg-data',
        patch(f.bucket, (c) => delete c.acl),
      ),
      'error',
      'config.acl.grants must be an array',
    ),
    otherKind('security-group', f.securityGroup),
  ],
  'cis-ec2-ebs-default-encryption': [
    v(
      'pass: encryption by default on',
      inputFor('ebs-encryption-default', 'us-east-1', f.ebsEncryptionDefault),
      'pass',
      'us-east-1',
    ),
    v(
      'fail: encryption by default off',
      inputFor(
        'ebs-encryption-default',
        'us-east-1',
        patch(f.ebsEncryptionDefault, (c) => (c.encryption_by_default = false)),
      ),
      'fail',
      'off in us-east-1',
    ),
    v(
      'error: flag missing',
      inputFor(
        'ebs-encryption-default',
        'us-east-1',
        patch(f.ebsEncryptionDefault, (c) => delete c.encryption_by_default),
      ),
      'error',
      'config.encryption_by_default must be a boolean',
    ),
    otherKind('ec2-instance', f.ec2Instance),
  ],
  'cis-rds-not-public': [
    v('pass: private instance', inputFor('rds-instance', 'seg-db', f.rdsInstance), 'pass'),
    v(
      'fail: publicly accessible',
      inputFor(
        'rds-instance',
        'seg-db',
        patch(f.rdsInstance, (c) => (c.publicly_accessible = true)),
      ),
      'fail',
      'publicly accessible',
    ),
    v(
      'error: flag missing',
      inputFor(
        'rds-instance',
        'seg-db',
        patch(f.rdsInstance, (c) => delete c.publicly_accessible),
      ),
      'error',
      'config.publicly_accessible must be a boolean',
    ),
    otherKind('bucket', f.bucket),
  ],
  'cis-rds-auto-minor-upgrade': [
    v('pass: auto minor version upgrade on', inputFor('rds-instance', 'seg-db', f.rdsInstance), 'pass'),
    v(
      'fail: auto minor version upgrade off',
      inputFor(
        'rds-instance',
        'seg-db',
        patch(f.rdsInstance, (c) => (c.auto_minor_version_upgrade = false)),
      ),
      'fail',
      'off',
    ),
    v(
      'error: flag is a string',
      inputFor(
        'rds-instance',
        'seg-db',
        patch(f.rdsInstance, (c) => (c.auto_minor_version_upgrade = 'true')),
      ),
      'error',
      'config.auto_minor_version_upgrade must be a boolean',
    ),
    otherKind('ec2-instance', f.ec2Instance),
  ],
  'cis-logging-cloudtrail-multi-region': [
    v(
      'pass: one compliant trail',
      inputFor('cloudtrail-account', 'acct', f.cloudtrailAccount),
      'pass',
      'seg-trail',
    ),
    v(
      'fail: no trails',
      inputFor(
        'cloudtrail-account',
        'acct',
        patch(f.cloudtrailAccount, (c) => (c.trails = [])),
      ),
      'fail',
      'no trail',
    ),
    v(
      'fail: single-region trail',
      inputFor(
        'cloudtrail-account',
        'acct',
        patch(f.cloudtrailAccount, (c) => (c.trails[0].is_multi_region_trail = false)),
      ),
      'fail',
      'no trail',
    ),
    v(
      'fail: trail stopped',
      inputFor(
        'cloudtrail-account',
        'acct',
        patch(f.cloudtrailAccount, (c) => (c.trails[0].is_logging = false)),
      ),
      'fail',
      'no trail',
    ),
    v(
      'fail: write-only management events',
      inputFor(
        'cloudtrail-account',
        'acct',
        patch(f.cloudtrailAccount, (c) => (c.trails[0].management_events.read_write_type = 'WriteOnly')),
      ),
      'fail',
      'no trail',
    ),
    v(
      'pass: second trail compliant',
      inputFor(
        'cloudtrail-account',
        'acct',
        patch(f.cloudtrailAccount, (c) =>
          c.trails.unshift({ ...c.trails[0], name: 'a-local', is_multi_region_trail: false }),
        ),
      ),
      'pass',
      'seg-trail',
    ),
    v(
      'error: trails missing',
      inputFor('cloudtrail-account', 'acct', { account_id: '123456789012' }),
      'error',
      'config.trails must be an array',
    ),
    otherKind('cloudtrail-trail', f.cloudtrailTrail),
  ],
  'cis-logging-cloudtrail-log-validation': [
    v('pass: validation on', inputFor('cloudtrail-trail', 'seg-trail', f.cloudtrailTrail), 'pass'),
    v(
      'fail: validation off',
      inputFor(
        'cloudtrail-trail',
        'seg-trail',
        patch(f.cloudtrailTrail, (c) => (c.log_file_validation_enabled = false)),
      ),
      'fail',
      'log file validation is off',
    ),
    v(
      'error: flag missing',
      inputFor(
        'cloudtrail-trail',
        'seg-trail',
        patch(f.cloudtrailTrail, (c) => delete c.log_file_validation_enabled),
      ),
      'error',
      'config.log_file_validation_enabled must be a boolean',
    ),
    otherKind('cloudtrail-account', f.cloudtrailAccount),
  ],
  'cis-logging-cloudtrail-kms': [
    v('pass: KMS key set', inputFor('cloudtrail-trail', 'seg-trail', f.cloudtrailTrail), 'pass'),
    v(
      'fail: no KMS key',
      inputFor(
        'cloudtrail-trail',
        'seg-trail',
        patch(f.cloudtrailTrail, (c) => (c.kms_key_id = null)),
      ),
      'fail',
      'not encrypted with a KMS key',
    ),
    v(
      'fail: empty KMS key id',
      inputFor(
        'cloudtrail-trail',
        'seg-trail',
        patch(f.cloudtrailTrail, (c) => (c.kms_key_id = '')),
      ),
      'fail',
      'not encrypted with a KMS key',
    ),
    v(
      'error: kms_key_id missing',
      inputFor(
        'cloudtrail-trail',
        'seg-trail',
        patch(f.cloudtrailTrail, (c) => delete c.kms_key_id),
      ),
      'error',
      'config.kms_key_id is missing',
    ),
    otherKind('kms-key', f.kmsKey),
  ],
  'cis-logging-kms-rotation': [
    v('pass: rotation on', inputFor('kms-key', 'key', f.kmsKey), 'pass'),
    v(
      'fail: rotation off',
      inputFor(
        'kms-key',
        'key',
        patch(f.kmsKey, (c) => (c.rotation_enabled = false)),
      ),
      'fail',
      'rotation is off',
    ),
    v(
      'not applicable: AWS managed key',
      inputFor(
        'kms-key',
        'key',
        patch(f.kmsKey, (c) => (c.key_manager = 'AWS')),
      ),
      'not_applicable',
      'AWS managed',
    ),
    v(
      'not applicable: asymmetric key',
      inputFor(
        'kms-key',
        'key',
        patch(f.kmsKey, (c) => {
          c.key_spec = 'ECC_NIST_P256';
          c.key_usage = 'SIGN_VERIFY';
          c.rotation_enabled = null;
        }),
      ),
      'not_applicable',
      'ECC_NIST_P256',
    ),
    v(
      'not applicable: key pending deletion',
      inputFor(
        'kms-key',
        'key',
        patch(f.kmsKey, (c) => (c.key_state = 'PendingDeletion')),
      ),
      'not_applicable',
      'PendingDeletion',
    ),
    v(
      'error: rotation unknown for a symmetric key',
      inputFor(
        'kms-key',
        'key',
        patch(f.kmsKey, (c) => (c.rotation_enabled = null)),
      ),
      'error',
      'config.rotation_enabled must be a boolean',
    ),
    otherKind('cloudtrail-trail', f.cloudtrailTrail),
  ],
  'cis-logging-vpc-flow-logs': [
    v(
      'pass: flow log on all traffic',
      inputFor('vpc', 'vpc-0a1b2c3d4e5f60001', f.vpc),
      'pass',
      'fl-0a1b2c3d4e5f60001',
    ),
    v(
      'pass: flow log on rejected traffic',
      inputFor(
        'vpc',
        'vpc-0a1b2c3d4e5f60001',
        patch(f.vpc, (c) => (c.flow_logs[0].traffic_type = 'REJECT')),
      ),
      'pass',
    ),
    v(
      'fail: no flow logs',
      inputFor(
        'vpc',
        'vpc-0a1b2c3d4e5f60001',
        patch(f.vpc, (c) => (c.flow_logs = [])),
      ),
      'fail',
      'no active flow log',
    ),
    v(
      'fail: accepted traffic only',
      inputFor(
        'vpc',
        'vpc-0a1b2c3d4e5f60001',
        patch(f.vpc, (c) => (c.flow_logs[0].traffic_type = 'ACCEPT')),
      ),
      'fail',
      'no active flow log',
    ),
    v(
      'fail: flow log delivery failing',
      inputFor(
        'vpc',
        'vpc-0a1b2c3d4e5f60001',
        patch(f.vpc, (c) => (c.flow_logs[0].status = 'FAILED')),
      ),
      'fail',
      'no active flow log',
    ),
    v(
      'error: flow_logs missing',
      inputFor(
        'vpc',
        'vpc-0a1b2c3d4e5f60001',
        patch(f.vpc, (c) => delete c.flow_logs),
      ),
      'error',
      'config.flow_logs must be an array',
    ),
    otherKind('security-group', f.securityGroup),
  ],
  'cis-network-sg-no-admin-ingress': [
    v('pass: SSH only from a private range', inputFor('security-group', 'web', f.securityGroup), 'pass'),
    v(
      'fail: SSH from 0.0.0.0/0',
      inputFor(
        'security-group',
        'web',
        patch(f.securityGroup, (c) => (c.ingress[1].ipv4_ranges = ['0.0.0.0/0'])),
      ),
      'fail',
      'port 22',
    ),
    v(
      'fail: RDP inside an open port range',
      inputFor(
        'security-group',
        'web',
        patch(f.securityGroup, (c) => c.ingress.push(f.sgRule('tcp', 3000, 4000, ['0.0.0.0/0']))),
      ),
      'fail',
      'port 3389',
    ),
    v(
      'fail: all traffic from 0.0.0.0/0',
      inputFor(
        'security-group',
        'web',
        patch(f.securityGroup, (c) => c.ingress.push(f.sgRule('-1', null, null, ['0.0.0.0/0']))),
      ),
      'fail',
      'port 22',
    ),
    v(
      'pass: UDP 3389 is not an admin protocol here',
      inputFor(
        'security-group',
        'web',
        patch(f.securityGroup, (c) => c.ingress.push(f.sgRule('udp', 3389, 3389, ['0.0.0.0/0']))),
      ),
      'pass',
    ),
    v(
      'pass: SSH from ::/0 ignored by default',
      inputFor(
        'security-group',
        'web',
        patch(f.securityGroup, (c) => (c.ingress[1].ipv6_ranges = ['::/0'])),
      ),
      'pass',
    ),
    v(
      'fail: SSH from ::/0 with include_ipv6',
      inputFor(
        'security-group',
        'web',
        patch(f.securityGroup, (c) => (c.ingress[1].ipv6_ranges = ['::/0'])),
        { include_ipv6: true },
      ),
      'fail',
      '::/0',
    ),
    v(
      'error: include_ipv6 param is not a boolean',
      inputFor('security-group', 'web', f.securityGroup, { include_ipv6: 'yes' }),
      'error',
      'params.include_ipv6 must be a boolean',
    ),
    v(
      'error: ingress missing',
      inputFor(
        'security-group',
        'web',
        patch(f.securityGroup, (c) => delete c.ingress),
      ),
      'error',
      'config.ingress must be an array',
    ),
    otherKind('vpc', f.vpc),
  ],
  'cis-network-default-sg-restricts-all': [
    v(
      'pass: default group with no rules',
      inputFor('security-group', 'default', f.defaultSecurityGroup),
      'pass',
    ),
    v(
      'fail: self-referencing ingress rule',
      inputFor(
        'security-group',
        'default',
        patch(f.defaultSecurityGroup, (c) =>
          c.ingress.push({ ...f.sgRule('-1', null, null, []), referenced_group_ids: [c.group_id] }),
        ),
      ),
      'fail',
      '1 ingress',
    ),
    v(
      'fail: default egress rule',
      inputFor(
        'security-group',
        'default',
        patch(f.defaultSecurityGroup, (c) => c.egress.push(f.sgRule('-1', null, null, ['0.0.0.0/0']))),
      ),
      'fail',
      '1 egress',
    ),
    v(
      'not applicable: non-default group',
      inputFor('security-group', 'web', f.securityGroup),
      'not_applicable',
      'not a default security group',
    ),
    v(
      'error: egress missing',
      inputFor(
        'security-group',
        'default',
        patch(f.defaultSecurityGroup, (c) => delete c.egress),
      ),
      'error',
      'config.egress must be an array',
    ),
    otherKind('vpc', f.vpc),
  ],
  'cis-ec2-imdsv2-required': [
    v('pass: tokens required', inputFor('ec2-instance', 'i-0a1b2c3d4e5f60001', f.ec2Instance), 'pass'),
    v(
      'pass: metadata endpoint disabled',
      inputFor(
        'ec2-instance',
        'i-0a1b2c3d4e5f60001',
        patch(f.ec2Instance, (c) => {
          c.metadata_options.http_tokens = 'optional';
          c.metadata_options.http_endpoint = 'disabled';
        }),
      ),
      'pass',
      'disabled',
    ),
    v(
      'fail: tokens optional',
      inputFor(
        'ec2-instance',
        'i-0a1b2c3d4e5f60001',
        patch(f.ec2Instance, (c) => (c.metadata_options.http_tokens = 'optional')),
      ),
      'fail',
      'IMDSv1',
    ),
    v(
      'not applicable: terminated instance',
      inputFor(
        'ec2-instance',
        'i-0a1b2c3d4e5f60001',
        patch(f.ec2Instance, (c) => {
          c.state = 'terminated';
          c.metadata_options.http_tokens = 'optional';
        }),
      ),
      'not_applicable',
      'terminated',
    ),
    v(
      'error: metadata options missing',
      inputFor(
        'ec2-instance',
        'i-0a1b2c3d4e5f60001',
        patch(f.ec2Instance, (c) => delete c.metadata_options),
      ),
      'error',
      'config.metadata_options.http_tokens must be a string',
    ),
    otherKind('rds-instance', f.rdsInstance),
  ],
};

// Vectors every control shares: an input with no asset kind is malformed.
for (const [id, list] of Object.entries(vectors)) {
  list.push(
    v('error: asset kind missing', { config: {}, params: {}, now: f.NOW }, 'error', 'input is malformed'),
  );
  vectors[id] = list;
}

const bundleDir = join(dirname(fileURLToPath(import.meta.url)), '../../bundles/cis-aws-foundations');
const check = process.argv.includes('--check');
let stale = 0;
mkdirSync(join(bundleDir, 'tests'), { recursive: true });
for (const id of Object.keys(vectors).sort()) {
  const file = join(bundleDir, 'tests', `${id}.json`);
  // Formatted as the repository's prettier config would, so `prettier --check` and `--check` here agree.
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(JSON.stringify({ control_id: id, vectors: vectors[id] }), {
    ...options,
    parser: 'json',
  });
  if (check) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = '';
    }
    if (current !== text) {
      console.error(`stale: ${file}`);
      stale += 1;
    }
  } else {
    writeFileSync(file, text);
  }
}
if (stale > 0) process.exit(1);
console.log(`${check ? 'checked' : 'wrote'} ${Object.keys(vectors).length} vector files`);
