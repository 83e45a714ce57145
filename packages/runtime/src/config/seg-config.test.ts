import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import { loadSegConfig, retentionDays } from './seg-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'seg-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isSegError(error)) return `${error.error_code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('loadSegConfig', () => {
  it('defaults to the embedded lakehouse under ./.seg with absolute paths', () => {
    const { config, file } = loadSegConfig({ cwd: dir, env: {} });
    expect(file).toBeNull();
    expect(config.tenant).toBe('demo');
    expect(config.catalog).toBe(`sqlite:${join(dir, '.seg/catalog.db')}`);
    expect(config.warehouse).toBe(`file:${join(dir, '.seg/warehouse')}`);
    expect(config.bundles_dir).toBe(join(dir, 'bundles'));
    expect(config.bundle_signing_key).toBeNull();
  });

  it('resolves a bundle signing key from the config file against the working folder', () => {
    const cfg = join(dir, 'bundle-key.config.json');
    writeFileSync(cfg, JSON.stringify({ bundle_signing_key: 'keys/release.pem' }));
    const { config } = loadSegConfig({ cwd: dir, env: { SEG_CONFIG: cfg } });
    expect(config.bundle_signing_key).toBe(join(dir, 'keys/release.pem'));
  });

  it('layers seg.config.json, then SEG_* and AWS_* variables, then command-line overrides', () => {
    writeFileSync(
      join(dir, 'seg.config.json'),
      JSON.stringify({ tenant: 'file-org', bundle: 'b1', aws: { regions: ['eu-west-1'] } }),
    );
    const { config, file } = loadSegConfig({
      cwd: dir,
      env: {
        SEG_TENANT: 'env-org',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
        SEG_AWS_ACCOUNTS: '123456789012',
      },
      overrides: { bundle: 'b2', 'aws.profile': 'dev' },
    });
    expect(file).toBe(join(dir, 'seg.config.json'));
    expect(config).toMatchObject({ tenant: 'env-org', bundle: 'b2' });
    expect(config.aws).toEqual({
      role_name: 'SegInventoryRole',
      regions: ['eu-west-1'],
      accounts: ['123456789012'],
      endpoint_url: 'http://127.0.0.1:5000',
      profile: 'dev',
    });
    rmSync(join(dir, 'seg.config.json'));
  });

  it('fails with one SEG_INVALID_ARGUMENT naming every bad key', () => {
    const message = codeOf(() =>
      loadSegConfig({
        cwd: dir,
        env: { SEG_CATALOG: 'mysql://x', SEG_AWS_ACCOUNTS: '12' },
        overrides: { nope: 1 },
      }),
    );
    expect(message).toMatch(/^SEG_INVALID_ARGUMENT: invalid config: /);
    expect(message).toContain('catalog');
    expect(message).toContain('aws.accounts.0');
    expect(message).toContain('nope');
  });

  it('fails clearly on a missing or malformed config file', () => {
    expect(codeOf(() => loadSegConfig({ cwd: dir, env: {}, file: 'missing.json' }))).toContain(
      'cannot be read',
    );
    writeFileSync(join(dir, 'bad.json'), '[1]');
    expect(codeOf(() => loadSegConfig({ cwd: dir, env: { SEG_CONFIG: 'bad.json' } }))).toContain(
      'not a JSON object',
    );
  });

  it('is strict inside the aws block: an unknown key is refused by name', () => {
    writeFileSync(join(dir, 'aws-typo.json'), JSON.stringify({ aws: { regoins: ['eu-west-1'] } }));
    expect(codeOf(() => loadSegConfig({ cwd: dir, env: {}, file: 'aws-typo.json' }))).toBe(
      'SEG_INVALID_ARGUMENT: invalid config: aws: Unrecognized key: "regoins"',
    );
    writeFileSync(join(dir, 'aws-string.json'), JSON.stringify({ aws: 'eu-west-1' }));
    expect(codeOf(() => loadSegConfig({ cwd: dir, env: {}, file: 'aws-string.json' }))).toBe(
      'SEG_INVALID_ARGUMENT: invalid config: aws: must be an object',
    );
  });

  it('accepts tenant ids of the grammar and refuses the others at config load', () => {
    for (const tenant of ['demo', 'acme-prod', 'Org_1.eu', 'a', 'x'.repeat(128)])
      expect(loadSegConfig({ cwd: dir, env: { SEG_TENANT: tenant } }).config.tenant).toBe(tenant);
    for (const tenant of ['acme/prod', '../x', '.hidden', '-x', 'a b', 'tab\tx', 'ünï', 'x'.repeat(129)])
      expect(codeOf(() => loadSegConfig({ cwd: dir, env: {}, overrides: { tenant } }))).toBe(
        'SEG_INVALID_ARGUMENT: invalid config: tenant: must be 1 to 128 of A-Z a-z 0-9 . _ - starting with a letter or digit',
      );
  });

  it('accepts bundle references of the grammar and refuses the others at config load', () => {
    for (const bundle of [
      'cis-aws-foundations',
      'seg-custom@1.0.0',
      'b1',
      'x@1.2.3-rc.1+build.5',
      'a.b_c@0.0.1',
    ])
      expect(loadSegConfig({ cwd: dir, env: {}, overrides: { bundle } }).config.bundle).toBe(bundle);
    for (const bundle of [
      'id@1.0.0@x',
      'id@',
      '@1.0.0',
      'id@1.0',
      'id@01.0.0',
      'Id',
      'id/..',
      '-id',
      'x'.repeat(65),
    ])
      expect(codeOf(() => loadSegConfig({ cwd: dir, env: { SEG_BUNDLE: bundle } }))).toMatch(
        /^SEG_INVALID_ARGUMENT: invalid config: bundle: must be <id> or <id>@<version>/,
      );
  });

  it('takes the snapshot line limit from the file or SEG_SNAPSHOT_MAX_LINE_BYTES, 64 MiB by default', () => {
    expect(loadSegConfig({ cwd: dir, env: {} }).config.snapshot_max_line_bytes).toBe(64 * 1024 * 1024);
    writeFileSync(join(dir, 'lines.json'), JSON.stringify({ snapshot_max_line_bytes: 4096 }));
    expect(loadSegConfig({ cwd: dir, env: {}, file: 'lines.json' }).config.snapshot_max_line_bytes).toBe(
      4096,
    );
    const env = { SEG_SNAPSHOT_MAX_LINE_BYTES: '1000' };
    expect(loadSegConfig({ cwd: dir, env }).config.snapshot_max_line_bytes).toBe(1000);
    for (const bad of ['0', '1e3', String(2 ** 30)]) {
      expect(codeOf(() => loadSegConfig({ cwd: dir, env: { SEG_SNAPSHOT_MAX_LINE_BYTES: bad } }))).toMatch(
        /^SEG_INVALID_ARGUMENT: invalid config: snapshot_max_line_bytes: /,
      );
    }
  });

  it('moves every default under SEG_HOME: catalog, warehouse, blobs and keys', () => {
    const { config } = loadSegConfig({ cwd: dir, env: { SEG_HOME: 'elsewhere' } });
    const home = join(dir, 'elsewhere');
    expect(config).toMatchObject({
      home,
      catalog: `sqlite:${join(home, 'catalog.db')}`,
      warehouse: `file:${join(home, 'warehouse')}`,
      blobs: `file:${join(home, 'blobs')}`,
      signing_key: join(home, 'keys/attest-ed25519.pem'),
      master_key: join(home, 'keys/master.key'),
    });
  });

  it('takes the production parts: PostgreSQL or REST catalog, S3 stores, KMS keys', () => {
    const env = {
      SEG_CATALOG: 'postgres://seg@db.internal:5432/seg',
      SEG_WAREHOUSE: 's3://seg-lake/warehouse/',
      SEG_BLOBS: 's3://seg-lake/blobs',
      SEG_SIGNING_KEY: 'awskms:alias/seg-attest',
      SEG_MASTER_KEY: 'awskms:arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      AWS_REGION: 'eu-west-1',
    };
    const { config } = loadSegConfig({ cwd: dir, env });
    expect(config).toMatchObject({
      catalog: 'postgres://seg@db.internal:5432/seg',
      warehouse: 's3://seg-lake/warehouse',
      blobs: 's3://seg-lake/blobs',
      signing_key: 'awskms:alias/seg-attest',
      master_key: env.SEG_MASTER_KEY,
    });
    expect(config.aws.region).toBe('eu-west-1');
    expect(
      loadSegConfig({ cwd: dir, env: { SEG_CATALOG: 'rest:http://127.0.0.1:8181' } }).config.catalog,
    ).toBe('rest:http://127.0.0.1:8181');
    expect(loadSegConfig({ cwd: dir, env: { SEG_SIGNING_KEY: 'file:k/a.pem' } }).config.signing_key).toBe(
      join(dir, 'k/a.pem'),
    );
  });

  it('refuses a catalog URI with a password, naming PGPASSWORD, and bad locations by key', () => {
    const message = codeOf(() =>
      loadSegConfig({ cwd: dir, env: { SEG_CATALOG: 'postgres://seg:hunter2@db/seg' } }),
    );
    expect(message).toContain('catalog: must not hold a password: give it in PGPASSWORD');
    for (const [name, value, key] of [
      ['SEG_WAREHOUSE', 's3://X/y', 'warehouse'],
      ['SEG_BLOBS', 'gs://bucket/x', 'blobs'],
      ['SEG_SIGNING_KEY', 'awskms:', 'signing_key'],
      ['SEG_MASTER_KEY', 'vault://k', 'master_key'],
      ['SEG_CATALOG', 'rest:ftp://x', 'catalog'],
    ] as const) {
      expect(codeOf(() => loadSegConfig({ cwd: dir, env: { [name]: value } }))).toMatch(
        new RegExp(`^SEG_INVALID_ARGUMENT: invalid config: ${key}: `),
      );
    }
  });

  it('reads the queue setting: memory by default, NATS servers, never credentials', () => {
    expect(loadSegConfig({ cwd: dir, env: {} }).config.queue).toBe('memory');
    expect(
      loadSegConfig({ cwd: dir, env: { SEG_QUEUE: 'nats://n1:4222,nats://n2:4222' } }).config.queue,
    ).toBe('nats://n1:4222,nats://n2:4222');
    for (const value of ['redis://h:6379', 'nats://h', 'nats://seg:hunter2@h:4222']) {
      const message = codeOf(() => loadSegConfig({ cwd: dir, env: { SEG_QUEUE: value } }));
      expect(message).toMatch(/^SEG_INVALID_ARGUMENT: invalid config: queue: must be memory or nats:/);
      expect(message).not.toContain('hunter2');
    }
  });

  it('keeps per-tenant settings under tenants.<org>, evidence retention 400 days by default', () => {
    writeFileSync(
      join(dir, 'tenants.json'),
      JSON.stringify({ tenants: { acme: { retention_days: 30 }, beta: {} } }),
    );
    const { config } = loadSegConfig({ cwd: dir, env: {}, file: 'tenants.json' });
    expect(retentionDays(config)).toEqual({ acme: 30, beta: 400 });
    writeFileSync(join(dir, 'tenants-bad.json'), JSON.stringify({ tenants: { acme: { retention: 30 } } }));
    expect(codeOf(() => loadSegConfig({ cwd: dir, env: {}, file: 'tenants-bad.json' }))).toBe(
      'SEG_INVALID_ARGUMENT: invalid config: tenants.acme: Unrecognized key: "retention"',
    );
  });
});
