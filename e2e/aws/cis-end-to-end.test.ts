// End to end on moto: seed the CIS scenario, inventory with the AWS adapter, evaluate with the signed
// cis-aws-foundations bundle, remediate every Auto control, re-scan, roll back, re-scan.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AwsRemediationSteps, CONTROL_REMEDIATIONS } from '@neurocipher/seg-adapter-aws';
import {
  PASSING_ACCOUNT_ID,
  motoAdapterFixture,
  seedCisScenario,
  startMotoServer,
  type CisSeed,
  type MotoAdapterFixture,
  type MotoServer,
  FaultInjector,
  motoClientConfig,
} from '@neurocipher/seg-adapter-aws/testing';
import { PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DirectoryBundleSource,
  Evaluator,
  parseTrustedKeys,
  RemediationService,
} from '@neurocipher/seg-core';
import type { EvalResult } from '@neurocipher/seg-contracts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const scope = { org_id: 'e2e-aws', tags: {} };

describe('CIS AWS Foundations end to end on moto', () => {
  let moto: MotoServer;
  let fx: MotoAdapterFixture;
  let seed: CisSeed;
  let evaluator: Evaluator;
  let controlIds: string[];

  beforeAll(async () => {
    moto = await startMotoServer({ loadManagedPolicies: true });
    seed = await seedCisScenario(moto);
    fx = await motoAdapterFixture(moto, {
      accounts: [moto.accountId, PASSING_ACCOUNT_ID],
      regions: ['us-east-1', 'eu-west-1'],
    });
    const bundleSource = new DirectoryBundleSource({ root: resolve(root, 'bundles') });
    const ref = (await bundleSource.list()).find((r) => r.id === 'cis-aws-foundations');
    if (!ref) throw new Error('bundles/cis-aws-foundations is not a signed bundle');
    evaluator = new Evaluator({
      bundleSource,
      trustedKeys: parseTrustedKeys(await readFile(resolve(root, 'tools/bundle/trusted-keys.json'), 'utf8')),
      bundles: [ref],
      inventory: fx.inventory,
      evidence: fx.evidence,
    });
    await evaluator.load();
    const manifest = JSON.parse(
      await readFile(resolve(root, 'bundles/cis-aws-foundations/manifest.json'), 'utf8'),
    ) as {
      controls: { id: string }[];
    };
    controlIds = manifest.controls.map((c) => c.id).sort();
  }, 180_000);
  afterAll(async () => {
    await evaluator?.close();
    await fx?.close();
    await moto?.stop();
  });

  const scan = async (now?: string): Promise<EvalResult> =>
    evaluator.evaluate({ scope, control_ids: controlIds }, now ? { now } : {});
  const failSet = (r: EvalResult) =>
    r.findings
      .filter((f) => f.result === 'fail')
      .map((f) => `${f.control_id} ${f.asset.urn}`)
      .sort();
  const resultMap = (r: EvalResult) =>
    Object.fromEntries(r.findings.map((f) => [`${f.control_id} ${f.asset.urn}`, f.result]));

  /** The fail set the seed implies (notes/moto.md §3, cis-seed.ts), written out control by control. */
  async function expectedFailSet(): Promise<string[]> {
    const a = seed.account_id;
    const r = seed.region;
    const u = (kind: string, acct: string, region: string, id: string) =>
      `urn:asset:aws:${kind}:${acct}:${region}:${id}`;
    const bucket = u('bucket', a, r, seed.buckets.fail);
    const out = [
      ...[
        'cis-storage-access-logging',
        'cis-storage-default-encryption-kms',
        'cis-storage-no-public-acl',
        'cis-storage-public-access-block',
        'cis-storage-secure-transport',
        'cis-storage-versioning',
      ].map((c) => `${c} ${bucket}`),
      `cis-storage-account-public-access-block ${u('s3-account', a, 'global', a)}`,
      `cis-iam-password-min-length ${u('iam-account', a, 'global', a)}`,
      `cis-iam-password-reuse-prevention ${u('iam-account', a, 'global', a)}`,
      `cis-iam-support-role ${u('iam-account', a, 'global', a)}`,
      `cis-iam-user-no-direct-policies ${u('iam-user', a, 'global', seed.users.fail)}`,
      `cis-iam-user-single-active-key ${u('iam-user', a, 'global', seed.users.fail)}`,
      `cis-iam-no-full-admin-policy ${u('iam-policy', a, 'global', seed.policies.fail)}`,
      `cis-logging-kms-rotation ${u('kms-key', a, r, seed.kms_keys.fail)}`,
      `cis-logging-cloudtrail-kms ${u('cloudtrail-trail', a, r, seed.trails.fail)}`,
      `cis-logging-cloudtrail-log-validation ${u('cloudtrail-trail', a, r, seed.trails.fail)}`,
      `cis-logging-cloudtrail-multi-region ${u('cloudtrail-account', a, 'global', a)}`,
      `cis-ec2-ebs-default-encryption ${u('ebs-encryption-default', a, r, 'ebs-encryption-default')}`,
      `cis-ec2-imdsv2-required ${u('ec2-instance', a, r, seed.instances.fail)}`,
      `cis-network-sg-no-admin-ingress ${u('security-group', a, r, seed.security_groups.fail)}`,
      `cis-rds-auto-minor-upgrade ${u('rds-instance', a, r, seed.db_instances.fail)}`,
      `cis-rds-not-public ${u('rds-instance', a, r, seed.db_instances.fail)}`,
    ];
    // Every account and region has a default VPC (no flow logs) whose default SG allows all egress, as on
    // AWS; the seed's own VPC passes both (flow log, rules revoked). Found through the inventory's listing.
    const vpcs = await fx.inventory.list_assets(scope, ['vpc', 'security-group']);
    for (const asset of vpcs.assets) {
      if (asset.kind === 'vpc' && asset.properties['is_default'] === true)
        out.push(`cis-logging-vpc-flow-logs ${asset.ref.urn}`);
      if (
        asset.kind === 'security-group' &&
        asset.properties['group_name'] === 'default' &&
        !asset.ref.urn.endsWith(seed.security_groups.default_pass)
      ) {
        out.push(`cis-network-default-sg-restricts-all ${asset.ref.urn}`);
      }
    }
    expect(out.filter((x) => x.startsWith('cis-logging-vpc-flow-logs'))).toHaveLength(4);
    expect(out.filter((x) => x.startsWith('cis-network-default-sg-restricts-all'))).toHaveLength(4);
    return out.sort();
  }

  const auto = new Set(CONTROL_REMEDIATIONS.filter((r) => r.automation === 'auto').map((r) => r.control_id));

  it('scans, remediates every Auto control, re-scans, rolls back and re-scans', async () => {
    expect(controlIds).toHaveLength(25);
    const first = await scan();
    expect(first.findings.filter((f) => f.result === 'error')).toEqual([]);
    const expected = await expectedFailSet();
    expect(failSet(first)).toEqual(expected);
    // Every control has at least one passing asset (the access-key control only while keys are young).
    for (const c of controlIds)
      expect(first.findings.some((f) => f.control_id === c && f.result === 'pass')).toBe(true);

    const bodies = async () => {
      const all = await fx.inventory.list_assets(scope, []);
      const out: Record<string, unknown> = {};
      for (const a of all.assets) out[a.ref.urn] = (await fx.inventory.get_config(a.ref)).body;
      return out;
    };
    const before = await bodies();

    const remediation = new RemediationService({
      steps: new AwsRemediationSteps({
        session: fx.session,
        inventory: fx.inventory,
        defaults: {
          access_log_bucket: seed.buckets.pass,
          flow_log_bucket: seed.buckets.pass,
          trail_kms_key_id: seed.kms_keys.pass_arn,
        },
      }),
      evidence: fx.evidence,
    });
    const autoFails = first.findings.filter((f) => f.result === 'fail' && auto.has(f.control_id));
    expect(new Set(autoFails.map((f) => f.control_id))).toEqual(auto);
    const planIds: string[] = [];
    for (const f of autoFails) {
      const plan = await remediation.plan(f, 'apply');
      expect(plan.approvals_required).toEqual([]);
      const result = await remediation.apply(plan);
      expect([f.control_id, result.status, result.results.map((r) => r.message ?? r.status)]).toEqual([
        f.control_id,
        'success',
        plan.steps.map(() => 'success'),
      ]);
      planIds.push(plan.id);
    }

    const fixed = await scan();
    const remediated = new Set(autoFails.map((f) => `${f.control_id} ${f.asset.urn}`));
    expect(failSet(fixed)).toEqual(expected.filter((x) => !remediated.has(x)));
    for (const key of remediated) expect(resultMap(fixed)[key]).toBe('pass');

    for (const id of planIds.reverse()) expect((await remediation.rollback(id)).status).toBe('success');
    const back = await scan();
    expect(failSet(back)).toEqual(expected);
    expect(resultMap(back)).toEqual(resultMap(first));
    expect(await bodies()).toEqual(before);
  }, 600_000);

  it('fails the access-key rotation control when the scan runs 100 days later (keys cannot be backdated on moto)', async () => {
    const later = new Date(Date.now() + 100 * 86_400_000).toISOString();
    const r = await evaluator.evaluate(
      { scope, control_ids: ['cis-iam-access-key-rotation'] },
      { now: later },
    );
    const results = r.findings.map((f) => f.result);
    expect(results.length).toBe(3);
    expect(results.every((x) => x === 'fail')).toBe(true);
  });

  it('chaos: a step failing mid-plan leaves a partial result, compensated steps and the whole account unchanged', async () => {
    const faults = new FaultInjector();
    const chaos = await motoAdapterFixture(moto, {
      accounts: [moto.accountId, PASSING_ACCOUNT_ID],
      regions: ['us-east-1', 'eu-west-1'],
      session: { decorateClient: faults.decorate },
    });
    const s3 = new S3Client(motoClientConfig(moto));
    try {
      // A public policy makes the Block Public Access plan two steps: PutPublicAccessBlock, DeleteBucketPolicy.
      const Policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${seed.buckets.fail}/*`,
          },
        ],
      });
      await s3.send(new PutBucketPolicyCommand({ Bucket: seed.buckets.fail, Policy }));
      const snapshot = async () => {
        const all = await chaos.inventory.list_assets(scope, []);
        const out: Record<string, unknown> = {};
        for (const a of all.assets) out[a.ref.urn] = (await chaos.inventory.get_config(a.ref)).body;
        return out;
      };
      const before = await snapshot();
      const finding = (await scan()).findings.find(
        (f) =>
          f.control_id === 'cis-storage-public-access-block' && f.asset.urn.endsWith(`:${seed.buckets.fail}`),
      );
      if (!finding) throw new Error('the seeded bucket has no Block Public Access finding');
      expect(finding.result).toBe('fail');
      const remediation = new RemediationService({
        steps: new AwsRemediationSteps({ session: chaos.session, inventory: chaos.inventory }),
        evidence: chaos.evidence,
        stepTimeoutMs: 1_000,
      });
      const plan = await remediation.plan(finding, 'apply');
      expect(plan.steps.map((s) => s.action)).toEqual(['s3:PutPublicAccessBlock', 's3:DeleteBucketPolicy']);
      for (const kind of ['timeout', 'server-error'] as const) {
        faults.arm({ command: 'DeleteBucketPolicyCommand', kind });
        const result = await remediation.apply(plan);
        faults.clear();
        expect(result.status).toBe('partial');
        expect(result.results.map((r) => r.status)).toEqual(['compensated', 'failed']);
        expect(result.results[1]?.message).toMatch(
          kind === 'timeout' ? /SEG_ADAPTER_TIMEOUT/ : /SEG_ADAPTER_UNAVAILABLE/,
        );
        expect(await snapshot()).toEqual(before);
      }
    } finally {
      s3.destroy();
      await chaos.close();
    }
  });
});
