import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { SegError } from '@neurocipher/seg-contracts';

/** The settings of `seg` (DESIGN.md §8): embedded defaults under `./.seg/`, overridable by file and env. */
export const CliConfigSchema = z
  .object({
    /** Tenant (org id) the CLI works for. */
    tenant: z.string().min(1).default('demo'),
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
    /** Bundle the scans evaluate: `<id>` (latest version present) or `<id>@<version>`. */
    bundle: z.string().min(1).default('cis-aws-foundations'),
    /** JSON file of the public keys trusted to sign bundles. */
    trusted_keys: z.string().min(1).default('tools/bundle/trusted-keys.json'),
    /** Ed25519 private key (PEM) that signs attestations; created on first use when absent. */
    signing_key: z.string().min(1).default('.seg/keys/attest-ed25519.pem'),
    /** Ed25519 private key (PKCS#8 PEM) that `seg bundle sign` signs with; never created for you. */
    bundle_signing_key: z.string().min(1).nullish(),
    /** Master key file (32 random bytes) sealing evidence URIs; created on first use when absent. */
    master_key: z.string().min(1).default('.seg/keys/master.key'),
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
 * (command-line options). Relative paths resolve against `cwd`. Invalid settings throw one
 * `SEG_INVALID_ARGUMENT` naming every bad key.
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
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw configError(`config file ${file} cannot be read`, { file }, cause);
    }
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
  const aws = { ...((merged['aws'] as Record<string, unknown> | undefined) ?? {}) };
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
