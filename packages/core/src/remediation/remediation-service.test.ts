// The remediation workflow over the in-memory provider of ports/testing: the same saga the AWS steps run
// under on moto (e2e/aws/aws-remediation.test.ts), checked here step by step.
import { describe, expect, it } from '@jest/globals';
import { parseApplyResult, parseRollbackResult } from '@neurocipher/seg-contracts';
import type { Finding } from '@neurocipher/seg-contracts';
import { canonicalJson } from '@neurocipher/seg-attest';
import { BlobPlanRecordStore } from '@neurocipher/seg-ports';
import {
  InMemoryBlobStore,
  InMemoryEventBus,
  InMemoryEvidenceSink,
  InMemoryRemediationSteps,
  ManualClock,
} from '@neurocipher/seg-ports/testing';
import { RemediationService } from './remediation-service.ts';
import type { RemediationServiceOptions } from './remediation-service.ts';

const URN = 'urn:asset:aws:bucket:logs';
const finding = (control_id: string): Finding => ({
  id: '7d1c4b2a-3e5f-5a6b-8c7d-9e0f1a2b3c4d',
  control_id,
  control_version: '1.0.0',
  asset: { urn: URN },
  result: 'fail',
  severity: 'high',
  message: 'not yet',
  evidence: [],
  created_at: '2026-12-04T00:00:00Z',
  updated_at: '2026-12-04T00:00:00Z',
  fingerprint: 'fp-1',
});

function setUp(options: Partial<RemediationServiceOptions> = {}) {
  const steps = new InMemoryRemediationSteps({
    resources: { [URN]: { versioning: 'Suspended', tls: false } },
    fixes: {
      'storage-hardening': { set: { tls: true, versioning: 'Enabled' } },
      'storage-tls': { set: { tls: true }, approvals_required: ['security-owner'], estimated_risk: 'high' },
    },
  });
  const evidence = new InMemoryEvidenceSink({ canonicalJson });
  const clock = new ManualClock({ start: '2026-12-04T10:00:00Z' });
  const service = new RemediationService({ steps, evidence, clock, stepTimeoutMs: 50, ...options });
  return { steps, evidence, clock, service };
}

describe('RemediationService', () => {
  it('plans with a recorded dry-run preview; the same finding and state is the same plan', async () => {
    const { steps, service } = setUp();
    const plan = await service.plan(finding('storage-hardening'), 'apply');
    expect(plan.steps.map((s) => [s.action, s.params['property']])).toEqual([
      ['set_property', 'tls'],
      ['set_property', 'versioning'],
    ]);
    expect(steps.resource(URN)).toEqual({ versioning: 'Suspended', tls: false });
    const preview = await service.preview(plan.id);
    expect(preview).toMatchObject({
      plan_id: plan.id,
      control_id: 'storage-hardening',
      asset: URN,
      automation: 'auto',
      inexact_rollback: [],
      diff: [
        { path: '/tls', before: false, after: true },
        { path: '/versioning', before: 'Suspended', after: 'Enabled' },
      ],
    });
    expect(await service.plan(finding('storage-hardening'), 'apply')).toEqual(plan);
    // A changed state is a new plan.
    steps.set_resource(URN, { versioning: 'Suspended', tls: true });
    const other = await service.plan(finding('storage-hardening'), 'apply');
    expect(other.id).not.toBe(plan.id);
    expect(other.steps).toHaveLength(1);
    expect(await service.recorded_plan(plan.id)).toEqual(plan);
  });

  it('a finding already fixed plans no steps and records nothing', async () => {
    const { steps, service } = setUp();
    steps.set_resource(URN, { tls: true, versioning: 'Enabled' });
    const plan = await service.plan(finding('storage-hardening'), 'apply');
    expect(plan.steps).toEqual([]);
    expect(await service.plans.get(plan.id)).toBeNull();
  });

  it('applies every step once, skips them on a second apply, and rolls back exactly, once', async () => {
    const bus = new InMemoryEventBus();
    const { steps, service } = setUp({ events: { bus, org_id: 'acme' } });
    const plan = await service.plan(finding('storage-hardening'), 'apply');
    const first = parseApplyResult(await service.apply(plan));
    expect(first.status).toBe('success');
    expect(first.results.map((r) => [r.status, r.provider_change_id])).toEqual([
      ['success', 'change-1'],
      ['success', 'change-2'],
    ]);
    expect(steps.resource(URN)).toEqual({ versioning: 'Enabled', tls: true });
    expect((await service.apply(plan)).results.map((r) => r.status)).toEqual(['skipped', 'skipped']);
    const rollback = parseRollbackResult(await service.rollback(plan.id));
    expect(rollback.results.map((r) => r.status)).toEqual(['success', 'success']);
    expect(steps.resource(URN)).toEqual({ versioning: 'Suspended', tls: false });
    expect((await service.rollback(plan.id)).results.map((r) => r.status)).toEqual(['skipped', 'skipped']);
    expect(
      (await service.history(plan.id)).map((e) => [
        e.kind,
        e.kind === 'approval' ? e.approval.role : e.result.status,
      ]),
    ).toEqual([
      ['apply', 'success'],
      ['apply', 'success'],
      ['rollback', 'success'],
      ['rollback', 'success'],
    ]);
    // One seg.plan.created per plan and one seg.plan.applied, each keyed by the plan (the bus drops the
    // second apply's repeat).
    expect(bus.published().map((e) => [e.type, e.key])).toEqual([
      ['seg.plan.created', `seg.plan.created/${plan.id}`],
      ['seg.plan.applied', `seg.plan.applied/${plan.id}`],
    ]);
  });

  it('refuses a dry-run plan, one outside its change window, and a plan that differs from its record', async () => {
    const { clock, service } = setUp();
    const dry = await service.plan(finding('storage-hardening'), 'plan');
    await expect(service.apply(dry)).rejects.toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
    const plan = await service.plan(finding('storage-hardening'), 'apply');
    const window = { start: '2026-12-04T11:00:00Z', end: '2026-12-04T12:00:00Z' };
    await expect(service.apply(plan, window)).rejects.toMatchObject({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: 'outside the change window',
    });
    clock.set('2026-12-04T11:30:00Z');
    expect((await service.apply(plan, window)).status).toBe('success');
    const tampered = { ...plan, steps: plan.steps.slice(0, 1) };
    await expect(service.apply(tampered)).rejects.toMatchObject({ error_code: 'SEG_CONFLICT' });
  });

  it('a failing step has the steps before it compensated: partial, and the resource in its pre-state', async () => {
    const { steps, service } = setUp();
    const plan = await service.plan(finding('storage-hardening'), 'apply');
    steps.fail_step(URN, 'versioning');
    const result = await service.apply(plan);
    expect(result.status).toBe('partial');
    expect(result.results.map((r) => r.status)).toEqual(['compensated', 'failed']);
    expect(result.results[1]?.message).toMatch(/refused to set versioning/);
    expect(steps.resource(URN)).toEqual({ versioning: 'Suspended', tls: false });
    // The first step failing changes nothing: failed.
    steps.fail_step(URN, 'versioning', false);
    steps.fail_step(URN, 'tls');
    const failed = await service.apply(plan);
    expect([failed.status, failed.results.map((r) => r.status)]).toEqual(['failed', ['failed', 'skipped']]);
  });

  it('a step that hangs past its timeout is aborted, fails with SEG_ADAPTER_TIMEOUT and is compensated', async () => {
    const { steps, service } = setUp();
    const plan = await service.plan(finding('storage-hardening'), 'apply');
    steps.hang_step(URN, 'versioning');
    const result = await service.apply(plan);
    expect(result.status).toBe('partial');
    expect(result.results[1]?.message).toMatch(/SEG_ADAPTER_TIMEOUT/);
    expect(result.results[0]?.status).toBe('compensated');
    expect(steps.resource(URN)).toEqual({ versioning: 'Suspended', tls: false });
  }, 20_000);

  it('raises SEG_ADAPTER_UNAVAILABLE when the provider cannot be reached before any step ran', async () => {
    const { steps, service } = setUp();
    const plan = await service.plan(finding('storage-hardening'), 'apply');
    steps.unreachable();
    await expect(service.apply(plan)).rejects.toMatchObject({
      error_code: 'SEG_ADAPTER_UNAVAILABLE',
      retryable: true,
    });
    expect(await service.plans.events(plan.id)).toEqual([]);
  });

  it('a rollback of a resource deleted since fails, and says so', async () => {
    const { steps, service } = setUp();
    const plan = await service.plan(finding('storage-hardening'), 'apply');
    await service.apply(plan);
    steps.delete_resource(URN);
    const rollback = await service.rollback(plan.id);
    expect(rollback.status).toBe('failed');
    expect(rollback.results.every((r) => /no resource/.test(r.message ?? ''))).toBe(true);
  });

  it('tells drift: where the live config left the preview', async () => {
    const { steps, service } = setUp();
    const plan = await service.plan(finding('storage-tls'), 'apply');
    expect(plan).toMatchObject({ approvals_required: ['security-owner'], estimated_risk: 'high' });
    expect((await service.preview(plan.id)).automation).toBe('approval');
    expect(await service.drift(plan.id)).toEqual([]);
    steps.set_resource(URN, { versioning: 'Enabled', tls: false });
    expect(await service.drift(plan.id)).toEqual([
      { path: '/versioning', before: 'Suspended', after: 'Enabled' },
    ]);
  });

  it('keeps plans in a durable store: another service instance applies and rolls back a plan made by one', async () => {
    const blobs = new InMemoryBlobStore();
    const steps = new InMemoryRemediationSteps({
      resources: { [URN]: { versioning: 'Suspended', tls: false } },
      fixes: { 'storage-hardening': { set: { tls: true } } },
    });
    const evidence = new InMemoryEvidenceSink({ canonicalJson });
    const service = () =>
      new RemediationService({ steps, evidence, plans: new BlobPlanRecordStore({ store: blobs }) });
    const plan = await service().plan(finding('storage-hardening'), 'apply');
    expect((await service().apply(await service().recorded_plan(plan.id))).status).toBe('success');
    expect((await service().rollback(plan.id)).status).toBe('success');
    expect(steps.resource(URN)).toEqual({ versioning: 'Suspended', tls: false });
    expect((await service().history(plan.id)).map((e) => e.kind)).toEqual(['apply', 'rollback']);
  });

  it('says SEG_NOT_FOUND for an unknown plan and SEG_INVALID_ARGUMENT for an id that is not one', async () => {
    const { service } = setUp();
    await expect(service.rollback('9b2f4c1e-0d3a-5b6c-8d7e-1f2a3b4c5d6e')).rejects.toMatchObject({
      error_code: 'SEG_NOT_FOUND',
    });
    await expect(service.preview('../etc')).rejects.toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
    // A plan made elsewhere (no record, no preview) is recorded when applied, and has no preview.
    const plan = await service.plan(finding('storage-hardening'), 'apply');
    const elsewhere = setUp().service;
    expect((await elsewhere.apply(plan)).status).toBe('success');
    await expect(elsewhere.preview(plan.id)).rejects.toMatchObject({ error_code: 'SEG_NOT_FOUND' });
  });
});

describe('RemediationService retries', () => {
  it('retries a throttled step with backoff and jitter, and applies it once', async () => {
    const delays: number[] = [];
    const { steps, service } = setUp({
      retry: { attempts: 4, base_ms: 4, max_ms: 10 },
      random: () => {
        delays.push(1);
        return 0.5;
      },
    });
    const plan = await service.plan(finding('storage-hardening'), 'apply');
    steps.throttle_step(URN, 'versioning', 3);
    const result = await service.apply(plan);
    expect(result.results.map((r) => r.status)).toEqual(['success', 'success']);
    expect(delays).toHaveLength(3);
    expect(steps.resource(URN)).toEqual({ versioning: 'Enabled', tls: true });
  });

  it('gives up after the last attempt: the step fails and the steps before it are compensated', async () => {
    const { steps, service } = setUp({ retry: { attempts: 2, base_ms: 1, max_ms: 1 } });
    const plan = await service.plan(finding('storage-hardening'), 'apply');
    steps.throttle_step(URN, 'versioning', 2);
    const result = await service.apply(plan);
    expect(result.results.map((r) => r.status)).toEqual(['compensated', 'failed']);
    expect(result.results[1]?.message).toMatch(/SEG_ADAPTER_UNAVAILABLE: throttled/);
  });

  it('a change whose answer was lost is seen on the retry and reported applied, not made twice', async () => {
    const { steps, service } = setUp({ retry: { attempts: 3, base_ms: 1, max_ms: 1 } });
    const plan = await service.plan(finding('storage-hardening'), 'apply');
    steps.lose_answer(URN, 'tls', 1);
    const result = await service.apply(plan);
    expect(result.results.map((r) => [r.status, r.message])).toEqual([
      ['success', 'applied: seen on a retry after the first answer was lost'],
      ['success', null],
    ]);
    // Rolled back like any applied step: its pre-state was captured before the first attempt.
    expect((await service.rollback(plan.id)).status).toBe('success');
    expect(steps.resource(URN)).toEqual({ versioning: 'Suspended', tls: false });
  });

  it('all or nothing: a partial apply is compensated and thrown as SEG_APPLY_PARTIAL with its result', async () => {
    const { steps, service } = setUp();
    const plan = await service.plan(finding('storage-hardening'), 'apply');
    steps.fail_step(URN, 'versioning');
    await expect(service.apply(plan, null, { all_or_nothing: true })).rejects.toMatchObject({
      error_code: 'SEG_APPLY_PARTIAL',
      details: { plan_id: plan.id, status: 'partial' },
    });
    expect(steps.resource(URN)).toEqual({ versioning: 'Suspended', tls: false });
    expect(
      (await service.history(plan.id)).map((e) =>
        e.kind === 'approval' ? e.approval.role : e.result.status,
      ),
    ).toEqual(['partial']);
  });
});
