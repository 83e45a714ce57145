import { describe, expect, it } from '@jest/globals';
import { parseApplyResult, parseRemediationPlan, parseWindow } from '../index.ts';

describe('WindowSchema', () => {
  it('accepts a window whose end follows its start, across offsets', () => {
    expect(parseWindow({ start: '2026-11-26T01:00:00+01:00', end: '2026-11-26T00:30:00Z' }).end).toBe(
      '2026-11-26T00:30:00Z',
    );
  });
  it('rejects an empty or inverted window at the end field', () => {
    expect(() => parseWindow({ start: '2026-11-26T01:00:00Z', end: '2026-11-26T01:00:00Z' })).toThrow(
      /at end/,
    );
  });
});

describe('RemediationPlanSchema', () => {
  const plan = {
    id: '3e2d1c0b-a998-4877-8665-544332211000',
    finding_id: '0b9f3c2a-4d5e-5f60-8a1b-2c3d4e5f6a7b',
    mode: 'apply',
    steps: [{ action: 'DeleteBucketPolicy', description: 'Remove the public policy' }],
    estimated_risk: 'medium',
    created_at: '2026-11-26T01:00:00Z',
  };
  it('fills defaults for params and approvals', () => {
    const parsed = parseRemediationPlan(plan);
    expect(parsed.steps[0]!.params).toEqual({});
    expect(parsed.approvals_required).toEqual([]);
  });
  it('rejects an unknown risk or mode', () => {
    expect(() => parseRemediationPlan({ ...plan, estimated_risk: 'extreme' })).toThrow(/estimated_risk/);
    expect(() => parseRemediationPlan({ ...plan, mode: 'yolo' })).toThrow(/mode/);
  });
});

describe('ApplyResultSchema', () => {
  it('rejects a negative step index and an unknown step status', () => {
    const result = {
      plan_id: '3e2d1c0b-a998-4877-8665-544332211000',
      status: 'partial',
      results: [{ step_index: -1, status: 'maybe' }],
      started_at: '2026-11-26T01:00:00Z',
      ended_at: '2026-11-26T01:00:01Z',
    };
    expect(() => parseApplyResult(result)).toThrow(/results\.0\.step_index, results\.0\.status/);
  });
});
