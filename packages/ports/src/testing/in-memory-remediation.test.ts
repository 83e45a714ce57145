import { describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import type { Finding } from '@neurocipher/seg-contracts';
import { RemediationPortId } from '../remediation/remediation-port.ts';
import type { RemediationPort } from '../remediation/remediation-port.ts';
import { InMemoryRemediation } from './in-memory-remediation.ts';
import { ManualClock } from './manual-clock.ts';

const URN = 'urn:asset:aws:bucket:b1';

const finding: Finding = {
  id: '7b1e6d2a-3c4f-4a5b-8c6d-9e0f1a2b3c4d',
  control_id: 'CIS-S3-1',
  control_version: '1.0.0',
  asset: { urn: URN },
  result: 'fail',
  severity: 'high',
  message: 'not encrypted',
  evidence: [],
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  fingerprint: 'a'.repeat(64),
};

function setup() {
  const clock = new ManualClock({ start: '2026-03-01T12:00:00Z' });
  const port = new InMemoryRemediation({
    resources: { [URN]: { encryption: 'none', versioning: false, name: 'b1' } },
    fixes: {
      'CIS-S3-1': { set: { encryption: 'aws:kms', versioning: true, logging: 'on' } },
      'CIS-S3-2': { set: { public: false }, estimated_risk: 'high', approvals_required: ['security-lead'] },
    },
    clock,
  });
  return { port, clock };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isSegError(error)) return error.error_code;
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('InMemoryRemediation', () => {
  it('implements RemediationPort under its id', () => {
    const port: RemediationPort = setup().port;
    expect(port).toBeInstanceOf(InMemoryRemediation);
    expect(RemediationPortId).toBe(Symbol.for('seg.ports.RemediationPort'));
  });

  describe('#plan', () => {
    it('plans one property change per fixed property, without changing anything', async () => {
      const { port } = setup();
      const plan = await port.plan(finding, 'plan');
      expect(plan.steps.map((s) => s.params)).toEqual([
        { urn: URN, property: 'encryption', value: 'aws:kms' },
        { urn: URN, property: 'logging', value: 'on' },
        { urn: URN, property: 'versioning', value: true },
      ]);
      expect(plan).toMatchObject({
        finding_id: finding.id,
        mode: 'plan',
        estimated_risk: 'low',
        approvals_required: [],
      });
      expect(port.resource(URN)).toEqual({ encryption: 'none', versioning: false, name: 'b1' });
    });

    it('is idempotent: the same finding gives the same plan id and steps', async () => {
      const { port } = setup();
      const a = await port.plan(finding, 'apply');
      const b = await port.plan(finding, 'apply');
      expect(b.id).toBe(a.id);
      expect(b.steps).toEqual(a.steps);
      expect((await port.plan(finding, 'plan')).id).not.toBe(a.id);
    });

    it('is SEG_NOT_FOUND for a finding with no remediation and SEG_SCHEMA_VIOLATION for a bad finding', async () => {
      const { port } = setup();
      expect(await codeOf(port.plan({ ...finding, control_id: 'OTHER' }, 'plan'))).toBe('SEG_NOT_FOUND');
      expect(await codeOf(port.plan({ ...finding, id: 'not-a-uuid' }, 'plan'))).toBe('SEG_SCHEMA_VIOLATION');
    });
  });

  describe('#apply', () => {
    it('applies every step in order and captures the pre-state', async () => {
      const { port } = setup();
      const plan = await port.plan(finding, 'apply');
      const result = await port.apply(plan);
      expect(result.status).toBe('success');
      expect(result.results.map((r) => r.status)).toEqual(['success', 'success', 'success']);
      expect(result.results.every((r) => typeof r.provider_change_id === 'string')).toBe(true);
      expect(port.resource(URN)).toEqual({
        encryption: 'aws:kms',
        versioning: true,
        logging: 'on',
        name: 'b1',
      });
    });

    it('is idempotent: a second apply changes nothing and skips every step', async () => {
      const { port } = setup();
      const plan = await port.plan(finding, 'apply');
      await port.apply(plan);
      const again = await port.apply(plan);
      expect(again.status).toBe('success');
      expect(again.results.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped']);
      // The pre-state captured by the first apply is kept, so rollback still restores the original.
      await port.rollback(plan.id);
      expect(port.resource(URN)).toEqual({ encryption: 'none', versioning: false, name: 'b1' });
    });

    it('is a dry run for a plan-mode plan', async () => {
      const { port } = setup();
      const result = await port.apply(await port.plan(finding, 'plan'));
      expect(result.results.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped']);
      expect(result.results[0]?.message).toContain('dry run');
      expect(port.resource(URN)?.['encryption']).toBe('none');
    });

    it('returns partial with compensated steps when a later step fails', async () => {
      const { port } = setup();
      port.fail_step(URN, 'versioning');
      const plan = await port.plan(finding, 'apply');
      const result = await port.apply(plan);
      expect(result.status).toBe('partial');
      expect(result.results.map((r) => r.status)).toEqual(['compensated', 'compensated', 'failed']);
      expect(port.resource(URN)).toEqual({ encryption: 'none', versioning: false, name: 'b1' });
      // Nothing is left to roll back, and the step works once the provider recovers.
      expect((await port.rollback(plan.id)).results.map((r) => r.status)).toEqual([
        'skipped',
        'skipped',
        'skipped',
      ]);
      port.fail_step(URN, 'versioning', false);
      expect((await port.apply(plan)).status).toBe('success');
    });

    it('returns failed, skipping the rest, when the first change fails', async () => {
      const { port } = setup();
      port.fail_step(URN, 'encryption');
      const result = await port.apply(await port.plan(finding, 'apply'));
      expect(result.status).toBe('failed');
      expect(result.results.map((r) => r.status)).toEqual(['failed', 'skipped', 'skipped']);
    });

    it('fails a step on a missing resource or an unknown action', async () => {
      const { port } = setup();
      const plan = await port.plan(finding, 'apply');
      const unknown = await port.apply({
        ...plan,
        steps: [{ action: 'delete_bucket', description: 'x', params: {} }],
      });
      expect(unknown.results[0]).toMatchObject({
        status: 'failed',
        message: 'unsupported step: delete_bucket',
      });
      port.delete_resource(URN);
      expect((await port.apply(plan)).results[0]?.status).toBe('failed');
    });

    it('throws SEG_INVALID_ARGUMENT outside the change window, and applies inside it', async () => {
      const { port, clock } = setup();
      const plan = await port.plan(finding, 'apply');
      const window = { start: '2026-03-01T13:00:00Z', end: '2026-03-01T14:00:00Z' };
      expect(await codeOf(port.apply(plan, window))).toBe('SEG_INVALID_ARGUMENT');
      clock.set('2026-03-01T14:00:00Z');
      expect(await codeOf(port.apply(plan, window))).toBe('SEG_INVALID_ARGUMENT');
      clock.set('2026-03-01T13:30:00Z');
      expect((await port.apply(plan, window)).status).toBe('success');
    });

    it('throws SEG_INVALID_ARGUMENT without the required approvals', async () => {
      const { port } = setup();
      const plan = await port.plan({ ...finding, control_id: 'CIS-S3-2' }, 'apply');
      expect(plan.estimated_risk).toBe('high');
      expect(await codeOf(port.apply(plan))).toBe('SEG_INVALID_ARGUMENT');
      port.approve(plan.id, 'security-lead');
      expect((await port.apply(plan)).status).toBe('success');
      expect(port.resource(URN)?.['public']).toBe(false);
    });

    it('throws SEG_SCHEMA_VIOLATION for a bad plan or window', async () => {
      const { port } = setup();
      const plan = await port.plan(finding, 'apply');
      expect(await codeOf(port.apply({ ...plan, mode: 'yolo' as 'apply' }))).toBe('SEG_SCHEMA_VIOLATION');
      expect(
        await codeOf(port.apply(plan, { start: '2026-03-02T00:00:00Z', end: '2026-03-01T00:00:00Z' })),
      ).toBe('SEG_SCHEMA_VIOLATION');
    });
  });

  describe('#rollback', () => {
    it('restores the exact pre-state, deleting properties that did not exist', async () => {
      const { port } = setup();
      const plan = await port.plan(finding, 'apply');
      await port.apply(plan);
      const result = await port.rollback(plan.id);
      expect(result.status).toBe('success');
      expect(result.results.map((r) => [r.step_index, r.status])).toEqual([
        [0, 'success'],
        [1, 'success'],
        [2, 'success'],
      ]);
      expect(port.resource(URN)).toEqual({ encryption: 'none', versioning: false, name: 'b1' });
    });

    it('is idempotent: a second rollback skips every step', async () => {
      const { port } = setup();
      const plan = await port.plan(finding, 'apply');
      await port.apply(plan);
      await port.rollback(plan.id);
      const again = await port.rollback(plan.id);
      expect(again.status).toBe('success');
      expect(again.results.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped']);
    });

    it('reports failed steps when the resource is gone', async () => {
      const { port } = setup();
      const plan = await port.plan(finding, 'apply');
      await port.apply(plan);
      port.delete_resource(URN);
      const result = await port.rollback(plan.id);
      expect(result.status).toBe('failed');
      expect(result.results.every((r) => r.status === 'failed')).toBe(true);
    });

    it('is SEG_NOT_FOUND for an unknown plan', async () => {
      expect(await codeOf(setup().port.rollback('0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a'))).toBe(
        'SEG_NOT_FOUND',
      );
    });
  });
});
