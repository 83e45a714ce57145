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
});
