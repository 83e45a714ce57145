// Base normalized configs, one per asset kind, in the shapes of packages/contracts/src/normalized.
// Each is a compliant resource as moto returns it once remediated; vectors derive pass, fail and
// error cases from these by small, named changes (see write-vectors.ts).

/** An input document as the engine builds it for one asset and one control. */
export interface VectorInput {
  asset: {
    ref: { urn: string };
    kind: string;
    provider: string;
    name: string;
    properties: Record<string, string>;
  };
  config: unknown;
  params: Record<string, unknown>;
  now: string;
}

/** Evaluation time used by every vector (controls never read the clock). */
export const NOW = '2026-11-26T00:00:00Z';

const ACCOUNT = '123456789012';

const pab = {
  block_public_acls: true,
  ignore_public_acls: true,
  block_public_policy: true,
  restrict_public_buckets: true,
};

/** A compliant S3 bucket: BPA on, TLS-only policy, SSE-KMS, versioned, logged, ACLs disabled. */
export const bucket = {
  name: 'seg-data',
  region: 'us-east-1',
  public_access_block: pab,
  policy: {
    version: '2012-10-17',
    statements: [
      {
        sid: 'DenyInsecureTransport',
        effect: 'Deny',
        principals: [{ type: '*', id: '*' }],
        not_principals: [],
        actions: ['s3:*'],
        not_actions: [],
        resources: ['arn:aws:s3:::seg-data', 'arn:aws:s3:::seg-data/*'],
        not_resources: [],
        conditions: [{ operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] }],
      },
    ],
  },
  encryption: {
    rules: [{ sse_algorithm: 'aws:kms', kms_master_key_id: 'alias/seg-data', bucket_key_enabled: true }],
  },
  versioning: { status: 'Enabled', mfa_delete: null },
  logging: { target_bucket: 'seg-logs', target_prefix: 'seg-data/' },
  acl: {
    owner_id: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a',
    grants: [
      {
        grantee_type: 'CanonicalUser',
        grantee_id: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a',
        grantee_uri: null,
        permission: 'FULL_CONTROL',
      },
    ],
  },
  ownership_controls: { object_ownership: 'BucketOwnerEnforced' },
};

/** Account-level S3 settings with all four Block Public Access flags on. */
export const s3Account = { account_id: ACCOUNT, public_access_block: pab };

/** An account with a CIS-compliant password policy and a support role. */
export const iamAccount = {
  account_id: ACCOUNT,
  password_policy: {
    minimum_password_length: 14,
    require_symbols: true,
    require_numbers: true,
    require_uppercase_characters: true,
    require_lowercase_characters: true,
    allow_users_to_change_password: true,
    max_password_age: 90,
    password_reuse_prevention: 24,
    hard_expiry: false,
  },
  summary: { account_mfa_enabled: false, account_access_keys_present: false },
  support_policy_attachments: { roles: ['seg-support'], users: [], groups: [] },
};

/** A user with one active key whose permissions come only from groups. */
export const iamUser = {
  user_name: 'alice',
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  create_date: '2026-01-10T09:00:00Z',
  password_enabled: true,
  mfa_active: true,
  access_keys: [
    { access_key_id: 'AKIAEXAMPLE000000001', status: 'Active', create_date: '2026-10-01T00:00:00Z' },
  ],
  attached_policy_arns: [],
  inline_policy_names: [],
  group_names: ['developers'],
};

/** An active access key created 56 days before NOW. */
export const iamAccessKey = {
  access_key_id: 'AKIAEXAMPLE000000001',
  user_name: 'alice',
  status: 'Active',
  create_date: '2026-10-01T00:00:00Z',
  last_used_date: '2026-11-20T12:00:00Z',
};

/** An attached customer-managed policy granting read-only S3 access. */
export const iamPolicy = {
  arn: `arn:aws:iam::${ACCOUNT}:policy/seg-read`,
  name: 'seg-read',
  is_aws_managed: false,
  attachment_count: 1,
  default_version_id: 'v1',
  document: {
    version: '2012-10-17',
    statements: [
      {
        sid: null,
        effect: 'Allow',
        principals: [],
        not_principals: [],
        actions: ['s3:GetObject', 's3:ListBucket'],
        not_actions: [],
        resources: ['*'],
        not_resources: [],
        conditions: [],
      },
    ],
  },
};

/** A rule object for security-group vectors. */
export function sgRule(
  protocol: string,
  from: number | null,
  to: number | null,
  v4: string[],
  v6: string[] = [],
) {
  return {
    protocol,
    from_port: from,
    to_port: to,
    ipv4_ranges: v4,
    ipv6_ranges: v6,
    referenced_group_ids: [],
    prefix_list_ids: [],
  };
}

/** A web security group: HTTPS from anywhere, SSH from the office range. */
export const securityGroup = {
  group_id: 'sg-0a1b2c3d4e5f60001',
  group_name: 'web',
  vpc_id: 'vpc-0a1b2c3d4e5f60001',
  description: 'web tier',
  ingress: [sgRule('tcp', 443, 443, ['0.0.0.0/0']), sgRule('tcp', 22, 22, ['10.0.0.0/8'])],
  egress: [sgRule('-1', null, null, ['0.0.0.0/0'])],
};

/** A default security group with every rule revoked. */
export const defaultSecurityGroup = {
  group_id: 'sg-0a1b2c3d4e5f60000',
  group_name: 'default',
  vpc_id: 'vpc-0a1b2c3d4e5f60001',
  description: 'default VPC security group',
  ingress: [],
  egress: [],
};

/** A VPC with an active flow log capturing all traffic to S3. */
export const vpc = {
  vpc_id: 'vpc-0a1b2c3d4e5f60001',
  is_default: false,
  cidr_block: '10.0.0.0/16',
  flow_logs: [
    { flow_log_id: 'fl-0a1b2c3d4e5f60001', traffic_type: 'ALL', status: 'ACTIVE', destination_type: 's3' },
  ],
};

/** EBS encryption by default switched on in one region. */
export const ebsEncryptionDefault = {
  account_id: ACCOUNT,
  region: 'us-east-1',
  encryption_by_default: true,
  default_kms_key_id: 'alias/aws/ebs',
};

/** An enabled symmetric customer-managed key with rotation on. */
export const kmsKey = {
  key_id: '1234abcd-12ab-34cd-56ef-1234567890ab',
  arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  key_manager: 'CUSTOMER',
  key_spec: 'SYMMETRIC_DEFAULT',
  key_usage: 'ENCRYPT_DECRYPT',
  key_state: 'Enabled',
  origin: 'AWS_KMS',
  rotation_enabled: true,
};

/** A multi-region, logging, validated, KMS-encrypted trail recording all management events. */
export const cloudtrailTrail = {
  name: 'seg-trail',
  arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/seg-trail`,
  home_region: 'us-east-1',
  is_multi_region_trail: true,
  is_organization_trail: false,
  is_logging: true,
  log_file_validation_enabled: true,
  kms_key_id: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  s3_bucket_name: 'seg-trail-logs',
  include_global_service_events: true,
  management_events: { included: true, read_write_type: 'All' },
};

/** The account view holding that one trail. */
export const cloudtrailAccount = { account_id: ACCOUNT, trails: [cloudtrailTrail] };

/** A private, encrypted database with automatic minor upgrades. */
export const rdsInstance = {
  db_instance_identifier: 'seg-db',
  arn: `arn:aws:rds:us-east-1:${ACCOUNT}:db:seg-db`,
  engine: 'postgres',
  engine_version: '16.3',
  status: 'available',
  publicly_accessible: false,
  storage_encrypted: true,
  kms_key_id: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  auto_minor_version_upgrade: true,
};

/** A running instance that requires IMDSv2 tokens. */
export const ec2Instance = {
  instance_id: 'i-0a1b2c3d4e5f60001',
  state: 'running',
  metadata_options: { http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 2 },
};

const URN_TYPE: Record<string, string> = {};

/** Builds an input document for an asset of `kind` named `name` with `config`. */
export function inputFor(
  kind: string,
  name: string,
  config: unknown,
  params: Record<string, unknown> = {},
): VectorInput {
  const type = URN_TYPE[kind] ?? kind;
  return {
    asset: { ref: { urn: `urn:asset:aws:${type}:${name}` }, kind, provider: 'aws', name, properties: {} },
    config,
    params,
    now: NOW,
  };
}

/**
 * A config copy open to any change. Error vectors deliberately write wrong types and delete required
 * fields, which no precise type would allow, so this one type is untyped on purpose.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Draft = any;

/** Deep copy with a change applied: `patch(base, (c) => { c.x = 1; })`. */
export function patch<T>(base: T, change: (copy: Draft) => void): T {
  const copy: Draft = structuredClone(base);
  change(copy);
  return copy as T;
}
