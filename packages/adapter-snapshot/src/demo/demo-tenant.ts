import { SegError } from '@neurocipher/seg-contracts';
import type { Asset } from '@neurocipher/seg-contracts';
import type { SnapshotRecord } from '../snapshot/snapshot-record.ts';
import { createPrng } from './prng.ts';
import type { Prng } from './prng.ts';

/** Options of {@link generateDemoTenant}. Every field has a default; the same options give the same tenant. */
export interface DemoTenantOptions {
  /** Number of assets (at least 6; default 10,000). */
  assets?: number;
  /** PRNG seed (default `seg-demo`). */
  seed?: string | number;
  /** Capture and discovery time of every asset (default {@link DEMO_CAPTURED_AT}). */
  captured_at?: string;
  /** Probability that an asset carries one misconfiguration (default 0.15). */
  misconfiguration_rate?: number;
}

/** Capture time of the demo tenant; scans of it should evaluate with `now` set to this instant. */
export const DEMO_CAPTURED_AT = '2026-11-01T00:00:00Z';

/** Config schema version written into every demo config (the normalized schemas' current `1.0.0`). */
export const DEMO_SCHEMA_VERSION = '1.0.0';

/** The regions the demo tenant spreads over. */
export const DEMO_REGIONS: readonly string[] = ['us-east-1', 'us-west-2', 'eu-west-1'];

/** Asset kinds the demo tenant holds: every kind the CIS AWS Foundations bundle targets. */
export const DEMO_KINDS: readonly string[] = [
  'bucket',
  'cloudtrail-account',
  'cloudtrail-trail',
  'ebs-encryption-default',
  'ec2-instance',
  'iam-access-key',
  'iam-account',
  'iam-policy',
  'iam-user',
  'kms-key',
  'rds-instance',
  's3-account',
  'security-group',
  'vpc',
];

/** Assets per 1,000 that each account holds at account level (one per account or per account and region). */
const ACCOUNT_LEVEL = 3 + DEMO_REGIONS.length;

// Relative frequency of the per-resource kinds.
const WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['bucket', 20],
  ['ec2-instance', 20],
  ['security-group', 15],
  ['iam-user', 10],
  ['iam-access-key', 10],
  ['vpc', 5],
  ['iam-policy', 5],
  ['kms-key', 5],
  ['rds-instance', 5],
  ['cloudtrail-trail', 5],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((sum, [, w]) => sum + w, 0);

interface Built {
  id: string;
  name: string;
  region: string;
  body: Record<string, unknown>;
}

interface Ctx {
  rng: Prng;
  account: string;
  region: string;
  serial: string;
  bad: boolean;
  nowMs: number;
}

const DAY_MS = 86_400_000;
const PUBLIC_ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

function daysBefore(ctx: Ctx, days: number): string {
  return new Date(ctx.nowMs - days * DAY_MS).toISOString().replace('.000Z', 'Z');
}

function kmsArn(ctx: Ctx): string {
  return `arn:aws:kms:${ctx.region}:${ctx.account}:key/${ctx.serial}-0000-4000-8000-${ctx.account}`;
}

function statement(
  effect: 'Allow' | 'Deny',
  actions: string[],
  resources: string[],
  extra: Partial<Record<'principals' | 'conditions', unknown[]>> = {},
): Record<string, unknown> {
  return {
    sid: null,
    effect,
    principals: extra.principals ?? [],
    not_principals: [],
    actions,
    not_actions: [],
    resources,
    not_resources: [],
    conditions: extra.conditions ?? [],
  };
}

function publicAccessBlock(on: boolean): Record<string, boolean> {
  return {
    block_public_acls: on,
    ignore_public_acls: on,
    block_public_policy: on,
    restrict_public_buckets: on,
  };
}

function bucket(ctx: Ctx): Built {
  const name = `demo-${ctx.account}-${ctx.serial}`;
  const flaw = ctx.bad ? ctx.rng.pick(['pab', 'tls', 'sse', 'versioning', 'logging', 'acl'] as const) : null;
  const arn = `arn:aws:s3:::${name}`;
  const denyInsecure = statement('Deny', ['s3:*'], [arn, `${arn}/*`], {
    principals: [{ type: '*', id: '*' }],
    conditions: [{ operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] }],
  });
  const grants: unknown[] = [
    {
      grantee_type: 'CanonicalUser',
      grantee_id: `owner-${ctx.account}`,
      grantee_uri: null,
      permission: 'FULL_CONTROL',
    },
  ];
  if (flaw === 'acl') {
    grants.push({
      grantee_type: 'Group',
      grantee_id: null,
      grantee_uri: PUBLIC_ALL_USERS,
      permission: 'READ',
    });
  }
  return {
    id: arn,
    name,
    region: ctx.region,
    body: {
      name,
      region: ctx.region,
      public_access_block: flaw === 'pab' ? null : publicAccessBlock(true),
      policy: flaw === 'tls' ? null : { version: '2012-10-17', statements: [denyInsecure] },
      encryption: {
        rules: [
          flaw === 'sse'
            ? { sse_algorithm: 'AES256', kms_master_key_id: null, bucket_key_enabled: false }
            : { sse_algorithm: 'aws:kms', kms_master_key_id: kmsArn(ctx), bucket_key_enabled: true },
        ],
      },
      versioning: { status: flaw === 'versioning' ? 'Suspended' : 'Enabled', mfa_delete: 'Disabled' },
      logging:
        flaw === 'logging' ? null : { target_bucket: `demo-logs-${ctx.account}`, target_prefix: `${name}/` },
      acl: { owner_id: `owner-${ctx.account}`, grants },
      ownership_controls: { object_ownership: flaw === 'acl' ? 'ObjectWriter' : 'BucketOwnerEnforced' },
    },
  };
}

function ec2Instance(ctx: Ctx): Built {
  const id = `i-0${ctx.serial}${ctx.account.slice(-4)}`;
  return {
    id: `arn:aws:ec2:${ctx.region}:${ctx.account}:instance/${id}`,
    name: id,
    region: ctx.region,
    body: {
      instance_id: id,
      state: ctx.rng.pick(['running', 'running', 'running', 'stopped']),
      metadata_options: {
        http_tokens: ctx.bad ? 'optional' : 'required',
        http_endpoint: 'enabled',
        http_put_response_hop_limit: ctx.rng.int(1, 2),
      },
    },
  };
}

function rule(
  protocol: string,
  from: number | null,
  to: number | null,
  ipv4: string[],
): Record<string, unknown> {
  return {
    protocol,
    from_port: from,
    to_port: to,
    ipv4_ranges: ipv4,
    ipv6_ranges: [],
    referenced_group_ids: [],
    prefix_list_ids: [],
  };
}

function securityGroup(ctx: Ctx): Built {
  const groupId = `sg-0${ctx.serial}${ctx.account.slice(-4)}`;
  const isDefault = ctx.rng.chance(0.2);
  const groupName = isDefault
    ? 'default'
    : `demo-${ctx.rng.pick(['web', 'app', 'db', 'batch'])}-${ctx.serial}`;
  const egress = [rule('-1', null, null, ['0.0.0.0/0'])];
  let ingress: unknown[];
  if (isDefault) {
    ingress = ctx.bad ? [rule('-1', null, null, [])] : [];
  } else {
    ingress = [rule('tcp', 443, 443, ['0.0.0.0/0'])];
    ingress.push(ctx.bad ? rule('tcp', 22, 22, ['0.0.0.0/0']) : rule('tcp', 22, 22, ['10.0.0.0/8']));
  }
  return {
    id: `arn:aws:ec2:${ctx.region}:${ctx.account}:security-group/${groupId}`,
    name: groupName,
    region: ctx.region,
    body: {
      group_id: groupId,
      group_name: groupName,
      vpc_id: `vpc-0${ctx.serial}`,
      description: isDefault ? 'default VPC security group' : 'demo tier',
      ingress,
      egress: isDefault && !ctx.bad ? [] : egress,
    },
  };
}

function vpc(ctx: Ctx): Built {
  const vpcId = `vpc-0${ctx.serial}${ctx.account.slice(-4)}`;
  return {
    id: `arn:aws:ec2:${ctx.region}:${ctx.account}:vpc/${vpcId}`,
    name: vpcId,
    region: ctx.region,
    body: {
      vpc_id: vpcId,
      is_default: ctx.rng.chance(0.1),
      cidr_block: `10.${ctx.rng.int(0, 255)}.0.0/16`,
      flow_logs: ctx.bad
        ? []
        : [
            {
              flow_log_id: `fl-0${ctx.serial}`,
              traffic_type: 'ALL',
              status: 'ACTIVE',
              destination_type: 's3',
            },
          ],
    },
  };
}

function iamUser(ctx: Ctx): Built {
  const userName = `user-${ctx.serial}`;
  const flaw = ctx.bad ? ctx.rng.pick(['direct', 'two-keys'] as const) : null;
  const keys = [
    {
      access_key_id: `AKIA${ctx.serial.toUpperCase()}00000001`,
      status: 'Active',
      create_date: daysBefore(ctx, 30),
    },
  ];
  if (flaw === 'two-keys') {
    keys.push({
      access_key_id: `AKIA${ctx.serial.toUpperCase()}00000002`,
      status: 'Active',
      create_date: daysBefore(ctx, 10),
    });
  }
  const arn = `arn:aws:iam::${ctx.account}:user/${userName}`;
  return {
    id: arn,
    name: userName,
    region: 'global',
    body: {
      user_name: userName,
      arn,
      create_date: daysBefore(ctx, ctx.rng.int(100, 900)),
      password_enabled: ctx.rng.chance(0.5),
      mfa_active: true,
      access_keys: keys,
      attached_policy_arns: flaw === 'direct' ? ['arn:aws:iam::aws:policy/AmazonS3FullAccess'] : [],
      inline_policy_names: [],
      group_names: ['developers'],
    },
  };
}

function iamAccessKey(ctx: Ctx): Built {
  const keyId = `AKIA${ctx.serial.toUpperCase()}${ctx.account.slice(-8)}`;
  return {
    id: `arn:aws:iam::${ctx.account}:access-key/${keyId}`,
    name: keyId,
    region: 'global',
    body: {
      access_key_id: keyId,
      user_name: `user-${ctx.serial}`,
      status: 'Active',
      create_date: daysBefore(ctx, ctx.bad ? ctx.rng.int(120, 700) : ctx.rng.int(1, 80)),
      last_used_date: daysBefore(ctx, 1),
    },
  };
}

function iamPolicy(ctx: Ctx): Built {
  const name = `demo-policy-${ctx.serial}`;
  const arn = `arn:aws:iam::${ctx.account}:policy/${name}`;
  return {
    id: arn,
    name,
    region: 'global',
    body: {
      arn,
      name,
      is_aws_managed: false,
      attachment_count: ctx.rng.int(1, 5),
      default_version_id: 'v1',
      document: {
        version: '2012-10-17',
        statements: [
          ctx.bad
            ? statement('Allow', ['*'], ['*'])
            : statement('Allow', ['s3:GetObject', 's3:ListBucket'], ['*']),
        ],
      },
    },
  };
}

function kmsKey(ctx: Ctx): Built {
  const arn = kmsArn(ctx);
  return {
    id: arn,
    name: arn.slice(arn.indexOf('/') + 1),
    region: ctx.region,
    body: {
      key_id: arn.slice(arn.indexOf('/') + 1),
      arn,
      key_manager: 'CUSTOMER',
      key_spec: 'SYMMETRIC_DEFAULT',
      key_usage: 'ENCRYPT_DECRYPT',
      key_state: 'Enabled',
      origin: 'AWS_KMS',
      rotation_enabled: !ctx.bad,
    },
  };
}

function rdsInstance(ctx: Ctx): Built {
  const id = `demo-db-${ctx.serial}`;
  const arn = `arn:aws:rds:${ctx.region}:${ctx.account}:db:${id}`;
  const flaw = ctx.bad ? ctx.rng.pick(['public', 'upgrade'] as const) : null;
  return {
    id: arn,
    name: id,
    region: ctx.region,
    body: {
      db_instance_identifier: id,
      arn,
      engine: ctx.rng.pick(['postgres', 'mysql']),
      engine_version: '16.3',
      status: 'available',
      publicly_accessible: flaw === 'public',
      storage_encrypted: true,
      kms_key_id: kmsArn(ctx),
      auto_minor_version_upgrade: flaw !== 'upgrade',
    },
  };
}

function trailBody(
  ctx: Ctx,
  name: string,
  bad: boolean,
  flaw: 'kms' | 'validation',
): Record<string, unknown> {
  return {
    name,
    arn: `arn:aws:cloudtrail:${ctx.region}:${ctx.account}:trail/${name}`,
    home_region: ctx.region,
    is_multi_region_trail: true,
    is_organization_trail: false,
    is_logging: true,
    log_file_validation_enabled: !(bad && flaw === 'validation'),
    kms_key_id: bad && flaw === 'kms' ? null : kmsArn(ctx),
    s3_bucket_name: `demo-trail-logs-${ctx.account}`,
    include_global_service_events: true,
    management_events: { included: true, read_write_type: 'All' },
  };
}

function cloudtrailTrail(ctx: Ctx): Built {
  const name = `demo-trail-${ctx.serial}`;
  const body = trailBody(ctx, name, ctx.bad, ctx.rng.pick(['kms', 'validation'] as const));
  return { id: body['arn'] as string, name, region: ctx.region, body };
}

function iamAccount(ctx: Ctx): Built {
  const flaw = ctx.bad ? ctx.rng.pick(['length', 'reuse', 'support'] as const) : null;
  return {
    id: `arn:aws:iam::${ctx.account}:root`,
    name: `iam-${ctx.account}`,
    region: 'global',
    body: {
      account_id: ctx.account,
      password_policy: {
        minimum_password_length: flaw === 'length' ? 8 : 14,
        require_symbols: true,
        require_numbers: true,
        require_uppercase_characters: true,
        require_lowercase_characters: true,
        allow_users_to_change_password: true,
        max_password_age: 90,
        password_reuse_prevention: flaw === 'reuse' ? null : 24,
        hard_expiry: false,
      },
      summary: { account_mfa_enabled: true, account_access_keys_present: false },
      support_policy_attachments: {
        roles: flaw === 'support' ? [] : ['demo-support'],
        users: [],
        groups: [],
      },
    },
  };
}

function s3Account(ctx: Ctx): Built {
  return {
    id: `arn:aws:s3:::account/${ctx.account}`,
    name: `s3-${ctx.account}`,
    region: 'global',
    body: { account_id: ctx.account, public_access_block: ctx.bad ? null : publicAccessBlock(true) },
  };
}

function cloudtrailAccount(ctx: Ctx): Built {
  const name = `org-trail-${ctx.account}`;
  const trail = trailBody({ ...ctx, region: 'us-east-1' }, name, false, 'kms');
  if (ctx.bad) trail['is_multi_region_trail'] = false;
  return {
    id: `arn:aws:cloudtrail::${ctx.account}:account`,
    name: `cloudtrail-${ctx.account}`,
    region: 'global',
    body: { account_id: ctx.account, trails: [trail] },
  };
}

function ebsDefault(ctx: Ctx): Built {
  return {
    id: `arn:aws:ec2:${ctx.region}:${ctx.account}:ebs-encryption-default`,
    name: `ebs-default-${ctx.account}-${ctx.region}`,
    region: ctx.region,
    body: {
      account_id: ctx.account,
      region: ctx.region,
      encryption_by_default: !ctx.bad,
      default_kms_key_id: ctx.bad ? null : 'alias/aws/ebs',
    },
  };
}

const BUILDERS: Readonly<Record<string, (ctx: Ctx) => Built>> = {
  bucket,
  'cloudtrail-account': cloudtrailAccount,
  'cloudtrail-trail': cloudtrailTrail,
  'ebs-encryption-default': ebsDefault,
  'ec2-instance': ec2Instance,
  'iam-access-key': iamAccessKey,
  'iam-account': iamAccount,
  'iam-policy': iamPolicy,
  'iam-user': iamUser,
  'kms-key': kmsKey,
  'rds-instance': rdsInstance,
  's3-account': s3Account,
  'security-group': securityGroup,
  vpc,
};

function weightedKind(rng: Prng): string {
  let roll = rng.next() * TOTAL_WEIGHT;
  for (const [kind, weight] of WEIGHTS) {
    roll -= weight;
    if (roll < 0) return kind;
  }
  return (WEIGHTS.at(-1) as readonly [string, number])[0];
}

/** Twelve-digit account id of the demo tenant's `i`-th account. */
export function demoAccountId(i: number): string {
  return String(210_000_000_000 + i * 7_919).padStart(12, '0');
}

/**
 * Generates a deterministic AWS-shaped tenant as snapshot records: one account per 1,000 assets
 * (at least one), each with its account-level assets (IAM account, S3 account, CloudTrail account,
 * EBS encryption default per region), the rest spread over buckets, instances, security groups, IAM
 * users, keys and policies, KMS keys, RDS instances, VPCs and trails. About `misconfiguration_rate`
 * of the assets carry one misconfiguration that a CIS control fails. Configs follow the normalized
 * schemas of `@neurocipher/seg-contracts` (`packages/contracts/src/normalized`). The same options
 * always yield the same records in the same order; records stream, so 100,000 assets fit in little memory.
 * `SEG_INVALID_ARGUMENT` for fewer than 6 assets or a rate outside [0, 1].
 */
export function* generateDemoTenant(options: DemoTenantOptions = {}): Generator<SnapshotRecord> {
  const total = options.assets ?? 10_000;
  const rate = options.misconfiguration_rate ?? 0.15;
  const capturedAt = options.captured_at ?? DEMO_CAPTURED_AT;
  if (!Number.isInteger(total) || total < ACCOUNT_LEVEL) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `the demo tenant needs an integer of at least ${ACCOUNT_LEVEL} assets`,
      details: { assets: total },
    });
  }
  if (!(rate >= 0 && rate <= 1)) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: 'misconfiguration_rate must be within [0, 1]',
      details: { misconfiguration_rate: rate },
    });
  }
  const nowMs = Date.parse(capturedAt);
  if (Number.isNaN(nowMs)) {
    throw new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message: 'captured_at is not a date-time' });
  }
  const rng = createPrng(options.seed ?? 'seg-demo');
  const accounts = Math.max(1, Math.min(Math.floor(total / 1000), Math.floor(total / ACCOUNT_LEVEL)));
  const envs = ['prod', 'staging', 'dev'] as const;

  const record = (kind: string, account: string, region: string, serial: string): SnapshotRecord => {
    const ctx: Ctx = { rng, account, region, serial, bad: rng.chance(rate), nowMs };
    const builder = BUILDERS[kind] as (c: Ctx) => Built;
    const built = builder(ctx);
    const asset: Asset = {
      ref: { urn: `urn:asset:aws:${kind}:${built.id}` },
      kind,
      provider: 'aws',
      name: built.name,
      properties: {
        account_id: account,
        project: account,
        region: built.region,
        'tag:env': rng.pick(envs),
      },
      discovered_at: capturedAt,
    };
    return {
      asset,
      configs: [
        { asset: asset.ref, captured_at: capturedAt, schema_version: DEMO_SCHEMA_VERSION, body: built.body },
      ],
    };
  };

  for (let a = 0; a < accounts; a += 1) {
    const account = demoAccountId(a);
    const serial = `a${a.toString(16).padStart(5, '0')}`;
    yield record('iam-account', account, 'us-east-1', serial);
    yield record('s3-account', account, 'us-east-1', serial);
    yield record('cloudtrail-account', account, 'us-east-1', serial);
    for (const region of DEMO_REGIONS) yield record('ebs-encryption-default', account, region, serial);
  }
  const rest = total - accounts * ACCOUNT_LEVEL;
  for (let k = 0; k < rest; k += 1) {
    const account = demoAccountId(k % accounts);
    const kind = weightedKind(rng);
    const region = rng.pick(DEMO_REGIONS);
    yield record(kind, account, region, k.toString(16).padStart(6, '0'));
  }
}
