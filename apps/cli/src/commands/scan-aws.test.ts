import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Finding } from '@neurocipher/seg-contracts';
import { seedCisScenario, startMotoServer } from '@neurocipher/seg-adapter-aws/testing';
import type { CisSeed, MotoServer } from '@neurocipher/seg-adapter-aws/testing';
import { runCli } from '../cli/run-cli.ts';

const repo = resolve(import.meta.dirname, '..', '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'seg-cli-aws-'));
let moto: MotoServer;
let seed: CisSeed;
const saved = { ...process.env };

beforeAll(async () => {
  moto = await startMotoServer({ loadManagedPolicies: true });
  seed = await seedCisScenario(moto);
  // The SDK's default credential chain reads the process environment (the simulator's test principal).
  process.env['AWS_ACCESS_KEY_ID'] = moto.credentials.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] = moto.credentials.secretAccessKey;
  process.env['AWS_REGION'] = moto.region;
  writeFileSync(
    join(dir, 'seg.config.json'),
    JSON.stringify({
      bundles_dir: join(repo, 'bundles'),
      trusted_keys: join(repo, 'tools/bundle/trusted-keys.json'),
      aws: { role_name: 'SegAudit', regions: [moto.region] },
    }),
  );
}, 120_000);
afterAll(async () => {
  process.env = saved;
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('seg scan --provider aws', () => {
  it('scans the simulated account through AWS_ENDPOINT_URL and finds the seeded failing bucket', async () => {
    let out = '';
    let err = '';
    const code = await runCli(
      [
        'scan',
        '--provider',
        'aws',
        '--accounts',
        seed.account_id,
        '--format',
        'json',
        '--no-attest',
        '--fail-on',
        'high',
      ],
      {
        stdout: { write: (t: string) => (out += t) },
        stderr: { write: (t: string) => (err += t) },
        env: { AWS_ENDPOINT_URL: moto.endpoint },
        cwd: dir,
      },
    );
    expect(err).toBe('');
    const { findings } = JSON.parse(out) as { findings: Finding[] };
    const bucket = (name: string, control: string): Finding | undefined =>
      findings.find((f) => f.control_id === control && f.asset.urn.includes(name));
    expect(bucket(seed.buckets.fail, 'cis-storage-secure-transport')?.result).toBe('fail');
    expect(bucket(seed.buckets.pass, 'cis-storage-secure-transport')?.result).toBe('pass');
    expect(code).toBe(
      findings.some((f) => f.result === 'fail' && ['critical', 'high'].includes(f.severity)) ? 1 : 0,
    );
  }, 120_000);
});
