import { describe, expect, it } from '@jest/globals';
import { canonicalJson } from '@neurocipher/seg-attest';
import { sha256Hex, type EvidenceSink } from '@neurocipher/seg-ports';
import { InMemoryEvidenceSink, InMemoryRedactor } from '@neurocipher/seg-ports/testing';
import { buildFindings, type FindingContext } from './findings.ts';
import { sealFindings } from './seal-findings.ts';

const ctx: FindingContext = {
  runId: '4f5c8a52-8a2e-4a57-9d49-7d3c0b1d1c01',
  tenant: 'acme',
  now: '2026-06-01T00:00:00Z',
  controls: { a: { version: '1', severity: 'high' }, b: { version: '1', severity: 'low' } },
};
const asset = { urn: 'urn:asset:aws:bucket:b1' };
const config = { region: 'eu-west-1', owner: 'tok-77aa', tags: { env: 'prod' } };
const stub = (path: string) => ({ path, media_type: 'application/json' });
const drafts = () =>
  buildFindings(ctx, asset, config, [
    { controlId: 'a', result: { result: 'fail', message: 'm', evidence: [stub('/region'), stub('/owner')] } },
    { controlId: 'b', result: { result: 'pass', message: 'm', evidence: [stub('/owner'), stub('/owner')] } },
  ]);

describe('sealFindings', () => {
  it('stores each distinct body once in one putMany, redacted, and points at what the sink returned', async () => {
    const redactor = new InMemoryRedactor({ secrets: { token: ['tok-77aa'] } });
    const sink = new InMemoryEvidenceSink({ canonicalJson, redactor });
    const built = drafts();
    // The two controls citing /owner share one draft: the body is handed over once.
    expect(built[1]!.evidence[0]).toBe(built[0]!.evidence[1]);
    const { findings, sizes } = await sealFindings(built, sink);
    expect(sink.writes).toEqual([{ method: 'putMany', items: 2 }]);
    const region = canonicalJson({ asset: asset.urn, path: '/region', value: 'eu-west-1' });
    const owner = canonicalJson({ asset: asset.urn, path: '/owner', value: '[REDACTED:token]' });
    expect(findings.map((f) => f.evidence)).toEqual([
      [
        { hash: sha256Hex(region), media_type: 'application/json' },
        { hash: sha256Hex(owner), media_type: 'application/json' },
      ],
      [{ hash: sha256Hex(owner), media_type: 'application/json' }],
    ]);
    expect(sizes).toEqual(
      new Map([
        [sha256Hex(region), region.length],
        [sha256Hex(owner), owner.length],
      ]),
    );
    // Nothing but the evidence changed: ids and fingerprints are the drafts'.
    expect(findings.map((f) => [f.id, f.fingerprint])).toEqual(built.map((f) => [f.id, f.fingerprint]));
  });

  it('gives one pointer for two drafts whose stored bytes are the same', async () => {
    const [finding] = drafts();
    const region = finding!.evidence[0]!;
    const sink = new InMemoryEvidenceSink({ canonicalJson });
    const { findings } = await sealFindings([{ ...finding!, evidence: [region, { ...region }] }], sink);
    expect(sink.writes).toEqual([{ method: 'putMany', items: 2 }]);
    expect(findings[0]!.evidence).toEqual([{ hash: sha256Hex(region.body), media_type: 'application/json' }]);
  });

  it('cites no evidence without a sink, and fails when the sink answers for fewer bodies', async () => {
    const bare = await sealFindings(drafts(), undefined);
    expect(bare.findings.map((f) => f.evidence)).toEqual([[], []]);
    expect(bare.sizes.size).toBe(0);
    const short: EvidenceSink = {
      put: async () => ({ hash: sha256Hex('x'), size_bytes: 1 }),
      putMany: async () => [{ hash: sha256Hex('x'), size_bytes: 1 }],
      get: async () => new Uint8Array(),
      missing: async () => [],
    };
    await expect(sealFindings(drafts(), short)).rejects.toMatchObject({
      error_code: 'SEG_EVIDENCE_WRITE_FAILED',
      retryable: true,
    });
  });
});
