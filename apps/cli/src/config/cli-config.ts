import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { SegError } from '@neurocipher/seg-contracts';
import {
  DEFAULT_SNAPSHOT_MAX_LINE_BYTES,
  SNAPSHOT_MAX_LINE_BYTES_LIMIT,
} from '@neurocipher/seg-adapter-snapshot';
import { readUserFileSync } from '../cli/file-errors.ts';
import { BUNDLE_REF_GRAMMAR, BUNDLE_REF_PATTERN } from '../container/evaluation.module.ts';

/**
 * The grammar of a tenant (org) id: 1 to 128 of `A-Z a-z 0-9 . _ -`, starting with a letter or digit. It
 * names folders and partitions of the lakehouse, so it never holds a `/`, a space or a control character.
 */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The settings of `seg` (DESIGN.md §8): embedded defaults under `./.seg/`, overridable by file and env. */
export const CliConfigSchema = z
  .object({
    /** Tenant (org id) the CLI works for ({@link TENANT_ID_PATTERN}). */
    tenant: z
      .string()
      .regex(TENANT_ID_PATTERN, 'must be 1 to 128 of A-Z a-z 0-9 . _ - starting with a letter or digit')
      .default('demo'),
    /** Working folder of the embedded defaults. */
    home: z.string().min(1).default('.seg'),
    /** Iceberg catalog: `sqlite:<path>` (embedded default) or `postgres:` / `rest:` URIs. */
    catalog: z
      .string()
      .regex(/^(sqlite|postgres|postgresql|rest):/, 'must start with sqlite:, postgres: or rest:')
      .default('sqlite:.seg/catalog.db'),
    /** Warehouse of table data: `file:<dir>` (default) or `s3://bucket/prefix`. */
    warehouse: z
      .string()
      .regex(/^(file:|s3:\/\/)/, 'must start with file: or s3://')
      .default('file:.seg/warehouse'),
    /** Evidence blob store: `file:<dir>` (default) or `s3://bucket/prefix`. */
    blobs: z
      .string()
      .regex(/^(file:|s3:\/\/)/, 'must start with file: or s3://')
      .default('file:.seg/blobs'),
    /** Folder holding bundle folders (`<dir>/<bundle>/manifest.json`). */
    bundles_dir: z.string().min(1).default('bundles'),
    /** Bundle the scans evaluate: `<id>` (latest version present) or `<id>@<version>` ({@link BUNDLE_REF_PATTERN}). */
    bundle: z
      .string()
      .regex(BUNDLE_REF_PATTERN, `must be ${BUNDLE_REF_GRAMMAR}`)
      .default('cis-aws-foundations'),
    /** JSON file of the public keys trusted to sign bundles. */
    trusted_keys: z.string().min(1).default('tools/bundle/trusted-keys.json'),
    /** Ed25519 private key (PEM) that signs attestations; created on first use when absent. */
    signing_key: z.string().min(1).default('.seg/keys/attest-ed25519.pem'),
    /** Ed25519 private key (PKCS#8 PEM) that `seg bundle sign` signs with; never created for you. */
    bundle_signing_key: z.string().min(1).nullish(),
    /** Master key file (32 random bytes) sealing evidence URIs; created on first use when absent. */
    master_key: z.string().min(1).default('.seg/keys/master.key'),
    /** Longest snapshot line `seg scan --provider snapshot` reads, in bytes (default 64 MiB, at most 256 MiB). */
    snapshot_max_line_bytes: z
      .number()
      .int()
      .min(1)
      .max(SNAPSHOT_MAX_LINE_BYTES_LIMIT)
      .default(DEFAULT_SNAPSHOT_MAX_LINE_BYTES),
    /** Inventory providers. */
    aws: z
      .object({
        profile: z.string().min(1).nullish(),
        /** Role assumed in every account (`arn:aws:iam::<account>:role/<role_name>`). */
        role_name: z.string().min(1).default('SegInventoryRole'),
        regions: z.array(z.string().min(1)).default(() => []),
        accounts: z.array(z.string().regex(/^\d{12}$/, 'must be a 12-digit account id')).default(() => []),
        /** `AWS_ENDPOINT_URL`, e.g. a moto server in tests. */
        endpoint_url: z.url().nullish(),
      })
      .strict()
      .default(() => ({ role_name: 'SegInventoryRole', regions: [], accounts: [] })),
  })
  .strict();

/** The validated `seg` settings. Paths are resolved against the working folder. */
export type CliConfig = z.infer<typeof CliConfigSchema>;

/** Where the config came from, for `--verbose`. */
export interface LoadedConfig {
  config: CliConfig;
  /** The config file read, when any. */
  file: string | null;
}

// SEG_* variable → config key (strings; lists are comma-separated).
const ENV_KEYS: ReadonlyArray<readonly [string, keyof CliConfig]> = [
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
];

// SEG_* variable → numeric config key (an integer, or the text as given so that the schema names it).
const NUMERIC_ENV_KEYS: ReadonlyArray<readonly [string, keyof CliConfig]> = [
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
 * Loads the config: defaults, then the JSON file (`--config`, else `SEG_CONFIG`, else `seg.config.json`
 * in `cwd` when present), then `SEG_*` variables and `AWS_PROFILE` / `AWS_ENDPOINT_URL`, then `overrides`
 * (command-line options). Relative paths resolve against `cwd`. The schema is strict at every depth
 * (an unknown key, top-level or inside `aws`, is refused by name); the tenant and the bundle reference
 * follow {@link TENANT_ID_PATTERN} and `BUNDLE_REF_PATTERN`. Invalid settings throw one
 * `SEG_INVALID_ARGUMENT` naming every bad key; an unreadable file names its path and the reason.
 */
export function loadCliConfig(options: {
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
  if (env['SEG_AWS_REGIONS']) aws['regions'] = env['SEG_AWS_REGIONS'].split(',').filter(Boolean);
  if (env['SEG_AWS_ACCOUNTS']) aws['accounts'] = env['SEG_AWS_ACCOUNTS'].split(',').filter(Boolean);
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value === undefined) continue;
    if (key.startsWith('aws.')) aws[key.slice(4)] = value;
    else merged[key] = value;
  }
  merged['aws'] = aws;
  const result = CliConfigSchema.safeParse(merged);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw configError(`invalid config: ${issues.join('; ')}`, { issues, file });
  }
  const config = result.data;
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
  const fileUri = (u: string): string => (u.startsWith('file:') ? `file:${abs(u.slice(5))}` : u);
  const sqlite = (u: string): string => (u.startsWith('sqlite:') ? `sqlite:${abs(u.slice(7))}` : u);
  return {
    file,
    config: {
      ...config,
      home: abs(config.home),
      catalog: sqlite(config.catalog),
      warehouse: fileUri(config.warehouse),
      blobs: fileUri(config.blobs),
      bundles_dir: abs(config.bundles_dir),
      trusted_keys: abs(config.trusted_keys),
      signing_key: abs(config.signing_key),
      bundle_signing_key: config.bundle_signing_key ? abs(config.bundle_signing_key) : null,
      master_key: abs(config.master_key),
    },
  };
}
