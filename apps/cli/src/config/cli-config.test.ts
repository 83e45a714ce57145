import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import { loadCliConfig } from './cli-config.ts';

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

describe('loadCliConfig', () => {
  it('defaults to the embedded lakehouse under ./.seg with absolute paths', () => {
    const { config, file } = loadCliConfig({ cwd: dir, env: {} });
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
    const { config } = loadCliConfig({ cwd: dir, env: { SEG_CONFIG: cfg } });
    expect(config.bundle_signing_key).toBe(join(dir, 'keys/release.pem'));
  });

  it('layers seg.config.json, then SEG_* and AWS_* variables, then command-line overrides', () => {
    writeFileSync(
      join(dir, 'seg.config.json'),
      JSON.stringify({ tenant: 'file-org', bundle: 'b1', aws: { regions: ['eu-west-1'] } }),
    );
    const { config, file } = loadCliConfig({
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
      loadCliConfig({
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
    expect(codeOf(() => loadCliConfig({ cwd: dir, env: {}, file: 'missing.json' }))).toContain(
      'cannot be read',
    );
    writeFileSync(join(dir, 'bad.json'), '[1]');
    expect(codeOf(() => loadCliConfig({ cwd: dir, env: { SEG_CONFIG: 'bad.json' } }))).toContain(
      'not a JSON object',
    );
  });

  it('is strict inside the aws block: an unknown key is refused by name', () => {
    writeFileSync(join(dir, 'aws-typo.json'), JSON.stringify({ aws: { region: ['eu-west-1'] } }));
    expect(codeOf(() => loadCliConfig({ cwd: dir, env: {}, file: 'aws-typo.json' }))).toBe(
      'SEG_INVALID_ARGUMENT: invalid config: aws: Unrecognized key: "region"',
    );
    writeFileSync(join(dir, 'aws-string.json'), JSON.stringify({ aws: 'eu-west-1' }));
    expect(codeOf(() => loadCliConfig({ cwd: dir, env: {}, file: 'aws-string.json' }))).toBe(
      'SEG_INVALID_ARGUMENT: invalid config: aws: must be an object',
    );
  });

  it('accepts tenant ids of the grammar and refuses the others at config load', () => {
    for (const tenant of ['demo', 'acme-prod', 'Org_1.eu', 'a', 'x'.repeat(128)])
      expect(loadCliConfig({ cwd: dir, env: { SEG_TENANT: tenant } }).config.tenant).toBe(tenant);
    for (const tenant of ['acme/prod', '../x', '.hidden', '-x', 'a b', 'tab\tx', 'ünï', 'x'.repeat(129)])
      expect(codeOf(() => loadCliConfig({ cwd: dir, env: {}, overrides: { tenant } }))).toBe(
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
      expect(loadCliConfig({ cwd: dir, env: {}, overrides: { bundle } }).config.bundle).toBe(bundle);
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
      expect(codeOf(() => loadCliConfig({ cwd: dir, env: { SEG_BUNDLE: bundle } }))).toMatch(
        /^SEG_INVALID_ARGUMENT: invalid config: bundle: must be <id> or <id>@<version>/,
      );
  });

  it('takes the snapshot line limit from the file or SEG_SNAPSHOT_MAX_LINE_BYTES, 64 MiB by default', () => {
    expect(loadCliConfig({ cwd: dir, env: {} }).config.snapshot_max_line_bytes).toBe(64 * 1024 * 1024);
    writeFileSync(join(dir, 'lines.json'), JSON.stringify({ snapshot_max_line_bytes: 4096 }));
    expect(loadCliConfig({ cwd: dir, env: {}, file: 'lines.json' }).config.snapshot_max_line_bytes).toBe(
      4096,
    );
    const env = { SEG_SNAPSHOT_MAX_LINE_BYTES: '1000' };
    expect(loadCliConfig({ cwd: dir, env }).config.snapshot_max_line_bytes).toBe(1000);
    for (const bad of ['0', '1e3', String(2 ** 30)]) {
      expect(codeOf(() => loadCliConfig({ cwd: dir, env: { SEG_SNAPSHOT_MAX_LINE_BYTES: bad } }))).toMatch(
        /^SEG_INVALID_ARGUMENT: invalid config: snapshot_max_line_bytes: /,
      );
    }
  });
});
