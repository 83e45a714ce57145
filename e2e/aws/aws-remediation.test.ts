// The AWS remediations on moto through the remediation workflow of core: for every control, plan,
// preview, apply, an idempotent re-apply and an exact rollback; durable plan records shared by service
// instances; and faults injected into AWS calls (a failing step compensated, a hanging step timed out,
// AWS unreachable before any step).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import {
  AwsRemediationSteps,
  CONTROL_REMEDIATIONS,
  accessKeyNativeId,
  awsAssetUrn,
  type RemediationDefaults,
} from '@neurocipher/seg-adapter-aws';
import {
  FaultInjector,
  failingFinding,
  motoAdapterFixture,
  motoClientConfig,
  seedCisScenario,
  startMotoServer,
  type CisSeed,
  type MotoAdapterFixture,
  type MotoServer,
} from '@neurocipher/seg-adapter-aws/testing';
import { parseApplyResult, parseRollbackResult } from '@neurocipher/seg-contracts';
import { RemediationService } from '@neurocipher/seg-core';
import type { RemediationServiceOptions } from '@neurocipher/seg-core';
import { BlobPlanRecordStore, sha256Hex, type EvidenceSink } from '@neurocipher/seg-ports';
import { InMemoryBlobStore, InMemoryEventBus } from '@neurocipher/seg-ports/testing';

function failingAsset(seed: CisSeed, control: string): string {
  const a = seed.account_id;
  const r = seed.region;
  const u = (kind: string, region: string, id: string) =>
    awsAssetUrn({ kind, account_id: a, region, native_id: id });
  const bucket = u('bucket', r, seed.buckets.fail);
  const map: Record<string, string> = {
    'cis-iam-password-min-length': u('iam-account', 'global', a),
    'cis-iam-password-reuse-prevention': u('iam-account', 'global', a),
    'cis-iam-support-role': u('iam-account', 'global', a),
    'cis-storage-secure-transport': bucket,
    'cis-storage-public-access-block': bucket,
    'cis-storage-default-encryption-kms': bucket,
    'cis-storage-access-logging': bucket,
    'cis-storage-versioning': bucket,
    'cis-storage-no-public-acl': bucket,
    'cis-storage-account-public-access-block': u('s3-account', 'global', a),
    'cis-ec2-ebs-default-encryption': u('ebs-encryption-default', r, 'ebs-encryption-default'),
    'cis-rds-auto-minor-upgrade': u('rds-instance', r, seed.db_instances.fail),
    'cis-rds-not-public': u('rds-instance', r, seed.db_instances.fail),
    'cis-logging-cloudtrail-log-validation': u('cloudtrail-trail', r, seed.trails.fail),
    'cis-logging-cloudtrail-kms': u('cloudtrail-trail', r, seed.trails.fail),
    'cis-logging-cloudtrail-multi-region': u('cloudtrail-account', 'global', a),
    'cis-logging-kms-rotation': u('kms-key', r, seed.kms_keys.fail),
    'cis-logging-vpc-flow-logs': u('vpc', r, seed.vpcs.fail),
    'cis-ec2-imdsv2-required': u('ec2-instance', r, seed.instances.fail),
    'cis-network-sg-no-admin-ingress': u('security-group', r, seed.security_groups.fail),
    'cis-network-default-sg-restricts-all': u('security-group', r, seed.security_groups.default_fail),
    'cis-iam-user-single-active-key': u('iam-user', 'global', seed.users.fail),
    'cis-iam-user-no-direct-policies': u('iam-user', 'global', seed.users.fail),
    'cis-iam-no-full-admin-policy': u('iam-policy', 'global', seed.policies.fail),
  };
  const urn = map[control];
  if (!urn) throw new Error(`no failing asset for ${control}`);
  return urn;
}

describe('the AWS remediations through RemediationService', () => {
  let moto: MotoServer;
  let fx: MotoAdapterFixture;
  let seed: CisSeed;
  let faults: FaultInjector;
  let remediation: RemediationService;
  // The workflow over the AWS steps of the fixture's session.
  const service = (
    options: Omit<RemediationServiceOptions, 'steps' | 'evidence'> & {
      evidence?: EvidenceSink;
      defaults?: RemediationDefaults;
    } = {},
  ) => {
    const { defaults, evidence, ...rest } = options;
    return new RemediationService({
      steps: new AwsRemediationSteps({
        session: fx.session,
        inventory: fx.inventory,
        ...(defaults ? { defaults } : {}),
      }),
      evidence: evidence ?? fx.evidence,
      ...rest,
    });
  };

  beforeAll(async () => {
    moto = await startMotoServer({ loadManagedPolicies: true });
    seed = await seedCisScenario(moto);
    faults = new FaultInjector();
    fx = await motoAdapterFixture(moto, {
      regions: [seed.region],
      session: { decorateClient: faults.decorate },
    });
    remediation = service({
      defaults: {
        access_log_bucket: seed.buckets.pass,
        flow_log_bucket: seed.buckets.pass,
        trail_kms_key_id: seed.kms_keys.pass_arn,
      },
      stepTimeoutMs: 1_500,
    });
  }, 120_000);
  afterAll(async () => {
    await fx?.close();
    await moto?.stop();
  });

  const controls = CONTROL_REMEDIATIONS.map((r) => r.control_id).filter(
    (c) => c !== 'cis-iam-access-key-rotation',
  );

  it.each(controls)('%s: preview, apply, idempotent re-apply, exact rollback', async (control) => {
    const urn = failingAsset(seed, control);
    const before = await fx.inventory.get_config({ urn });
    const plan = await remediation.plan(failingFinding(control, urn), 'apply');
    expect(plan.steps.length).toBeGreaterThan(0);
    const preview = await remediation.preview(plan.id);
    expect(preview.before).toEqual(before.body);
    expect(preview.diff.length).toBeGreaterThan(0);
    expect(['low', 'medium', 'high']).toContain(preview.estimated_risk);

    const first = parseApplyResult(await remediation.apply(plan));
    expect(first.results.map((r) => r.message ?? r.status)).toEqual(plan.steps.map(() => 'success'));
    expect(first.status).toBe('success');
    expect(first.results.every((r) => r.status === 'success' && !!r.provider_change_id)).toBe(true);
    // The finding's control now passes: a fresh plan has nothing left to do.
    const replan = await remediation.plan(failingFinding(control, urn), 'plan');
    expect(replan.steps).toEqual([]);

    const second = await remediation.apply(plan);
    expect(second.results.map((r) => r.status)).toEqual(plan.steps.map(() => 'skipped'));

    const rb = parseRollbackResult(await remediation.rollback(plan.id));
    expect(rb.status).toBe('success');
    const restored = await fx.inventory.get_config({ urn });
    if (control === 'cis-storage-versioning') {
      // No exact inverse: the bucket ends Suspended, and the plan and rollback say so.
      expect(restored.body['versioning']).toEqual({ status: 'Suspended', mfa_delete: null });
      expect(plan.steps[0]?.description).toMatch(/Rollback is not exact/);
      expect(rb.results[0]?.message).toMatch(/not an exact inverse/);
      expect(preview.inexact_rollback).toHaveLength(1);
    } else {
      expect(restored.body).toEqual(before.body);
    }
    const again = await remediation.rollback(plan.id);
    expect(again.results.map((r) => r.status)).toEqual(plan.steps.map(() => 'skipped'));
  });

  it('plans a remediation for a single stale access key', async () => {
    const user = await fx.inventory.get_config({ urn: failingAsset(seed, 'cis-iam-user-single-active-key') });
    const keyId = (user.body['access_keys'] as { access_key_id: string }[])[0]?.access_key_id ?? '';
    const urn = awsAssetUrn({
      kind: 'iam-access-key',
      account_id: seed.account_id,
      region: 'global',
      native_id: accessKeyNativeId(String(user.body['user_name']), keyId),
    });
    const plan = await remediation.plan(failingFinding('cis-iam-access-key-rotation', urn), 'apply');
    expect((await remediation.apply(plan)).status).toBe('success');
    expect((await fx.inventory.get_config({ urn })).body['status']).toBe('Inactive');
    expect((await remediation.rollback(plan.id)).status).toBe('success');
    expect((await fx.inventory.get_config({ urn })).body['status']).toBe('Active');
  });

  it('estimates blast radius: the principals a policy is attached to', async () => {
    const urn = failingAsset(seed, 'cis-iam-no-full-admin-policy');
    const plan = await remediation.plan(failingFinding('cis-iam-no-full-admin-policy', urn), 'plan');
    const preview = await remediation.preview(plan.id);
    expect(preview.blast_radius.dependents).toEqual([
      { type: 'iam-user', id: seed.users.fail, relation: 'policy principal' },
    ]);
    expect(plan.approvals_required).toEqual(['security-owner']);
    await expect(remediation.apply(plan)).rejects.toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
  });

  it('refuses to apply outside the change window', async () => {
    const urn = failingAsset(seed, 'cis-logging-kms-rotation');
    const plan = await remediation.plan(failingFinding('cis-logging-kms-rotation', urn), 'apply');
    const past = { start: '2020-01-01T00:00:00Z', end: '2020-01-02T00:00:00Z' };
    await expect(remediation.apply(plan, past)).rejects.toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
  });

  it('keeps plans in a durable plan store: new adapter instances apply and roll back a plan made by another', async () => {
    const blobs = new InMemoryBlobStore();
    // Every body the adapters hand to the evidence sink, as handed over.
    const handed: unknown[] = [];
    const evidence: EvidenceSink = {
      put: async (body, media_type) => {
        handed.push(body);
        return fx.evidence.put(body, media_type);
      },
      putMany: async (items) => {
        handed.push(...items.map((i) => i.body));
        return fx.evidence.putMany(items);
      },
      get: (hash) => fx.evidence.get(hash),
      missing: (hashes) => fx.evidence.missing(hashes),
    };
    const bus = new InMemoryEventBus();
    const adapter = () =>
      service({
        evidence,
        plans: new BlobPlanRecordStore({ store: blobs }),
        events: { bus, org_id: 'acme' },
      });
    const urn = failingAsset(seed, 'cis-logging-kms-rotation');
    const finding = failingFinding('cis-logging-kms-rotation', urn);
    const before = await fx.inventory.get_config({ urn });
    const planned = await adapter().plan(finding, 'apply');
    // The same finding against the same state is the same plan, as first recorded.
    expect(await adapter().plan(finding, 'apply')).toEqual(planned);

    const applier = adapter();
    const plan = await applier.recorded_plan(planned.id);
    expect(plan).toEqual(planned);
    expect((await applier.preview(plan.id)).before).toEqual(before.body);
    expect((await applier.apply(plan)).status).toBe('success');
    expect((await fx.inventory.get_config({ urn })).body['rotation_enabled']).toBe(true);

    const rb = await adapter().rollback(plan.id);
    expect(rb.results.map((r) => r.status)).toEqual(['success']);
    expect((await fx.inventory.get_config({ urn })).body).toEqual(before.body);
    expect(
      (await adapter().history(plan.id)).map((e) => [
        e.kind,
        e.kind === 'approval' ? e.approval.role : e.result.status,
      ]),
    ).toEqual([
      ['apply', 'success'],
      ['rollback', 'success'],
    ]);
    // Planned twice and applied once: one seg.plan.created, one seg.plan.applied, each keyed by the plan.
    expect(bus.published().map((e) => [e.type, e.key, e.org_id])).toEqual([
      ['seg.plan.created', `seg.plan.created/${plan.id}`, 'acme'],
      ['seg.plan.applied', `seg.plan.applied/${plan.id}`, 'acme'],
    ]);
    expect(bus.published()[1]?.data).toEqual({
      result: expect.objectContaining({ plan_id: plan.id, status: 'success' }),
    });
    // The preview and the apply and rollback records (pre-states included) went through the sink, and
    // the plan store holds nothing but plan records.
    // (Planned twice above: the same plan, and the same preview blob.)
    const kinds = handed.map((b) => (b as { kind?: string }).kind ?? 'preview');
    expect(kinds).toEqual(['preview', 'preview', 'seg.remediation.apply', 'seg.remediation.rollback']);
    expect((handed[2] as { pre_states: unknown[] }).pre_states).toHaveLength(1);
    const previewPtr = (await adapter().plans.get(plan.id))!.preview!;
    expect(sha256Hex(await fx.evidence.get(previewPtr.hash))).toBe(previewPtr.hash);
    expect((await blobs.list('')).keys.every((k) => k.startsWith('plans/'))).toBe(true);
    await expect(adapter().rollback('9b2f4c1e-0d3a-5b6c-8d7e-1f2a3b4c5d6e')).rejects.toMatchObject({
      error_code: 'SEG_NOT_FOUND',
    });
    // The records hold the plan and provider configuration, never the credentials that changed it.
    const assumed = await fx.session.credentials(seed.account_id);
    const keys = (await blobs.list('plans/')).keys;
    expect(keys.length).toBeGreaterThanOrEqual(4); // record, one pre-state, two events
    for (const key of keys) {
      const text = new TextDecoder().decode(await blobs.get(key));
      for (const secret of [moto.credentials.secretAccessKey, assumed.secretAccessKey, assumed.sessionToken])
        if (secret) expect(text).not.toContain(secret);
    }
  });

  describe('chaos', () => {
    const publicPolicy = (b: string) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` },
        ],
      });

    it('a step failing mid-plan gives partial with the earlier step compensated, and the bucket in its pre-state', async () => {
      const s3 = new S3Client(motoClientConfig(moto));
      await s3.send(
        new PutBucketPolicyCommand({ Bucket: seed.buckets.fail, Policy: publicPolicy(seed.buckets.fail) }),
      );
      s3.destroy();
      const urn = failingAsset(seed, 'cis-storage-public-access-block');
      const before = await fx.inventory.get_config({ urn });
      const plan = await remediation.plan(failingFinding('cis-storage-public-access-block', urn), 'apply');
      expect(plan.steps.map((s) => s.action)).toEqual(['s3:PutPublicAccessBlock', 's3:DeleteBucketPolicy']);
      faults.arm({ command: 'DeleteBucketPolicyCommand', kind: 'server-error' });
      try {
        const result = parseApplyResult(await remediation.apply(plan));
        expect(result.status).toBe('partial');
        expect(result.results.map((r) => r.status)).toEqual(['compensated', 'failed']);
        expect(result.results[1]?.message).toMatch(/SEG_ADAPTER_UNAVAILABLE/);
      } finally {
        faults.clear();
      }
      expect((await fx.inventory.get_config({ urn })).body).toEqual(before.body);
    });

    it('a step that hangs past its timeout fails with SEG_ADAPTER_TIMEOUT and is compensated', async () => {
      const urn = failingAsset(seed, 'cis-storage-public-access-block');
      const before = await fx.inventory.get_config({ urn });
      const plan = await remediation.plan(failingFinding('cis-storage-public-access-block', urn), 'apply');
      faults.arm({ command: 'DeleteBucketPolicyCommand', kind: 'timeout' });
      try {
        const result = await remediation.apply(plan);
        expect(result.status).toBe('partial');
        expect(result.results[1]?.message).toMatch(/SEG_ADAPTER_TIMEOUT/);
        expect(result.results[0]?.status).toBe('compensated');
      } finally {
        faults.clear();
      }
      expect((await fx.inventory.get_config({ urn })).body).toEqual(before.body);
    });

    it('raises SEG_ADAPTER_UNAVAILABLE when AWS cannot be reached before any step ran', async () => {
      const urn = failingAsset(seed, 'cis-logging-kms-rotation');
      const plan = await remediation.plan(failingFinding('cis-logging-kms-rotation', urn), 'apply');
      faults.arm({ command: 'GetKeyRotationStatusCommand', kind: 'unavailable' });
      try {
        await expect(remediation.apply(plan)).rejects.toMatchObject({
          error_code: 'SEG_ADAPTER_UNAVAILABLE',
          retryable: true,
        });
      } finally {
        faults.clear();
      }
    });
  });
});
