import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSegError, type SegError } from '@neurocipher/seg-contracts';
import { BundleBuilder, loadBundleSource, signingKeyId, type BundleProgress } from './bundle-builder.ts';
import { OpaCli } from './opa-cli.ts';
import { readTarGz } from './tar.ts';
import { bundlesRoot, newKey, signDir, tempRoot, type TestKey } from '../../../test/helpers.ts';

// The real opa CLI, as tools/jest provides it (tools/env.sh sets SEG_OPA); no fallback, no skip.
function opaFromEnv(): OpaCli {
  const binary = process.env.SEG_OPA;
  if (!binary)
    throw new Error(
      'SEG_OPA is not set: run the tests through tools/jest (bash tools/bootstrap installs opa)',
    );
  return new OpaCli({ binary });
}

async function thrown(promise: Promise<unknown>): Promise<SegError> {
  try {
    await promise;
  } catch (error) {
    if (isSegError(error)) return error;
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('BundleBuilder', () => {
  const root = tempRoot('seg-bundle-builder-');
  let opa: OpaCli;
  let key: TestKey;

  /** A fresh copy of the committed seg-custom bundle (never the committed folder itself). */
  function copy(name: string): string {
    const dir = join(root.path, name);
    cpSync(join(bundlesRoot, 'seg-custom'), dir, { recursive: true });
    return dir;
  }

  beforeAll(() => {
    opa = opaFromEnv();
    key = newKey();
  });
  afterAll(() => root.dispose());

  describe('#build', () => {
    it('runs every gate, reports progress in order and writes the same wasm as the committed one', async () => {
      const dir = copy('ok');
      rmSync(join(dir, 'build'), { recursive: true });
      const events: BundleProgress[] = [];
      const report = await new BundleBuilder({ opa, onProgress: (e) => events.push(e) }).build(dir);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.bundle).toEqual({ id: 'seg-custom', version: '1.0.0' });
      expect(report.vectors.total).toBeGreaterThanOrEqual(9);
      expect(report.vectors.passed).toBe(report.vectors.total);
      // expect + parity per vector
      expect(report.opaTests).toEqual({ passed: 2 * report.vectors.total, total: 2 * report.vectors.total });
      expect(events.map((e) => e.step)).toEqual([
        'opa',
        'fmt',
        'check',
        'compile',
        'vectors',
        'opa-test',
        'write',
      ]);
      expect(events[0]?.message).toContain('1.22.3');
      // opa build is deterministic: the committed, signed wasm is what these sources compile to.
      expect(
        Buffer.compare(
          readFileSync(join(dir, 'build/policy.wasm')),
          readFileSync(join(bundlesRoot, 'seg-custom/build/policy.wasm')),
        ),
      ).toBe(0);
      expect(report.wasm).toMatchObject({ path: join(dir, 'build/policy.wasm'), entrypoints: 4 });
    });

    it('names the control and vector of a failing vector on both engines, and writes no wasm', async () => {
      const dir = copy('wrong-vector');
      rmSync(join(dir, 'build'), { recursive: true });
      const path = join(dir, 'tests/seg-bucket-approved-region.json');
      const file = JSON.parse(readFileSync(path, 'utf8')) as {
        vectors: Array<{ name: string; expected: { result: string } }>;
      };
      const vector = file.vectors[3]!; // 'provider without a table fails'
      vector.expected.result = 'pass';
      writeFileSync(path, JSON.stringify(file));
      const report = await new BundleBuilder({ opa }).build(dir);
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([
        {
          step: 'vectors',
          control_id: 'seg-bucket-approved-region',
          vector: vector.name,
          message: expect.stringContaining('expected pass, got fail'),
        },
        {
          step: 'opa-test',
          control_id: 'seg-bucket-approved-region',
          vector: vector.name,
          message: expect.stringMatching(/test_expect_3: the expected result does not hold under topdown$/),
        },
      ]);
      expect(report.vectors.passed).toBe(report.vectors.total - 1);
      expect(report.wasm).toBeUndefined();
      expect(existsSync(join(dir, 'build/policy.wasm'))).toBe(false);
    });

    it('stops at the strict check when a policy calls a forbidden built-in', async () => {
      const dir = copy('forbidden');
      const path = join(dir, 'policies/seg_bucket_approved_region.rego');
      writeFileSync(path, `${readFileSync(path, 'utf8')}\n_sneaky := time.now_ns()\n`);
      const events: BundleProgress[] = [];
      const report = await new BundleBuilder({ opa, onProgress: (e) => events.push(e) }).build(dir);
      expect(report.ok).toBe(false);
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0]).toMatchObject({ step: 'check' });
      expect(report.problems[0]?.message).toContain('undefined function time.now_ns');
      // opa names the file relative to the bundle, not a temp path.
      expect(report.problems[0]?.message).toContain('policies/seg_bucket_approved_region.rego');
      expect(report.problems[0]?.message).not.toContain('seg-bundle-stage-');
      expect(events.map((e) => e.step)).toEqual(['opa', 'fmt']);
    });

    it('reports an unformatted policy by name and a layout problem', async () => {
      const dir = copy('unformatted');
      const policy = join(dir, 'policies/seg_access_key_max_age.rego');
      writeFileSync(policy, readFileSync(policy, 'utf8').replace(/\t/g, '    '));
      rmSync(join(dir, 'tests/seg-bucket-approved-region.json'));
      const report = await new BundleBuilder({ opa }).build(dir);
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([
        {
          step: 'fmt',
          message: 'not formatted (opa fmt would change them): policies/seg_access_key_max_age.rego',
        },
        {
          step: 'check',
          message:
            'bundle structure: control seg-bucket-approved-region: tests/seg-bucket-approved-region.json needs at least 3 vectors',
        },
      ]);
    });

    it('turns an invalid data file into a problem rather than a crash', async () => {
      const dir = copy('bad-data');
      writeFileSync(join(dir, 'data/extra.json'), '{"other": {}}');
      const report = await new BundleBuilder({ opa }).build(dir);
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([
        { step: 'check', message: 'data file data/extra.json must be an object {"seg": {...}}' },
      ]);
    });

    it('throws SEG_INVALID_ARGUMENT for a folder that is not a bundle', async () => {
      const error = await thrown(new BundleBuilder({ opa }).build(root.path));
      expect(error.error_code).toBe('SEG_INVALID_ARGUMENT');
      expect(error.message).toContain('is not a bundle directory (no manifest.json)');
    });
  });

  describe('#sign and #verify', () => {
    it('signs a bundle that then verifies with the matching key only, and refuses tampering', async () => {
      const dir = copy('signed');
      const events: BundleProgress[] = [];
      const builder = new BundleBuilder({ opa, onProgress: (e) => events.push(e) });
      const signed = await builder.sign(dir, { privateKeyPem: key.privatePem });
      expect(signed.keyId).toBe(key.trusted.keyid);
      expect(signed.files).toBe(9);
      // The private key never reaches progress output.
      const pemBody = key.privatePem.split('\n')[1]!;
      expect(JSON.stringify(events)).not.toContain(pemBody);
      expect(events.map((e) => e.step)).toEqual(['write', 'sign']);

      const verified = await builder.verify(dir, [key.trusted]);
      expect(verified.manifest.id).toBe('seg-custom');
      expect(verified.signer.keyid).toBe(key.trusted.keyid);

      const other = await thrown(builder.verify(dir, [newKey().trusted]));
      expect(other.error_code).toBe('SEG_POLICY_LOAD_FAILED');
      expect(other.message).toContain('not trusted');

      const policy = join(dir, 'policies/seg_access_key_max_age.rego');
      writeFileSync(policy, `${readFileSync(policy, 'utf8')}# tampered\n`);
      const tampered = await thrown(builder.verify(dir, [key.trusted]));
      expect(tampered.error_code).toBe('SEG_POLICY_LOAD_FAILED');
      expect(tampered.message).toContain(
        'file policies/seg_access_key_max_age.rego does not match its checksum',
      );
    });

    it('verify refuses a signed wasm that the signed sources do not compile to', async () => {
      const dir = copy('stale-wasm');
      cpSync(join(bundlesRoot, 'cis-aws-foundations/build/policy.wasm'), join(dir, 'build/policy.wasm'));
      await signDir(dir, key);
      const error = await thrown(new BundleBuilder({ opa }).verify(dir, [key.trusted]));
      expect(error.error_code).toBe('SEG_POLICY_LOAD_FAILED');
      expect(error.message).toContain('build/policy.wasm is not what the signed sources compile to');
    });

    it('refuses a key that is not an Ed25519 private key before running opa, without echoing it', async () => {
      const dir = copy('bad-key');
      const before = readFileSync(join(dir, 'SIGNATURE'), 'utf8');
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
      const notPem = 'not a key: s3cr3t-material';
      // An opa that cannot run proves the key is checked first.
      const builder = new BundleBuilder({ opa: new OpaCli({ binary: join(root.path, 'no-opa') }) });
      const wrongType = await thrown(builder.sign(dir, { privateKeyPem: rsa }));
      expect(wrongType).toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
      expect(wrongType.message).toBe('the bundle signing key is rsa, not ed25519');
      const garbage = await thrown(builder.sign(dir, { privateKeyPem: notPem }));
      expect(garbage.message).toBe('the bundle signing key is not a PEM private key');
      expect(JSON.stringify(garbage.details)).not.toContain('s3cr3t');
      expect(readFileSync(join(dir, 'SIGNATURE'), 'utf8')).toBe(before);
      expect(signingKeyId(key.privatePem)).toBe(key.trusted.keyid);
    });
  });

  describe('#opaBundle', () => {
    it("writes an OPA bundle signed in OPA's own format", async () => {
      const dir = copy('opa-format');
      const keyFile = join(root.path, 'opa-key.pem');
      writeFileSync(keyFile, key.privatePem);
      const out = join(root.path, 'bundle.tar.gz');
      await new BundleBuilder({ opa }).opaBundle(dir, { out, signingKeyFile: keyFile });
      const members = readTarGz(readFileSync(out));
      expect([...members.keys()].sort()).toEqual([
        '.manifest',
        '.signatures.json',
        'data.json',
        'policies/seg_access_key_max_age.rego',
        'policies/seg_bucket_approved_region.rego',
        'policies/seg_instance_imds_hop_limit.rego',
        'seg/aggregate.rego',
      ]);
      const jws = (
        JSON.parse(new TextDecoder().decode(members.get('.signatures.json'))) as { signatures: string[] }
      ).signatures[0]!;
      const header = JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString()) as { alg: string };
      expect(header.alg).toBe('EdDSA');
    });
  });

  describe('a gates bundle', () => {
    function gatesCopy(name: string): string {
      const dir = join(root.path, name);
      cpSync(join(bundlesRoot, 'seg-gates'), dir, { recursive: true });
      return dir;
    }

    it('builds (every vector on both engines), signs and verifies like a control bundle', async () => {
      const dir = gatesCopy('gates-ok');
      rmSync(join(dir, 'build'), { recursive: true });
      const events: BundleProgress[] = [];
      const builder = new BundleBuilder({ opa, onProgress: (e) => events.push(e) });
      const report = await builder.build(dir);
      expect(report.problems).toEqual([]);
      expect(report.bundle).toEqual({ id: 'seg-gates', version: '1.0.0' });
      expect(report.vectors.total).toBeGreaterThanOrEqual(40);
      expect(report.vectors.passed).toBe(report.vectors.total);
      expect(report.opaTests).toEqual({ passed: 2 * report.vectors.total, total: 2 * report.vectors.total });
      expect(report.wasm).toMatchObject({ entrypoints: 1 });
      expect(events.find((e) => e.step === 'check')?.message).toBe(
        'the gates policy compiles under the restricted capabilities',
      );
      expect(
        Buffer.compare(
          readFileSync(join(dir, 'build/policy.wasm')),
          readFileSync(join(bundlesRoot, 'seg-gates/build/policy.wasm')),
        ),
      ).toBe(0);
      await builder.sign(dir, { privateKeyPem: key.privatePem });
      const verified = await builder.verify(dir, [key.trusted]);
      expect(verified.manifest).toMatchObject({
        kind: 'gates',
        entrypoint: 'seg/gates/decision',
        controls: [],
      });
    });

    it('names the file and vector of a failing gates vector on both engines', async () => {
      const dir = gatesCopy('gates-wrong-vector');
      const path = join(dir, 'tests/phases.json');
      const file = JSON.parse(readFileSync(path, 'utf8')) as {
        vectors: Array<{ name: string; expected: { allow: boolean; deny: string[] } }>;
      };
      const vector = file.vectors[0]!; // 'phase 0 refuses plan'
      vector.expected = { ...vector.expected, allow: true, deny: [] };
      writeFileSync(path, JSON.stringify(file));
      const report = await new BundleBuilder({ opa }).test(await loadBundleSource(dir));
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([
        {
          step: 'vectors',
          vector: vector.name,
          message: expect.stringContaining(`tests/phases.json / ${vector.name}: expected {"allow":true`),
        },
        {
          step: 'opa-test',
          vector: vector.name,
          message: expect.stringMatching(
            /gates_phases_test\.test_expect_0: the expected result does not hold under topdown$/,
          ),
        },
      ]);
      expect(report.gateVectors.filter((o) => !o.ok)).toHaveLength(1);
      expect(report.vectors).toEqual([]);
    });

    it('reports a policy outside package seg.gates and a vector set without a refused case', async () => {
      const dir = gatesCopy('gates-structure');
      writeFileSync(join(dir, 'policies/extra.rego'), 'package seg.other\n\nx := 1\n');
      const path = join(dir, 'tests/phases.json');
      const file = JSON.parse(readFileSync(path, 'utf8')) as {
        vectors: Array<{ expected: { allow: boolean } }>;
      };
      writeFileSync(path, JSON.stringify({ ...file, vectors: file.vectors.filter((v) => v.expected.allow) }));
      rmSync(join(dir, 'tests/approvals.json'));
      rmSync(join(dir, 'tests/invalid.json'));
      const report = await new BundleBuilder({ opa }).check(await loadBundleSource(dir));
      expect(report.problems.map((p) => p.message)).toEqual([
        'bundle structure: policies/extra.rego must declare package seg.gates (or a package below it)',
        'bundle structure: gates vectors need an allowed and a refused case',
      ]);
    });
  });

  describe('loadBundleSource', () => {
    it('reads the files and manifest of a bundle folder', async () => {
      const source = await loadBundleSource(join(bundlesRoot, 'seg-custom'));
      expect(source.manifest.controls.map((c) => c.id)).toContain('seg-access-key-max-age');
      expect(source.files.has('build/policy.wasm')).toBe(true);
    });
  });
});

describe('OpaCli', () => {
  it('names the binary and the hint when opa cannot be started', async () => {
    const cli = new OpaCli({ binary: '/nonexistent/opa', missingHint: 'set SEG_OPA' });
    const error = await thrown(cli.version());
    expect(error.error_code).toBe('SEG_INVALID_ARGUMENT');
    expect(error.message).toBe('cannot run the opa CLI "/nonexistent/opa" (ENOENT): set SEG_OPA');
    expect(error.details).toMatchObject({ binary: '/nonexistent/opa', opa_unavailable: true });
  });

  it('refuses an empty binary path', () => {
    expect(() => new OpaCli({ binary: ' ' })).toThrow('the opa binary path is empty');
  });

  it('restricts the capabilities of the real opa, once per instance', async () => {
    const cli = opaFromEnv();
    const caps = await cli.restrictedCapabilities();
    const names = caps.builtins.map((b) => b.name);
    expect(names).toContain('time.parse_rfc3339_ns');
    for (const banned of [
      'time.now_ns',
      'http.send',
      'rand.intn',
      'uuid.rfc4122',
      'net.lookup_ip_addr',
      'opa.runtime',
    ])
      expect(names).not.toContain(banned);
    expect(await cli.restrictedCapabilities()).toBe(caps);
  });

  it('#must throws the given code with opa output on a non-zero exit', async () => {
    const error = await thrown(
      opaFromEnv().must(['eval', '--format', 'json', '1 +'], 'SEG_POLICY_LOAD_FAILED', 'opa eval'),
    );
    expect(error.error_code).toBe('SEG_POLICY_LOAD_FAILED');
    expect(error.message).toMatch(/^opa eval failed:\n/);
  });
});
