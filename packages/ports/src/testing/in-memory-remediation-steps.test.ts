import { describe, expect, it } from '@jest/globals';
import type { Finding } from '@neurocipher/seg-contracts';
import { InMemoryRemediationSteps, SET_PROPERTY_ACTION } from './in-memory-remediation-steps.ts';

const URN = 'urn:asset:aws:bucket:logs';
const finding = (control_id: string, urn = URN): Finding => ({
  id: '7d1c4b2a-3e5f-5a6b-8c7d-9e0f1a2b3c4d',
  control_id,
  control_version: '1.0.0',
  asset: { urn },
  result: 'fail',
  severity: 'high',
  message: 'not yet',
  evidence: [],
  created_at: '2026-12-04T00:00:00Z',
  updated_at: '2026-12-04T00:00:00Z',
  fingerprint: 'fp-1',
});
const steps = () =>
  new InMemoryRemediationSteps({
    resources: { [URN]: { versioning: 'Suspended', tls: true } },
    fixes: {
      'storage-versioning': { set: { versioning: 'Enabled', mfa: true }, estimated_risk: 'medium' },
      'storage-tls': { set: { tls: true } },
    },
  });
const signal = new AbortController().signal;

describe('InMemoryRemediationSteps', () => {
  it('drafts one set_property step per property the asset lacks, sorted, with before and after', async () => {
    const port = steps();
    const draft = await port.draft(finding('storage-versioning'));
    expect(draft.steps.map((s) => s.params)).toEqual([
      { urn: URN, property: 'mfa', value: true, asset: URN, control_id: 'storage-versioning' },
      { urn: URN, property: 'versioning', value: 'Enabled', asset: URN, control_id: 'storage-versioning' },
    ]);
    expect(draft).toMatchObject({
      before: { versioning: 'Suspended', tls: true },
      after: { versioning: 'Enabled', tls: true, mfa: true },
      estimated_risk: 'medium',
      approvals_required: [],
    });
    expect((await port.draft(finding('storage-tls'))).steps).toEqual([]);
    await expect(port.draft(finding('unknown'))).rejects.toMatchObject({ error_code: 'SEG_NOT_FOUND' });
    await expect(port.draft(finding('storage-tls', 'urn:asset:aws:bucket:gone'))).rejects.toMatchObject({
      error_code: 'SEG_NOT_FOUND',
    });
  });

  it('captures, applies and restores exactly, an absent property deleted again', async () => {
    const port = steps();
    const [mfa, versioning] = (await port.draft(finding('storage-versioning'))).steps;
    const op = port.op(SET_PROPERTY_ACTION);
    const preMfa = await op.capture(mfa!, signal);
    const preVersioning = await op.capture(versioning!, signal);
    expect([preMfa, preVersioning]).toEqual([{ present: false }, { present: true, value: 'Suspended' }]);
    expect(op.satisfied(preVersioning, versioning!)).toBe(false);
    expect(await op.apply(mfa!, preMfa, signal)).toBe('change-1');
    await op.apply(versioning!, preVersioning, signal);
    expect(op.satisfied(await op.capture(versioning!, signal), versioning!)).toBe(true);
    expect(await port.live(URN)).toEqual({ versioning: 'Enabled', tls: true, mfa: true });
    await op.restore(mfa!, preMfa, signal);
    await op.restore(versioning!, preVersioning, signal);
    expect(port.resource(URN)).toEqual({ versioning: 'Suspended', tls: true });
    expect(() => port.op('s3:PutBucketPolicy')).toThrow(/unknown remediation action/);
    await expect(op.capture({ action: 'other', description: '', params: {} }, signal)).rejects.toMatchObject({
      error_code: 'SEG_INVALID_ARGUMENT',
    });
  });

  it('fails, hangs until aborted, goes unreachable, and loses resources, as a test asks', async () => {
    const port = steps();
    const [mfa] = (await port.draft(finding('storage-versioning'))).steps;
    const op = port.op(SET_PROPERTY_ACTION);
    port.fail_step(URN, 'mfa');
    await expect(op.apply(mfa!, { present: false }, signal)).rejects.toThrow(/refused to set mfa/);
    port.fail_step(URN, 'mfa', false);
    port.hang_step(URN, 'mfa');
    const controller = new AbortController();
    const hung = op.apply(mfa!, { present: false }, controller.signal);
    controller.abort(new Error('step timed out'));
    await expect(hung).rejects.toThrow(/timed out/);
    port.hang_step(URN, 'mfa', false);
    port.unreachable();
    await expect(port.live(URN)).rejects.toMatchObject({
      error_code: 'SEG_ADAPTER_UNAVAILABLE',
      retryable: true,
    });
    port.unreachable(false);
    port.set_resource(URN, { versioning: 'Enabled' });
    expect(port.resource(URN)).toEqual({ versioning: 'Enabled' });
    port.delete_resource(URN);
    expect(port.resource(URN)).toBeUndefined();
    await expect(op.apply(mfa!, { present: false }, signal)).rejects.toThrow(/no resource/);
    await expect(op.restore(mfa!, { present: false }, signal)).rejects.toThrow(/no longer exists/);
  });
});

describe('InMemoryRemediationSteps transient faults', () => {
  it('throttles a set a number of times, and loses the answer of a set that landed', async () => {
    const port = steps();
    const [mfa] = (await port.draft(finding('storage-versioning'))).steps;
    const op = port.op(SET_PROPERTY_ACTION);
    port.throttle_step(URN, 'mfa', 1);
    await expect(op.apply(mfa!, { present: false }, signal)).rejects.toMatchObject({
      error_code: 'SEG_ADAPTER_UNAVAILABLE',
      retryable: true,
    });
    expect(port.resource(URN)).not.toHaveProperty('mfa');
    port.lose_answer(URN, 'mfa', 1);
    await expect(op.apply(mfa!, { present: false }, signal)).rejects.toMatchObject({ retryable: true });
    expect(port.resource(URN)).toHaveProperty('mfa', true);
    expect(await op.apply(mfa!, { present: false }, signal)).toMatch(/^change-/);
  });
});
