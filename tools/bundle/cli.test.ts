import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const repo = resolve(dirname(new URL(import.meta.url).pathname), '../..');

function cli(...args: string[]): { status: number; out: string } {
  const r = spawnSync(
    process.execPath,
    ['--conditions=@neurocipher/source', join(repo, 'tools/bundle/cli.ts'), ...args],
    { encoding: 'utf8', cwd: repo },
  );
  return { status: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

describe('bundle CLI', () => {
  let tmp: string;
  let keyFile: string;
  let trustedFile: string;

  function copy(name: string): string {
    const dir = join(tmp, name);
    cpSync(join(repo, 'bundles/seg-custom'), dir, { recursive: true });
    return dir;
  }

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'seg-bundle-cli-'));
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    keyFile = join(tmp, 'key.pem');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    trustedFile = join(tmp, 'trusted.json');
    writeFileSync(
      trustedFile,
      JSON.stringify({
        keys: [{ label: 'test', public_key: publicKey.export({ type: 'spki', format: 'pem' }) }],
      }),
    );
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('check refuses a policy that calls a forbidden built-in, naming each call', () => {
    const dir = copy('forbidden');
    const path = join(dir, 'policies/seg_bucket_approved_region.rego');
    const calls = {
      'time.now_ns': 'time.now_ns()',
      'http.send': 'http.send({"method": "GET", "url": "http://127.0.0.1"})',
      'rand.intn': 'rand.intn("x", 10)',
      'uuid.rfc4122': 'uuid.rfc4122("x")',
      'opa.runtime': 'opa.runtime()',
      'net.lookup_ip_addr': 'net.lookup_ip_addr("example.com")',
    };
    const original = readFileSync(
      join(repo, 'bundles/seg-custom/policies/seg_bucket_approved_region.rego'),
      'utf8',
    );
    writeFileSync(
      path,
      `${original}\n${Object.values(calls)
        .map((c, i) => `_sneaky${i} := ${c}\n`)
        .join('\n')}`,
    );
    const r = cli('check', dir);
    expect(r.status).toBe(1);
    expect(r.out).toContain('SEG_POLICY_LOAD_FAILED');
    for (const name of Object.keys(calls)) expect(r.out).toContain(`undefined function ${name}`);
    // The same policy without the calls passes: it is the built-ins that fail it.
    writeFileSync(path, original);
    expect(cli('check', dir)).toMatchObject({ status: 0 });
  });

  it('fmt flags an unformatted policy', () => {
    const dir = copy('unformatted');
    const path = join(dir, 'policies/seg_access_key_max_age.rego');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/\t/g, '    '));
    const r = cli('fmt', dir);
    expect(r.status).toBe(1);
    expect(r.out).toContain('SEG_SCHEMA_VIOLATION');
    expect(r.out).toContain('seg_access_key_max_age.rego');
  });

  it('test fails when a vector does not hold, naming it', () => {
    const dir = copy('wrong-vector');
    const path = join(dir, 'tests/seg-instance-imds-hop-limit.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.vectors[1].expected.result = 'pass';
    writeFileSync(path, JSON.stringify(file));
    const r = cli('test', dir);
    expect(r.status).toBe(1);
    expect(r.out).toContain('SEG_POLICY_LOAD_FAILED');
    expect(r.out).toContain('wasm: seg-instance-imds-hop-limit / hop limit 2 fails: expected pass, got fail');
    expect(r.out).toContain('opa test: data.seg.vectors.seg_instance_imds_hop_limit_test.test_expect_1');
  });

  it('signs with a given key, verifies against trusted keys, and refuses a tampered or untrusted bundle', () => {
    const dir = copy('signed');
    expect(cli('sign', dir, '--key', keyFile)).toMatchObject({ status: 0 });
    expect(cli('verify', dir, '--trusted-keys', trustedFile)).toMatchObject({ status: 0 });
    const untrusted = cli('verify', dir);
    expect(untrusted.status).toBe(1);
    expect(untrusted.out).toContain(
      'SEG_POLICY_LOAD_FAILED: bundle (unnamed): bundle is signed by a key that is not trusted',
    );
    writeFileSync(join(dir, 'data/extra.json'), '{"seg": {}}');
    const added = cli('verify', dir, '--trusted-keys', trustedFile);
    expect(added.status).toBe(1);
    expect(added.out).toContain('data/extra.json is not listed in CHECKSUMS');
  });

  it('exits non-zero with SEG_INVALID_ARGUMENT on bad usage', () => {
    const r = cli('frobnicate', join(repo, 'bundles/seg-custom'));
    expect(r.status).toBe(1);
    expect(r.out).toContain('SEG_INVALID_ARGUMENT: unknown verb frobnicate');
  });
});
