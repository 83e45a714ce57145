import { describe, expect, it } from '@jest/globals';
import { parseGateDecision } from './gate-decision.ts';

const allowed = {
  allow: true,
  deny: [],
  required: [{ role: 'security-owner', count: 2 }],
  distinct_approvers: 2,
};

function paths(value: unknown): string[] {
  try {
    parseGateDecision(value);
  } catch (error) {
    return (error as { details: { paths: string[] } }).details.paths;
  }
  return [];
}

describe('GateDecisionSchema', () => {
  it('accepts a decision and a refusal', () => {
    expect(parseGateDecision(allowed)).toEqual(allowed);
    expect(parseGateDecision({ allow: false, deny: ['x'], required: [], distinct_approvers: 0 }).allow).toBe(
      false,
    );
  });

  it('refuses allow that disagrees with deny', () => {
    expect(paths({ ...allowed, deny: ['x'] })).toEqual(['allow']);
    expect(paths({ ...allowed, allow: false })).toEqual(['allow']);
  });

  it('refuses a role twice, more distinct approvers than required approvals, and bad counts', () => {
    expect(
      paths({
        ...allowed,
        required: [
          { role: 'a', count: 1 },
          { role: 'a', count: 1 },
        ],
      }),
    ).toEqual(['required']);
    expect(paths({ ...allowed, distinct_approvers: 3 })).toEqual(['distinct_approvers']);
    expect(paths({ ...allowed, required: [{ role: 'a', count: 0 }], distinct_approvers: 0 })).toEqual([
      'required.0.count',
    ]);
    expect(paths({ ...allowed, distinct_approvers: 1.5 })).toEqual(['distinct_approvers']);
    expect(paths({ ...allowed, extra: 1 })).toEqual(['']);
    expect(paths(undefined)).toEqual(['']);
  });
});
