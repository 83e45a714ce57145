import { describe, expect, it } from '@jest/globals';
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import type { Finding } from '@neurocipher/seg-contracts';
import { remediableFinding } from './remediable-finding.ts';
import type { CommittedFinding, FindingSource } from './remediable-finding.ts';

function stored(id: string, urn: string, result: Finding['result']): CommittedFinding {
  return {
    finding: {
      id,
      control_id: 'cis-storage-versioning',
      control_version: '1.0.0',
      asset: { urn },
      result,
      severity: 'medium',
      message: '',
      evidence: [],
      created_at: '2026-11-01T00:00:00Z',
      updated_at: '2026-11-01T00:00:00Z',
      fingerprint: 'f'.repeat(64),
    },
    org_id: 'acme',
    run_id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    committed_at: '2026-11-01T00:00:01Z',
  };
}

const AWS = 'urn:asset:aws:bucket:123456789012:us-east-1:logs';
// As the AWS adapter tells an account scan's URN (account, region and id) from a snapshot's ARN-style one.
const changeable = (urn: string) => /^urn:asset:aws:[a-z0-9._-]+:\d{12}:[a-z0-9-]+:/.test(urn);
const acme = [
  stored('11111111-1111-5111-8111-111111111111', AWS, 'fail'),
  stored('22222222-2222-5222-8222-222222222222', AWS, 'pass'),
  stored('33333333-3333-5333-8333-333333333333', 'urn:asset:aws:bucket:arn:aws:s3:::demo', 'fail'),
];
// The by-id read of IcebergFindingStore, with its error; `asked` records every lookup.
const asked: string[] = [];
const source: FindingSource = {
  finding: async (org_id, id) => {
    asked.push(`${org_id}/${id}`);
    const found = org_id === 'acme' ? acme.find((f) => f.finding.id === id) : undefined;
    if (!found) throw new SegError({ error_code: 'SEG_NOT_FOUND', message: `finding ${id} not found` });
    return found;
  },
};

async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isSegError(err)) return `${err.error_code}: ${err.message}`;
    throw err;
  }
  throw new Error('expected a SegError');
}

describe('remediableFinding', () => {
  it('returns a failing finding on an asset of an AWS account scan, read by its id', async () => {
    asked.length = 0;
    const found = await remediableFinding(source, 'acme', '11111111-1111-5111-8111-111111111111', changeable);
    expect(found.finding.asset.urn).toBe(AWS);
    // An id typed in upper case is looked up as the engine writes it.
    await remediableFinding(source, 'acme', '11111111-1111-5111-8111-111111111111'.toUpperCase(), changeable);
    expect(asked).toEqual([
      'acme/11111111-1111-5111-8111-111111111111',
      'acme/11111111-1111-5111-8111-111111111111',
    ]);
  });

  it('refuses, in one line, an unknown id, another tenant, a snapshot asset, a passing finding, a non-UUID', async () => {
    expect(
      await errorOf(remediableFinding(source, 'other', '11111111-1111-5111-8111-111111111111', changeable)),
    ).toBe(
      'SEG_NOT_FOUND: finding 11111111-1111-5111-8111-111111111111 is not in the lakehouse of tenant other',
    );
    expect(
      await errorOf(remediableFinding(source, 'acme', '33333333-3333-5333-8333-333333333333', changeable)),
    ).toMatch(
      /^SEG_INVALID_ARGUMENT: finding \S+ is on urn:asset:aws:bucket:arn:aws:s3:::demo, not an asset of an AWS account scan/,
    );
    expect(
      await errorOf(remediableFinding(source, 'acme', '22222222-2222-5222-8222-222222222222', changeable)),
    ).toMatch(/^SEG_INVALID_ARGUMENT: finding \S+ \(cis-storage-versioning\) is pass, not failing/);
    expect(await errorOf(remediableFinding(source, 'acme', 'x', changeable))).toMatch(
      /^SEG_INVALID_ARGUMENT: finding id "x" is not a UUID/,
    );
  });
});
