import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { SegError } from '@neurocipher/seg-contracts';
import {
  DEFAULT_SNAPSHOT_MAX_LINE_BYTES,
  SNAPSHOT_MAX_LINE_BYTES_LIMIT,
} from '@neurocipher/seg-adapter-snapshot';
import { BUNDLE_REF_GRAMMAR, BUNDLE_REF_PATTERN, GuardrailsSchema } from '@neurocipher/seg-core';
import { DEFAULT_RETENTION_DAYS } from '@neurocipher/seg-lakehouse';
import { readUserFileSync } from '../files/user-files.ts';
import { catalogProblem, keyProblem, storeProblem } from './locations.ts';

/**
 * The grammar of a tenant (org) id: 1 to 128 of `A-Z a-z 0-9 . _ -`, starting with a letter or digit. It
 * names folders and partitions of the lakehouse, so it never holds a `/`, a space or a control character.
 */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const TENANT_ID_RULE = 'must be 1 to 128 of A-Z a-z 0-9 . _ - starting with a letter or digit';

const location = (problem: (value: string) => string | null) =>
  z
    .string()
    .min(1)
    .superRefine((value, ctx) => {
      const why = problem(value);
      if (why !== null) ctx.addIssue({ code: 'custom', message: why });
    });

/** Where a tenant's assets come from (`tenants.<org_id>.inventory`), so a queued run needs only its ids. */
export const TenantInventorySchema = z.discriminatedUnion('kind', [
  /** An NDJSON snapshot file (relative paths against the working folder). */
  z.object({ kind: z.literal('snapshot'), path: z.string().min(1) }).strict(),
  /** AWS accounts, inventoried by assuming `role_name` in each, in `regions` (default: `aws.regions`). */
  z
    .object({
      kind: z.literal('aws'),
      accounts: z.array(z.string().regex(/^\d{12}$/, 'must be a 12-digit account id')).min(1),
      regions: z.array(z.string().min(1)).optional(),
      role_name: z.string().min(1).optional(),
    })
    .strict(),
]);

/** Per-tenant settings (`tenants.<org_id>`). */
export const TenantSettingsSchema = z
  .object({
    /** Days evidence blobs are kept after the last run that references them (default 400). */
    retention_days: z.number().int().min(1).max(36_500).default(DEFAULT_RETENTION_DAYS),
    /** The tenant's inventory, for runs started through the queue (the API, the worker). */
    inventory: TenantInventorySchema.optional(),
    /** The tenant's guardrails on changes: weekly change windows, production hours (core's `GuardrailsSchema`). */
    remediation: GuardrailsSchema.optional(),
  })
  .strict();

/**
 * The settings of SEG (DESIGN.md §8), shared by `seg`, the API, the worker and embedders: embedded
 * defaults under `home` (`./.seg`), every part overridable. `catalog`, `warehouse`, `blobs`,
 * `signing_key` and `master_key` default to places under `home` when not given.
 */
export const SegConfigSchema = z
  .object({
    /** Tenant (org id) to work for ({@link TENANT_ID_PATTERN}). */
    tenant: z.string().regex(TENANT_ID_PATTERN, TENANT_ID_RULE).default('demo'),
    /** Working folder of the embedded defaults (catalog, warehouse, blobs, keys, attestations, log). */
    home: z.string().min(1).default('.seg'),
    /** Who the command line acts as where it is recorded (an approval's approver); default: the OS user. */
    actor: z.string().min(1).max(200).optional(),
    /** Iceberg catalog: `sqlite:PATH` (default `<home>/catalog.db`), `postgres://USER@HOST:PORT/DB`, `rest:URL`. */
    catalog: location(catalogProblem).optional(),
    /** Table data: `file:PATH` (default `<home>/warehouse`) or `s3://BUCKET/PREFIX`. */
    warehouse: location(storeProblem).optional(),
    /** Evidence blobs and plan records: `file:PATH` (default `<home>/blobs`) or `s3://BUCKET/PREFIX`. */
    blobs: location(storeProblem).optional(),
    /** Folder holding bundle folders (`<dir>/<bundle>/manifest.json`). */
    bundles_dir: z.string().min(1).default('bundles'),
    /** Bundle the scans evaluate: `<id>` (latest version present) or `<id>@<version>`. */
    bundle: z
      .string()
      .regex(BUNDLE_REF_PATTERN, `must be ${BUNDLE_REF_GRAMMAR}`)
      .default('cis-aws-foundations'),
    /** JSON file of the public keys trusted to sign bundles. */
    trusted_keys: z.string().min(1).default('tools/bundle/trusted-keys.json'),
    /**
     * What signs attestations: `file:PEM` (an Ed25519 key, default `<home>/keys/attest-ed25519.pem`,
     * created on first use) or `awskms:KEY_ID_OR_ARN` (an ECC_NIST_P256 SIGN_VERIFY key).
     */
    signing_key: location(keyProblem).optional(),
    /** Ed25519 private key (PKCS#8 PEM) that `seg bundle sign` signs with; never created for you. */
    bundle_signing_key: z.string().min(1).nullish(),
    /**
     * What seals evidence URIs: `file:PATH` (32 random bytes, default `<home>/keys/master.key`, created on
     * first use) or `awskms:KEY_ID_OR_ARN` (a SYMMETRIC_DEFAULT key: GenerateDataKey / Decrypt).
     */
    master_key: location(keyProblem).optional(),
    /**
     * Job queue and event bus: `memory` (in-process, one process) or `nats://HOST:PORT[,nats://…]`
     * (NATS JetStream, shared by the API and the workers).
     */
    queue: z
      .string()
      .regex(
        /^(memory|nats:\/\/[^/\s:@,]+:\d{1,5}(,\s*nats:\/\/[^/\s:@,]+:\d{1,5})*)$/,
        'must be memory or nats://HOST:PORT[,nats://HOST:PORT…] (no credentials in it)',
      )
      .default('memory'),
    /** The API's token issuer: bearer JWTs are verified against its keys (a JWKS URL, or a file offline). */
    oidc: z
      .object({
        issuer: z.string().min(1),
        audience: z.string().min(1),
        jwks_uri: z.url().optional(),
        /** A JWKS JSON file (relative paths against the working folder), for hosts with no way out. */
        jwks_file: z.string().min(1).optional(),
        /** The claim holding the roles (`seg.reader`, `seg.operator`, `seg.admin`). */
        roles_claim: z.string().min(1).default('roles'),
        /** The claim holding the tenant (org id). */
        tenant_claim: z.string().min(1).default('org_id'),
      })
      .strict()
      .refine((o) => (o.jwks_uri === undefined) !== (o.jwks_file === undefined), {
        message: 'give exactly one of jwks_uri and jwks_file',
      })
      .optional(),
    /** The API's limits. */
    api: z
      .object({
        /** Requests a tenant may make per minute (then 429 with Retry-After). */
        rate_per_minute: z.number().int().min(1).max(1_000_000).default(600),
        /** Largest request body, bytes (then 413). */
        body_limit_bytes: z
          .number()
          .int()
          .min(1_024)
          .max(64 * 1024 * 1024)
          .default(1024 * 1024),
        /** Largest body of POST /findings, bytes: one producer run goes in one request (then 413). */
        ingest_body_limit_bytes: z
          .number()
          .int()
          .min(1_024)
          .max(512 * 1024 * 1024)
          .default(16 * 1024 * 1024),
      })
      .strict()
      .default(() => ({
        rate_per_minute: 600,
        body_limit_bytes: 1024 * 1024,
        ingest_body_limit_bytes: 16 * 1024 * 1024,
      })),
    /** The job queue's delivery settings (JetStream's ack wait and max deliveries; the in-process queue's too). */
    jobs: z
      .object({
        /** How long a run job may go without a heartbeat before another worker gets it (ms). */
        ack_wait_ms: z.number().int().min(1_000).max(3_600_000).default(30_000),
        /** How often a worker heartbeats a job it runs (ms); under `ack_wait_ms`. */
        heartbeat_ms: z.number().int().min(100).max(600_000).default(10_000),
        /** Deliveries of a job before it is dead-lettered. */
        max_deliver: z.number().int().min(1).max(100).default(5),
      })
      .strict()
      .refine((j) => j.heartbeat_ms < j.ack_wait_ms, { message: 'heartbeat_ms must be under ack_wait_ms' })
      .default(() => ({ ack_wait_ms: 30_000, heartbeat_ms: 10_000, max_deliver: 5 })),
    /** Longest snapshot line `--provider snapshot` reads, in bytes (default 64 MiB, at most 256 MiB). */
    snapshot_max_line_bytes: z
      .number()
      .int()
      .min(1)
      .max(SNAPSHOT_MAX_LINE_BYTES_LIMIT)
      .default(DEFAULT_SNAPSHOT_MAX_LINE_BYTES),
    /** AWS: the inventory provider, and the endpoint and region of S3 and KMS parts. */
    aws: z
      .object({
        profile: z.string().min(1).nullish(),
        /** Role assumed in every account (`arn:aws:iam::<account>:role/<role_name>`). */
        role_name: z.string().min(1).default('SegInventoryRole'),
        regions: z.array(z.string().min(1)).default(() => []),
        accounts: z.array(z.string().regex(/^\d{12}$/, 'must be a 12-digit account id')).default(() => []),
        /** `AWS_ENDPOINT_URL`, e.g. a moto server in tests. */
        endpoint_url: z.url().nullish(),
        /** Region of the S3 and KMS parts (`AWS_REGION`, else the first of `regions`, else us-east-1). */
        region: z.string().min(1).nullish(),
      })
      .strict()
      .default(() => ({ role_name: 'SegInventoryRole', regions: [], accounts: [] })),
    /** Per-tenant settings by org id. */
    tenants: z
      .record(z.string().regex(TENANT_ID_PATTERN, TENANT_ID_RULE), TenantSettingsSchema)
      .default(() => ({})),
  })
  .strict();

/** The settings as given (a config file's JSON, or an embedder's own object). */
export type SegConfigInput = z.input<typeof SegConfigSchema>;

/**
 * The validated settings: every path absolute; `catalog` is `sqlite:/abs`, `postgres://…` or
 * `rest:URL`; `warehouse` and `blobs` are `file:/abs` or `s3://BUCKET/PREFIX`; `signing_key` and
 * `master_key` are an absolute path or `awskms:KEY`.
 */
export type SegConfig = Omit<
  z.output<typeof SegConfigSchema>,
  'catalog' | 'warehouse' | 'blobs' | 'signing_key' | 'master_key' | 'bundle_signing_key'
> & {
  catalog: string;
  warehouse: string;
  blobs: string;
  signing_key: string;
  master_key: string;
  bundle_signing_key: string | null;
};

/** Where the config came from, for `--verbose`. */
export interface LoadedConfig {
  config: SegConfig;
  /** The config file read, when any. */
  file: string | null;
}

// SEG_* variable → config key (strings; lists are comma-separated).
const ENV_KEYS: ReadonlyArray<readonly [string, keyof SegConfigInput]> = [
  ['SEG_TENANT', 'tenant'],
  ['SEG_HOME', 'home'],
  ['SEG_CATALOG', 'catalog'],
  ['SEG_WAREHOUSE', 'warehouse'],
  ['SEG_BLOBS', 'blobs'],
  ['SEG_BUNDLES_DIR', 'bundles_dir'],
  ['SEG_BUNDLE', 'bundle'],
  ['SEG_TRUSTED_KEYS', 'trusted_keys'],
  ['SEG_SIGNING_KEY', 'signing_key'],
  ['SEG_BUNDLE_SIGNING_KEY', 'bundle_signing_key'],
  ['SEG_MASTER_KEY', 'master_key'],
  ['SEG_QUEUE', 'queue'],
  ['SEG_ACTOR', 'actor'],
];

// SEG_* variable → numeric config key (an integer, or the text as given so that the schema names it).
const NUMERIC_ENV_KEYS: ReadonlyArray<readonly [string, keyof SegConfigInput]> = [
  ['SEG_SNAPSHOT_MAX_LINE_BYTES', 'snapshot_max_line_bytes'],
];

function configError(message: string, details: Record<string, unknown> = {}, cause?: unknown): SegError {
  return new SegError({
    error_code: 'SEG_INVALID_ARGUMENT',
    message,
    details,
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Validates settings given as an object (a parsed config file, or an embedder's own) and resolves them:
 * relative paths against `cwd`, the parts not given under `home`. Unknown keys (at any depth) and bad
 * values are one `SEG_INVALID_ARGUMENT` naming every bad key (`details.issues`).
 */
export function parseSegConfig(input: unknown, options: { cwd: string; file?: string | null }): SegConfig {
  const result = SegConfigSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw configError(`invalid config: ${issues.join('; ')}`, { issues, file: options.file ?? null });
  }
  const config = result.data;
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(options.cwd, p));
  const home = abs(config.home);
  const store = (u: string | undefined, fallback: string): string => {
    if (u === undefined) return `file:${join(home, fallback)}`;
    return u.startsWith('s3://') ? u.replace(/\/+$/, '') : `file:${abs(u.replace(/^file:/, ''))}`;
  };
  const key = (u: string | undefined, fallback: string): string => {
    if (u === undefined) return join(home, fallback);
    return u.startsWith('awskms:') ? u : abs(u.replace(/^file:/, ''));
  };
  const catalog = config.catalog ?? `sqlite:${join(home, 'catalog.db')}`;
  return {
    ...config,
    home,
    catalog: catalog.startsWith('sqlite:') ? `sqlite:${abs(catalog.slice('sqlite:'.length))}` : catalog,
    warehouse: store(config.warehouse, 'warehouse'),
    blobs: store(config.blobs, 'blobs'),
    bundles_dir: abs(config.bundles_dir),
    trusted_keys: abs(config.trusted_keys),
    signing_key: key(config.signing_key, 'keys/attest-ed25519.pem'),
    bundle_signing_key: config.bundle_signing_key ? abs(config.bundle_signing_key) : null,
    master_key: key(config.master_key, 'keys/master.key'),
  };
}

/**
 * Loads the config: defaults, then the JSON file (`file`, else `SEG_CONFIG`, else `seg.config.json`
 * in `cwd` when present), then `SEG_*` variables and `AWS_PROFILE` / `AWS_ENDPOINT_URL` / `AWS_REGION`,
 * then `overrides` (command-line options; `aws.<key>` for the aws block). Then {@link parseSegConfig}.
 * An unreadable file names its path and the reason.
 */
export function loadSegConfig(options: {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  file?: string | undefined;
  overrides?: Record<string, unknown>;
}): LoadedConfig {
  const { cwd, env } = options;
  const explicit = options.file ?? env['SEG_CONFIG'];
  const candidate = explicit ?? (existsSync(resolve(cwd, 'seg.config.json')) ? 'seg.config.json' : undefined);
  let fromFile: Record<string, unknown> = {};
  let file: string | null = null;
  if (candidate !== undefined) {
    file = resolve(cwd, candidate);
    const text = readUserFileSync('config file', file);
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      fromFile = parsed as Record<string, unknown>;
    } catch (cause) {
      throw configError(`config file ${file} is not a JSON object`, { file }, cause);
    }
  }
  const merged: Record<string, unknown> = { ...fromFile };
  for (const [name, key] of ENV_KEYS) {
    const value = env[name];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  for (const [name, key] of NUMERIC_ENV_KEYS) {
    const value = env[name];
    if (value !== undefined && value !== '') merged[key] = /^\d+$/.test(value) ? Number(value) : value;
  }
  const fileAws = merged['aws'] ?? {};
  if (typeof fileAws !== 'object' || fileAws === null || Array.isArray(fileAws)) {
    throw configError('invalid config: aws: must be an object', { file, issues: ['aws: must be an object'] });
  }
  const aws = { ...(fileAws as Record<string, unknown>) };
  if (env['AWS_PROFILE']) aws['profile'] = env['AWS_PROFILE'];
  if (env['AWS_ENDPOINT_URL']) aws['endpoint_url'] = env['AWS_ENDPOINT_URL'];
  const region = env['AWS_REGION'] || env['AWS_DEFAULT_REGION'];
  if (region) aws['region'] = region;
  if (env['SEG_AWS_REGIONS']) aws['regions'] = env['SEG_AWS_REGIONS'].split(',').filter(Boolean);
  if (env['SEG_AWS_ACCOUNTS']) aws['accounts'] = env['SEG_AWS_ACCOUNTS'].split(',').filter(Boolean);
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value === undefined) continue;
    if (key.startsWith('aws.')) aws[key.slice(4)] = value;
    else merged[key] = value;
  }
  merged['aws'] = aws;
  return { file, config: parseSegConfig(merged, { cwd, file }) };
}

/** The evidence retention of every tenant that sets one (`tenants.<org>.retention_days`). */
export function retentionDays(config: Pick<SegConfig, 'tenants'>): Record<string, number> {
  return Object.fromEntries(Object.entries(config.tenants).map(([org, t]) => [org, t.retention_days]));
}
