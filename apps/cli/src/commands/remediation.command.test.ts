import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { parseApplyResult, parseRemediationPlan, parseRollbackResult } from '@neurocipher/seg-contracts';
import type { Finding } from '@neurocipher/seg-contracts';
import {
  denyInsecureTransportPolicy,
  motoClientConfig,
  startMotoServer,
} from '@neurocipher/seg-adapter-aws/testing';
import type { MotoServer } from '@neurocipher/seg-adapter-aws/testing';
import { fromRow, openEmbeddedLakehouse } from '@neurocipher/seg-lakehouse';
import { runSeg } from '../testing/run-seg.ts';

const repo = resolve(import.meta.dirname, '..', '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'seg-cli-remediation-'));
const FAILING = 'seg-cli-plain-bucket';
const PASSING = 'seg-cli-https-only-bucket';
const PUBLIC = 'seg-cli-public-bucket';
const saved = { ...process.env };
let moto: MotoServer;
let s3: S3Client;
let findings: Finding[];

const segAt = (endpoint: string, argv: string[]) => runSeg(dir, argv, { AWS_ENDPOINT_URL: endpoint });

const seg = (...argv: string[]) => segAt(moto.endpoint, argv);

/** Runs `seg` in its own Node process (apps/cli/bin/seg.js), sharing only the files under `dir`. */
function segProcess(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const bin = join(repo, 'apps', 'cli', 'bin', 'seg.js');
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...argv],
      { cwd: dir, env: { ...process.env, AWS_ENDPOINT_URL: moto.endpoint }, timeout: 60_000 },
      (error, out, err) => done({ code: error ? Number(error.code ?? 2) : 0, out, err }),
    );
  });
}

/** A proxy in front of moto that answers 500 to every S3 DeleteBucketPolicy (`DELETE /<bucket>?policy`). */
async function failingDeletePolicyProxy(): Promise<{ endpoint: string; server: Server }> {
  const target = new URL(moto.endpoint);
  const server = createServer((req, res) => {
    if (req.method === 'DELETE' && /[?&]policy(=|&|$)/.test(req.url ?? '')) {
      req.resume();
      res.writeHead(500, { 'content-type': 'application/xml' });
      res.end('<Error><Code>InternalError</Code><Message>injected by the test</Message></Error>');
      return;
    }
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

// The bucket policy as moto holds it, or null when the bucket has none.
async function bucketPolicy(bucket: string): Promise<string | null> {
  try {
    return (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? null;
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchBucketPolicy') return null;
    throw err;
  }
}

const PUBLIC_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${PUBLIC}/*` },
  ],
});

function finding(control: string, bucket: string): Finding {
  const f = findings.find((x) => x.control_id === control && x.asset.urn.endsWith(`:${bucket}`));
  if (!f) throw new Error(`the scan has no ${control} finding on ${bucket}`);
  return f;
}

beforeAll(async () => {
  moto = await startMotoServer({ loadManagedPolicies: true });
  s3 = new S3Client(motoClientConfig(moto));
  await s3.send(new CreateBucketCommand({ Bucket: FAILING }));
  await s3.send(new CreateBucketCommand({ Bucket: PASSING }));
  await s3.send(
    new PutBucketPolicyCommand({ Bucket: PASSING, Policy: denyInsecureTransportPolicy(PASSING) }),
  );
  await s3.send(new CreateBucketCommand({ Bucket: PUBLIC }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: PUBLIC, Policy: PUBLIC_POLICY }));
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
  const scan = await seg(
    'scan',
    '--provider',
    'aws',
    '--accounts',
    moto.accountId,
    '--format',
    'json',
    '--no-attest',
  );
  if (scan.code !== 0 || scan.err !== '') throw new Error(`seg scan failed (${scan.code}): ${scan.err}`);
  findings = (JSON.parse(scan.out) as { findings: Finding[] }).findings;
}, 180_000);
afterAll(async () => {
  process.env = saved;
  s3?.destroy();
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('seg plan / apply / rollback on AWS findings', () => {
  it('plans a failing finding, dry-runs without a change, applies with --yes and rolls back', async () => {
    const target = finding('cis-storage-secure-transport', FAILING);
    expect(target.result).toBe('fail');
    expect(await bucketPolicy(FAILING)).toBeNull();

    const planned = await seg('plan', target.id);
    expect(planned.err).toBe('');
    expect(planned.code).toBe(0);
    const planId = /^plan ([0-9a-f-]{36})$/m.exec(planned.out)?.[1] ?? '';
    expect(planId).not.toBe('');
    expect(planned.out).toContain('1. s3:PutBucketPolicy');
    expect(planned.out).toMatch(/diff \(before → after, \d+ changes?\):\n {2}~ \//);
    expect(planned.out).toContain('blast radius: resource-wide');
    expect(planned.out).toContain('risk:');
    // The plan is in the lakehouse `plans` table, and planning the same state again gives the same plan.
    const asJson = await seg('plan', target.id, '--format', 'json');
    const plan = parseRemediationPlan(JSON.parse(asJson.out));
    expect(plan.id).toBe(planId);
    expect(plan.finding_id).toBe(target.id);
    const lake = openEmbeddedLakehouse({ root: join(dir, '.seg') });
    try {
      const rows = await lake.tables.table('plans').scan();
      const ids = rows.map((r) => fromRow<{ id: string }>(lake.tables.layout('plans'), r).value.id);
      expect(ids).toContain(planId);
    } finally {
      await lake.close();
    }

    const dry = await seg('apply', planId);
    expect([dry.code, dry.err]).toEqual([0, '']);
    expect(dry.out).toContain('~ /');
    expect(dry.out).toContain('blast radius:');
    expect(dry.out).toContain('dry run: nothing was changed');
    expect(await bucketPolicy(FAILING)).toBeNull();

    // Applied by another process: the plan and its preview come from the files `seg plan` left in .seg/.
    const applied = await segProcess('apply', planId, '--yes');
    expect([applied.code, applied.err]).toEqual([0, '']);
    expect(applied.out).toMatch(
      /apply success: plan [0-9a-f-]{36}\n {2}1\. s3:PutBucketPolicy: success \(change id /,
    );
    const policy = JSON.parse((await bucketPolicy(FAILING)) ?? '{}') as {
      Statement: { Effect: string; Condition?: { Bool?: Record<string, string> } }[];
    };
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );

    const again = await seg('apply', planId, '--yes', '--format', 'json');
    expect(parseApplyResult(JSON.parse(again.out)).results.map((r) => r.status)).toEqual(['skipped']);

    const rolledBack = await seg('rollback', planId, '--format', 'json');
    expect([rolledBack.code, rolledBack.err]).toEqual([0, '']);
    const rb = parseRollbackResult(JSON.parse(rolledBack.out));
    expect(rb.status).toBe('success');
    expect(rb.results.map((r) => r.status)).toEqual(['success']);
    expect(await bucketPolicy(FAILING)).toBeNull();
  }, 120_000);

  it('refuses to apply a plan that needs approval until one is recorded with seg approve, and to roll back a plan never applied', async () => {
    const target = finding('cis-storage-versioning', FAILING);
    const plan = parseRemediationPlan(JSON.parse((await seg('plan', target.id, '--format', 'json')).out));
    expect(plan.approvals_required).toEqual(['security-owner']);
    const refused = await seg('apply', plan.id, '--yes');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(
      /^seg: SEG_INVALID_ARGUMENT: plan \S+ needs approval by security-owner of this exact plan: record them with seg approve\n$/,
    );
    const approved = await segAt(moto.endpoint, [
      'approve',
      plan.id,
      '--role',
      'security-owner',
      '--justification',
      'CAB-1',
    ]);
    expect([approved.code, approved.err]).toEqual([0, '']);
    expect(approved.out).toMatch(new RegExp(`^approved: plan ${plan.id} by \\S+ as security-owner \\(`));
    const shown = await seg('apply', plan.id, '--format', 'json');
    expect(shown.code).toBe(0);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: FAILING }))).Status).toBeUndefined();
    const rollback = await seg('rollback', plan.id);
    expect(rollback.code).toBe(2);
    expect(rollback.err).toBe(
      `seg: SEG_INVALID_ARGUMENT: plan ${plan.id} has not been applied: nothing to roll back\n`,
    );
  }, 60_000);

  it('exits 1 on a partial apply: the second step fails, the first is compensated, the bucket is unchanged', async () => {
    const target = finding('cis-storage-public-access-block', PUBLIC);
    const plan = parseRemediationPlan(JSON.parse((await seg('plan', target.id, '--format', 'json')).out));
    expect(plan.steps.map((s) => s.action)).toEqual(['s3:PutPublicAccessBlock', 's3:DeleteBucketPolicy']);
    const policyBefore = await bucketPolicy(PUBLIC);
    const proxy = await failingDeletePolicyProxy();
    try {
      expect((await seg('approve', plan.id, '--role', 'security-owner')).code).toBe(0);
      const partial = await segAt(proxy.endpoint, ['apply', plan.id, '--yes']);
      expect(partial.err).toBe('');
      expect(partial.code).toBe(1);
      expect(partial.out).toMatch(
        /apply partial: plan \S+\n {2}1\. s3:PutPublicAccessBlock: compensated \(.*\)\n {2}2\. s3:DeleteBucketPolicy: failed \(SEG_ADAPTER_UNAVAILABLE: .*\)\n/,
      );
      expect(partial.out).toContain('the steps done before it were compensated');
    } finally {
      await new Promise((ok) => proxy.server.close(ok));
    }
    await expect(s3.send(new GetPublicAccessBlockCommand({ Bucket: PUBLIC }))).rejects.toMatchObject({
      name: 'NoSuchPublicAccessBlockConfiguration',
    });
    expect(await bucketPolicy(PUBLIC)).toBe(policyBefore);
  }, 60_000);

  it('exits 2 with one line for an unknown finding, a passing finding, and an unknown plan', async () => {
    const unknown = await seg('plan', '5d0c6a8e-1b2f-4c3d-9e4f-a5b6c7d8e9f0');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe(
      'seg: SEG_NOT_FOUND: finding 5d0c6a8e-1b2f-4c3d-9e4f-a5b6c7d8e9f0 is not in the lakehouse of tenant demo\n',
    );
    const logging = await seg('plan', finding('cis-storage-access-logging', FAILING).id);
    expect(logging.code).toBe(2);
    expect(logging.err).toBe(
      'seg: SEG_INVALID_ARGUMENT: remediation of cis-storage-access-logging needs the adapter default access_log_bucket: add --set access_log_bucket=<value>\n',
    );
    const passing = finding('cis-storage-secure-transport', PASSING);
    const notFailing = await seg('plan', passing.id);
    expect(notFailing.code).toBe(2);
    expect(notFailing.err).toMatch(
      /^seg: SEG_INVALID_ARGUMENT: finding \S+ \(cis-storage-secure-transport\) is pass, not failing: nothing to remediate\n$/,
    );
    for (const command of ['apply', 'rollback']) {
      const plan = await seg(command, '0e9d8c7b-6a5f-5e4d-8c3b-2a1f0e9d8c7b');
      expect(plan.code).toBe(2);
      expect(plan.err).toBe(
        'seg: SEG_NOT_FOUND: unknown plan 0e9d8c7b-6a5f-5e4d-8c3b-2a1f0e9d8c7b: make one with seg plan <finding-id>\n',
      );
    }
    const verbose = await seg('apply', 'not-a-plan', '--verbose');
    expect(verbose.code).toBe(2);
    expect(verbose.err).toMatch(
      /^seg: SEG_INVALID_ARGUMENT: plan id "not-a-plan" is not a UUID\n {2}details: /,
    );
  }, 60_000);

  it("refuses --yes outside the tenant's change window or its production hours, before any step runs", async () => {
    const settings = join(dir, 'seg.config.json');
    const saved = readFileSync(settings, 'utf8');
    writeFileSync(
      settings,
      JSON.stringify({
        ...(JSON.parse(saved) as object),
        tenants: {
          demo: {
            remediation: {
              change_windows: [
                { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '06:00', end: '20:00', time_zone: 'UTC' },
              ],
              production_hours: [{ days: ['wed'], start: '09:00', end: '12:00', time_zone: 'Europe/Berlin' }],
              production_assets: [`urn:asset:aws:*:${moto.accountId}:*`],
            },
          },
        },
      }),
    );
    try {
      const target = finding('cis-storage-secure-transport', FAILING);
      const planId = parseRemediationPlan(
        JSON.parse((await seg('plan', target.id, '--format', 'json')).out),
      ).id;
      // Saturday: no change window.
      const saturday = await seg('apply', planId, '--yes', '--now', '2026-12-05T10:00:00Z');
      expect([saturday.code, saturday.err]).toEqual([
        2,
        expect.stringMatching(
          /^seg: SEG_INVALID_ARGUMENT: 2026-12-05T10:00:00.000Z is outside every change window/,
        ),
      ]);
      // Friday: a change window, but not the production hours of the account's assets.
      const friday = await seg('apply', planId, '--yes', '--now', '2026-12-04T10:00:00Z');
      expect(friday.err).toMatch(/is outside the production hours of urn:asset:aws:bucket:/);
      expect(await bucketPolicy(FAILING)).toBeNull();
      const badNow = await seg('apply', planId, '--yes', '--now', 'tomorrow');
      expect([badNow.code, badNow.err]).toEqual([
        2,
        expect.stringMatching(/--now must be an RFC 3339 date-time/),
      ]);
      // Wednesday 10:30 in Berlin.
      const wednesday = await seg('apply', planId, '--yes', '--now', '2026-12-02T09:30:00Z');
      expect([wednesday.code, wednesday.err]).toEqual([0, '']);
      expect(await bucketPolicy(FAILING)).not.toBeNull();
      expect((await seg('rollback', planId)).code).toBe(0);
    } finally {
      writeFileSync(settings, saved);
    }
  }, 60_000);

  it("asks the tenant's signed gates bundle: rollout phase 1 plans but refuses to apply", async () => {
    const settings = join(dir, 'seg.config.json');
    const saved = readFileSync(settings, 'utf8');
    writeFileSync(
      settings,
      JSON.stringify({
        ...(JSON.parse(saved) as object),
        tenants: { demo: { remediation: { gates: { bundle: 'seg-gates@1.0.0', rollout_phase: 1 } } } },
      }),
    );
    try {
      const target = finding('cis-storage-secure-transport', FAILING);
      const planned = await seg('plan', target.id, '--format', 'json');
      expect(planned.code).toBe(0);
      const planId = parseRemediationPlan(JSON.parse(planned.out)).id;
      const refused = await seg('apply', planId, '--yes');
      expect([refused.code, refused.err]).toEqual([
        2,
        `seg: SEG_INVALID_ARGUMENT: the gates refuse the apply of plan ${planId}: rollout phase 1: plan only\n`,
      ]);
      expect(await bucketPolicy(FAILING)).toBeNull();
    } finally {
      writeFileSync(settings, saved);
    }
  }, 60_000);

  it('has --help with an example for each command', async () => {
    for (const command of ['plan', 'apply', 'rollback']) {
      const help = await seg(command, '--help');
      expect(help.code).toBe(0);
      expect(help.out).toContain('Example:');
      expect(help.out).toContain(`seg ${command} `);
    }
  });
});
