// SEG on its production parts, driven through the `seg` executable as an operator would: the catalog in
// a throw-away PostgreSQL cluster, the warehouse and the evidence blobs on S3, the attestation signer and
// the evidence master key on KMS (all moto), chosen only by SEG_* settings. A 2,000-asset scan is
// committed, listed, reported, verified offline (a tampered copy fails) and re-hashed from S3, and
// pyiceberg then opens all seven tables through the PostgreSQL catalog, reading the files from S3.
// A second case scans the moto account itself with the AWS adapter on the same parts and plans, applies
// and rolls back a fix, each step in its own `seg` process, so the plan, its preview and the pre-state
// can come only from PostgreSQL and S3. moto runs with KMS DIGEST signing (real KMS signs a statement
// over 4 KiB, as this one is, only so).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Finding } from '@neurocipher/seg-contracts';
import { generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import { motoClientConfig, startMotoServer, type MotoServer } from '@neurocipher/seg-adapter-aws/testing';
import { TABLE_NAMES, parseLossless } from '@neurocipher/seg-lakehouse';
import { startPostgres, type PostgresServer } from '@neurocipher/seg-lakehouse/testing';
import { cleanEnv, segProcess } from './seg-process.ts';
import type { Seg } from './seg-process.ts';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '..', '..');
const PYTHON = process.env['SEG_PYTHON'] ?? join(repo, '.tools', 'venv', 'bin', 'python');
const BUCKET = 'seg-production';
/** A bucket of the scanned account without the deny-insecure-transport policy (CIS 2.1.1 fails). */
const PLAIN = 'seg-production-plain';
const ASSETS = 2_000;

describe('seg on PostgreSQL, S3 and KMS', () => {
  let pg: PostgresServer;
  let moto: MotoServer;
  let s3: S3Client;
  let work: string;
  let env: Record<string, string>;
  const seg = (argv: string[]): Promise<Seg> => segProcess(work, env, argv);

  beforeAll(async () => {
    [pg, moto] = await Promise.all([startPostgres(), startMotoServer({ kmsDigest: true })]);
    s3 = new S3Client(motoClientConfig(moto));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new CreateBucketCommand({ Bucket: PLAIN }));
    const kms = new KMSClient(motoClientConfig(moto));
    const signing = await kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const master = await kms.send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT' }));
    kms.destroy();
    work = mkdtempSync(join(tmpdir(), 'seg-production-'));
    await writeSnapshotFile(join(work, 'tenant.ndjson'), generateDemoTenant({ assets: ASSETS }));
    const inherited = cleanEnv();
    env = {
      ...inherited,
      SEG_HOME: join(work, 'home'),
      SEG_TENANT: 'acme',
      SEG_BUNDLES_DIR: join(repo, 'bundles'),
      SEG_TRUSTED_KEYS: join(repo, 'tools', 'bundle', 'trusted-keys.json'),
      SEG_CATALOG: pg.url,
      SEG_WAREHOUSE: `s3://${BUCKET}/warehouse`,
      SEG_BLOBS: `s3://${BUCKET}/blobs`,
      SEG_SIGNING_KEY: `awskms:${signing.KeyMetadata?.Arn}`,
      SEG_MASTER_KEY: `awskms:${master.KeyMetadata?.KeyId}`,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: moto.region,
      AWS_ACCESS_KEY_ID: moto.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: moto.credentials.secretAccessKey,
    };
  }, 180_000);

  afterAll(async () => {
    s3?.destroy();
    await Promise.all([pg?.stop(), moto?.stop()]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('scans, lists, reports and verifies, and pyiceberg reads every table from S3 through PostgreSQL', async () => {
    const scan = await seg([
      'scan',
      '--provider',
      'snapshot',
      '--snapshot',
      'tenant.ndjson',
      '--no-progress',
    ]);
    expect(scan.err).toBe('');
    expect(scan.code).toBe(0);
    const line = (name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(scan.out)?.[1] ?? '';
    expect(line('catalog')).toBe(pg.url);
    const envelope = line('attestation');
    const publicKey = line('public key');
    const runId = /seg report --html --run (\S+)/.exec(scan.out)?.[1] ?? '';
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(readFileSync(publicKey, 'utf8')).toContain('BEGIN PUBLIC KEY');

    const listed = await seg(['findings', '--format', 'json']);
    expect(listed.code).toBe(0);
    const { run: summary, findings } = JSON.parse(listed.out) as {
      run: { run_id: string; counts: Record<string, number> };
      findings: Array<{ result: string }>;
    };
    expect(summary.run_id).toBe(runId);
    const counted = Object.values(summary.counts).reduce((a, b) => a + b, 0);
    expect(findings.length).toBe(counted);
    expect(findings.filter((f) => f.result === 'fail').length).toBe(summary.counts['fail']);
    expect(summary.counts['fail']).toBeGreaterThan(0);

    const report = await seg(['report', '--html', '--out', 'report.html']);
    expect(report.code).toBe(0);
    expect(readFileSync(join(work, 'report.html'), 'utf8')).toContain(runId);

    const verified = await seg(['attest', 'verify', envelope, '--key', publicKey, '--run', runId]);
    expect([verified.code, verified.err]).toEqual([0, '']);
    expect(verified.out).toContain(`run: ${runId}`);
    expect(verified.out).toMatch(/log entry: 0 \(tree size 1, inclusion verified\)/);
    const text = readFileSync(envelope, 'utf8');
    const parsed = JSON.parse(text) as { payload: string };
    const payload = Buffer.from(parsed.payload, 'base64');
    payload[payload.length - 3] = payload[payload.length - 3]! ^ 0x01;
    writeFileSync(
      join(work, 'tampered.json'),
      JSON.stringify({ ...parsed, payload: payload.toString('base64') }),
    );
    const tampered = await seg(['attest', 'verify', 'tampered.json', '--key', publicKey]);
    expect(tampered.code).toBe(1);
    expect(tampered.err).toMatch(/^seg: SEG_ATTEST_VERIFY_FAILED: /);

    // Every table file the attestation pins, and every evidence blob, re-hashed from S3.
    const rehashed = await seg(['verify', runId]);
    expect([rehashed.code, rehashed.err]).toEqual([0, '']);
    expect(rehashed.out).toMatch(/checked: [1-9]\d* table files, [1-9]\d* evidence blobs/);

    const properties = {
      's3.endpoint': moto.endpoint,
      's3.access-key-id': moto.credentials.accessKeyId,
      's3.secret-access-key': moto.credentials.secretAccessKey,
      's3.region': moto.region,
      's3.force-virtual-addressing': 'false',
    };
    const { stdout } = await run(
      PYTHON,
      [
        join(repo, 'packages', 'lakehouse', 'test', 'pyiceberg_read.py'),
        'seg',
        pg.url.replace(/^postgresql:/, 'postgresql+psycopg2:'),
        'seg',
        ...TABLE_NAMES,
      ],
      {
        maxBuffer: 512 * 1024 * 1024,
        env: { ...process.env, SEG_PYICEBERG_PROPERTIES: JSON.stringify(properties) },
      },
    );
    const py = parseLossless(stdout) as Record<
      string,
      { row_count: number; per_org: Record<string, number> }
    >;
    expect(Object.keys(py).sort()).toEqual([...TABLE_NAMES].sort());
    expect(py['findings']?.row_count).toBe(findings.length);
    expect(py['assets']?.row_count).toBe(ASSETS);
    expect(py['runs']?.row_count).toBe(1);
    expect(py['attestations']?.row_count).toBe(1);
    expect(py['plans']?.row_count).toBe(0);
    expect(py['evidence']?.row_count).toBeGreaterThan(0);
    expect(py['controls']?.row_count).toBeGreaterThan(0);
    expect(py['findings']?.per_org).toEqual({ acme: findings.length });

    // The warehouse and the blobs are on S3, nothing of them on disk: the home holds only the envelope,
    // the embedded transparency log and the public keys; the working folder only what the test put there.
    const objects = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'blobs/' }));
    expect(objects.KeyCount).toBeGreaterThan(0);
    expect(readdirSync(join(work, 'home')).sort()).toEqual(['attestations', 'keys', 'tlog']);
    // The KMS key's public key for verifiers, and the embedded log's own Ed25519 checkpoint key.
    expect(readdirSync(join(work, 'home', 'keys')).sort()).toEqual([
      publicKey.replace(/^.*\//, ''),
      'tlog-ed25519.pem',
      'tlog-ed25519.pub',
    ]);
    expect(publicKey).toMatch(/\/keys\/awskms-arn_aws_kms_[^/]+\.pub$/);
    expect(existsSync(join(work, '.seg'))).toBe(false);
    expect(readdirSync(work).sort()).toEqual(['home', 'report.html', 'tampered.json', 'tenant.ndjson']);
  });

  // The bucket policy as moto holds it, or null when the bucket has none.
  async function bucketPolicy(bucket: string): Promise<string | null> {
    try {
      return (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? null;
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchBucketPolicy') return null;
      throw err;
    }
  }

  const blobCount = async (): Promise<number> =>
    (await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'blobs/' }))).KeyCount ?? 0;

  it('scans the AWS account and plans, applies and rolls back a fix, all on PostgreSQL, S3 and KMS', async () => {
    writeFileSync(
      join(work, 'seg.config.json'),
      JSON.stringify({ aws: { role_name: 'SegAudit', regions: [moto.region] } }),
    );
    const scan = await seg(['scan', '--provider', 'aws', '--accounts', moto.accountId, '--format', 'json']);
    expect([scan.code, scan.err]).toEqual([0, '']);
    const target = (JSON.parse(scan.out) as { findings: Finding[] }).findings.find(
      (f) => f.control_id === 'cis-storage-secure-transport' && f.asset.urn.endsWith(`:${PLAIN}`),
    );
    expect(target?.result).toBe('fail');
    expect(await bucketPolicy(PLAIN)).toBeNull();

    const planned = await seg(['plan', target!.id]);
    expect([planned.code, planned.err]).toEqual([0, '']);
    const planId = /^plan ([0-9a-f-]{36})$/m.exec(planned.out)?.[1] ?? '';
    expect(planId).not.toBe('');
    expect(planned.out).toContain('1. s3:PutBucketPolicy');

    const before = await blobCount();
    const applied = await seg(['apply', planId, '--yes']);
    expect([applied.code, applied.err]).toEqual([0, '']);
    expect(applied.out).toMatch(/apply success: plan [0-9a-f-]{36}\n {2}1\. s3:PutBucketPolicy: success/);
    expect(await bucketPolicy(PLAIN)).toContain('aws:SecureTransport');
    // The pre-state the rollback needs went to the S3 blob store.
    expect(await blobCount()).toBeGreaterThan(before);

    const rolledBack = await seg(['rollback', planId]);
    expect([rolledBack.code, rolledBack.err]).toEqual([0, '']);
    expect(rolledBack.out).toMatch(/rollback success/);
    expect(await bucketPolicy(PLAIN)).toBeNull();

    // Still nothing of the lakehouse or the blobs on disk.
    expect(existsSync(join(work, '.seg'))).toBe(false);
    expect(readdirSync(join(work, 'home')).sort()).toEqual(['attestations', 'keys', 'tlog']);
  });
});
