import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runSeg } from '../testing/run-seg.ts';
import type { SegRun } from '../testing/run-seg.ts';

const repo = resolve(import.meta.dirname, '..', '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'seg-bundle-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The real opa CLI, as tools/jest provides it (tools/env.sh sets SEG_OPA); no fallback, no skip.
function opaBinary(): string {
  const binary = process.env.SEG_OPA;
  if (!binary)
    throw new Error(
      'SEG_OPA is not set: run the tests through tools/jest (bash tools/bootstrap installs opa)',
    );
  return binary;
}

const seg = (env: Record<string, string | undefined>, ...argv: string[]): Promise<SegRun> =>
  runSeg(dir, argv, { SEG_OPA: opaBinary(), ...env });

/** A fresh copy of the committed seg-custom bundle: the committed folder is never written. */
function copy(name: string): string {
  const target = join(dir, name);
  cpSync(join(repo, 'bundles/seg-custom'), target, { recursive: true });
  return target;
}

describe('seg bundle', () => {
  let privatePem: string;

  beforeAll(() => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(join(dir, 'bundle-key.pem'), privatePem, { mode: 0o600 });
    // Only the test key is trusted: a bundle verifies only once this test signed it.
    writeFileSync(
      join(dir, 'trusted.json'),
      JSON.stringify({
        keys: [{ label: 'test', public_key: publicKey.export({ type: 'spki', format: 'pem' }) }],
      }),
    );
    writeFileSync(join(dir, 'seg.config.json'), JSON.stringify({ trusted_keys: 'trusted.json' }));
  });

  describe('build', () => {
    it('runs every gate with progress lines and writes the wasm', async () => {
      const bundle = copy('built');
      rmSync(join(bundle, 'build'), { recursive: true });
      const r = await seg({}, 'bundle', 'build', 'built');
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const lines = r.out.trim().split('\n');
      expect(lines.map((l) => l.split(':')[0])).toEqual([
        'opa',
        'fmt',
        'check',
        'compile',
        'vectors',
        'opa-test',
        'write',
        'built',
      ]);
      expect(r.out).toContain('vectors: wasm engine: 16/16 vectors pass');
      expect(r.out).toContain('opa-test: 32/32 (expect + parity with wasm) pass');
      expect(lines.at(-1)).toBe('built: seg-custom@1.0.0: 16 vectors and 32 opa tests pass');
      expect(
        Buffer.compare(
          readFileSync(join(bundle, 'build/policy.wasm')),
          readFileSync(join(repo, 'bundles/seg-custom/build/policy.wasm')),
        ),
      ).toBe(0);
    });

    it('exits 1 naming the control and vector that fail, writes no wasm, and sign refuses the bundle', async () => {
      const bundle = copy('broken-vector');
      rmSync(join(bundle, 'build'), { recursive: true });
      const path = join(bundle, 'tests/seg-bucket-approved-region.json');
      const file = JSON.parse(readFileSync(path, 'utf8')) as {
        vectors: Array<{ name: string; expected: { result: string } }>;
      };
      file.vectors[3]!.expected.result = 'pass';
      writeFileSync(path, JSON.stringify(file));
      const r = await seg({}, 'bundle', 'build', 'broken-vector');
      expect(r.code).toBe(1);
      expect(r.out).toContain(
        'FAIL vectors seg-bucket-approved-region / provider without a table fails: expected pass, got fail',
      );
      expect(r.out).toMatch(
        /^FAIL opa-test seg-bucket-approved-region \/ provider without a table fails: .*test_expect_3: /m,
      );
      expect(r.out).toContain('build failed: seg-custom@1.0.0: 2 problem(s); build/policy.wasm not written');
      expect(existsSync(join(bundle, 'build/policy.wasm'))).toBe(false);

      const signature = readFileSync(join(bundle, 'SIGNATURE'), 'utf8');
      const sign = await seg({}, 'bundle', 'sign', 'broken-vector', '--key', 'bundle-key.pem');
      expect(sign.code).toBe(1);
      expect(sign.out).toContain(
        'sign refused: seg-custom@1.0.0 does not build (2 problem(s)); nothing signed',
      );
      expect(readFileSync(join(bundle, 'SIGNATURE'), 'utf8')).toBe(signature);
    });

    it('exits 2 with one line naming SEG_OPA and the bootstrap when opa cannot run', async () => {
      copy('no-opa');
      const r = await seg({ SEG_OPA: join(dir, 'missing-opa') }, 'bundle', 'build', 'no-opa');
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(
        /^seg: SEG_INVALID_ARGUMENT: cannot run the opa CLI ".*missing-opa" \(ENOENT\): /,
      );
      expect(r.err).toContain('set SEG_OPA to the opa v1.22.3 binary, or run: bash tools/bootstrap');
    });

    it('exits 2 for a folder that is not a bundle', async () => {
      const r = await seg({}, 'bundle', 'build', '.');
      expect(r.code).toBe(2);
      expect(r.err).toBe(`seg: SEG_INVALID_ARGUMENT: ${dir} is not a bundle folder (no manifest.json)\n`);
    });
  });

  describe('sign and verify', () => {
    it('signs a built bundle that verifies with the matching trusted key, and rejects a tampered file', async () => {
      const bundle = copy('signed');
      const before = await seg({}, 'bundle', 'verify', 'signed');
      expect(before.code).toBe(1); // still signed by the repository key, which this config does not trust
      expect(before.err).toContain('bundle is signed by a key that is not trusted');

      const sign = await seg({}, 'bundle', 'sign', 'signed', '--key', 'bundle-key.pem');
      expect(sign.err).toBe('');
      expect(sign.code).toBe(0);
      expect(sign.out).toMatch(/^sign: CHECKSUMS \(9 files\) and SIGNATURE \(key [0-9a-f]{64}\)$/m);
      expect(sign.out).toMatch(/^signed: seg-custom@1\.0\.0: 9 files, key [0-9a-f]{64}$/m);
      // The private key is never printed.
      expect(sign.out + sign.err).not.toContain(privatePem.split('\n')[1]);

      const verify = await seg({}, 'bundle', 'verify', 'signed', '--reproduce');
      expect(verify.err).toBe('');
      expect(verify.code).toBe(0);
      expect(verify.out).toMatch(
        /^verified: seg-custom@1\.0\.0, 3 controls, 9 files, digest [0-9a-f]{64}, signed by "test", build\/policy\.wasm reproduces$/m,
      );

      const data = join(bundle, 'data/approved_regions.json');
      writeFileSync(data, readFileSync(data, 'utf8').replace('eu-west-1', 'eu-west-9'));
      const tampered = await seg({}, 'bundle', 'verify', 'signed');
      expect(tampered.code).toBe(1);
      expect(tampered.out).toBe('');
      expect(tampered.err).toBe(
        'seg: SEG_POLICY_LOAD_FAILED: bundle (unnamed): file data/approved_regions.json does not match its checksum\n',
      );
    });

    it('takes the key from SEG_BUNDLE_SIGNING_KEY, and exits 2 with one line when there is none', async () => {
      const bundle = copy('env-key');
      const missing = await seg({}, 'bundle', 'sign', 'env-key');
      expect(missing.code).toBe(2);
      expect(missing.out).toBe('');
      expect(missing.err).toBe(
        'seg: SEG_INVALID_ARGUMENT: seg bundle sign needs an Ed25519 private key: --key <pkcs8.pem>, SEG_BUNDLE_SIGNING_KEY=<file> or bundle_signing_key in the config file\n',
      );
      const unreadable = await seg({}, 'bundle', 'sign', 'env-key', '--key', 'nope.pem');
      expect(unreadable.code).toBe(2);
      expect(unreadable.err).toBe(
        `seg: SEG_INVALID_ARGUMENT: bundle signing key ${join(dir, 'nope.pem')} cannot be read: no such file or directory (ENOENT)\n`,
      );
      writeFileSync(join(dir, 'not-a-key.pem'), 'hunter2');
      const garbage = await seg({}, 'bundle', 'sign', 'env-key', '--key', 'not-a-key.pem');
      expect(garbage.code).toBe(2);
      expect(garbage.err).not.toContain('hunter2');
      expect(garbage.err).toContain('the bundle signing key is not a PEM private key');

      const signed = await seg({ SEG_BUNDLE_SIGNING_KEY: 'bundle-key.pem' }, 'bundle', 'sign', 'env-key');
      expect(signed.code).toBe(0);
      expect((await seg({}, 'bundle', 'verify', 'env-key')).code).toBe(0);
      expect(readFileSync(join(bundle, 'CHECKSUMS'), 'utf8')).toContain('  build/policy.wasm\n');
    });
  });

  it('tests the committed signed gates bundle: every decision vector passes', async () => {
    const r = await seg(
      { SEG_TRUSTED_KEYS: join(repo, 'tools', 'bundle', 'trusted-keys.json') },
      'bundle',
      'test',
      join(repo, 'bundles', 'seg-gates'),
    );
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toMatch(/^(\d+) passed, 0 failed\n$/);
    expect(Number(/^(\d+) passed/.exec(r.out)?.[1])).toBeGreaterThanOrEqual(40);
  });

  it('has help with an example for build and sign', async () => {
    for (const verb of ['build', 'sign']) {
      const r = await seg({}, 'bundle', verb, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Example:\n  seg bundle ${verb} bundles/seg-custom`);
    }
  });
});
