import { describe, expect, it } from '@jest/globals';
import { SegError } from '@neurocipher/seg-contracts';
import { RUN } from '../../test/support/fixtures.ts';
import { sha256Hex } from '@neurocipher/seg-ports';
import { utf8 } from '../encoding/bytes.ts';
import { verifyFailed } from '../errors.ts';
import type { StatementSubject } from '../statement/statement.ts';
import {
  evaluationStatement,
  evidenceSubjectName,
  remediationStatement,
  runSummaryBytes,
} from '../statement/statement.ts';
import { attestedRun, verifyRunData } from './verify-run-data.ts';

const INDEX = 'application/vnd.seg.evidence-index+json';
const blob = (s: string) => utf8(s);

function fixture() {
  const blobs = new Map<string, Uint8Array>();
  for (const b of ['one', 'two', 'three']) blobs.set(sha256Hex(blob(b)), blob(b));
  const listed = [...blobs.keys()].sort();
  const index = utf8(JSON.stringify({ evidence: listed, run_id: RUN.run_id }));
  blobs.set(sha256Hex(index), index);
  const files = new Map([
    ['metadata/snap-1.avro', blob('list')],
    ['data/a.parquet', blob('rows')],
  ]);
  const statement = evaluationStatement(RUN, {
    tables: [
      {
        table: 'findings',
        snapshot_id: '7',
        data_files: [...files].map(([path, bytes]) => ({ path, sha256: sha256Hex(bytes) })),
      },
    ],
    evidence: [{ sha256: sha256Hex(index), media_type: INDEX }],
    policy_bundles: [{ id: 'cis', version: '1.2.0', digest: { sha256: 'a'.repeat(64) } }],
  });
  const resolver = {
    resolve: async (subject: StatementSubject) => {
      if (subject.name.endsWith('summary.json')) return runSummaryBytes(RUN);
      const path = /\/snapshots\/7\/(.+)$/.exec(subject.name)?.[1];
      if (path !== undefined) return files.get(path);
      return blobs.get(subject.digest.sha256!);
    },
  };
  return { statement, resolver, blobs, files, listed, index: sha256Hex(index) };
}

describe('verifyRunData', () => {
  it('re-hashes every subject and every blob the evidence index lists', async () => {
    const { statement, resolver } = fixture();
    expect(await verifyRunData(statement, { resolver, evidenceIndexMediaType: INDEX })).toEqual({
      subjects: 4,
      files: 2,
      blobs: 4,
    });
  });

  it('names the first table file that differs or is missing', async () => {
    const { statement, resolver, files } = fixture();
    files.set('data/a.parquet', blob('rows, rewritten'));
    await expect(verifyRunData(statement, { resolver, evidenceIndexMediaType: INDEX })).rejects.toMatchObject(
      {
        error_code: 'SEG_ATTEST_VERIFY_FAILED',
        message: expect.stringMatching(
          /^table file seg\/tables\/findings\/snapshots\/7\/data\/a\.parquet differs: its sha256 is [0-9a-f]{64}, the attestation says [0-9a-f]{64}$/,
        ),
        details: {
          reason: 'subject_digest_mismatch',
          name: 'seg/tables/findings/snapshots/7/data/a.parquet',
        },
      },
    );
    files.delete('metadata/snap-1.avro');
    await expect(verifyRunData(statement, { resolver, evidenceIndexMediaType: INDEX })).rejects.toMatchObject(
      {
        message: 'table file seg/tables/findings/snapshots/7/metadata/snap-1.avro is missing',
        details: { reason: 'subject_missing' },
      },
    );
  });

  it('names a listed blob that is missing or that its store refuses as corrupt', async () => {
    const { statement, resolver, blobs, listed, index } = fixture();
    blobs.delete(listed[1]!);
    await expect(verifyRunData(statement, { resolver, evidenceIndexMediaType: INDEX })).rejects.toMatchObject(
      {
        message: `evidence blob ${listed[1]} (listed by the evidence index ${index}) is missing`,
        details: { reason: 'subject_missing' },
      },
    );
    const corrupt = {
      resolve: async (s: StatementSubject) => {
        if (s.digest.sha256 === listed[0])
          throw verifyFailed('subject_digest_mismatch', 'the pack holds other bytes');
        return resolver.resolve(s);
      },
    };
    await expect(
      verifyRunData(statement, { resolver: corrupt, evidenceIndexMediaType: INDEX }),
    ).rejects.toMatchObject({
      message: `evidence blob ${listed[0]} (listed by the evidence index ${index}) differs: the pack holds other bytes`,
    });
  });

  it('refuses an index that lists no hashes, and passes other resolver errors on', async () => {
    const { statement, resolver, index } = fixture();
    const bad = utf8('{"evidence":["nope"]}');
    const hashed = {
      resolve: async (s: StatementSubject) =>
        s.digest.sha256 === sha256Hex(bad) ? bad : resolver.resolve(s),
    };
    const tampered = {
      ...statement,
      subject: statement.subject.map((s) =>
        s.digest.sha256 === index
          ? { name: evidenceSubjectName(sha256Hex(bad)), digest: { sha256: sha256Hex(bad) } }
          : s,
      ),
      predicate: { ...statement.predicate, evidence: [{ sha256: sha256Hex(bad), media_type: INDEX }] },
    };
    await expect(
      verifyRunData(tampered, { resolver: hashed, evidenceIndexMediaType: INDEX }),
    ).rejects.toMatchObject({ details: { reason: 'malformed_statement' } });
    const down = {
      resolve: async () =>
        Promise.reject(new SegError({ error_code: 'SEG_ADAPTER_UNAVAILABLE', message: 'down' })),
    };
    await expect(
      verifyRunData(statement, { resolver: down, evidenceIndexMediaType: INDEX }),
    ).rejects.toMatchObject({
      error_code: 'SEG_ADAPTER_UNAVAILABLE',
    });
    const noDigest = { ...statement, subject: [{ name: 'x', digest: {} }] };
    await expect(verifyRunData(noDigest, { resolver, evidenceIndexMediaType: INDEX })).rejects.toMatchObject({
      message: 'x has no sha256 digest',
    });
  });
});

describe('attestedRun', () => {
  it('says which run, tenant, bundles and time a statement attests', () => {
    expect(attestedRun(fixture().statement)).toEqual({
      run_id: RUN.run_id,
      org_id: RUN.scope.org_id,
      bundles: ['cis@1.2.0'],
      started_at: RUN.started_at,
      ended_at: RUN.ended_at,
    });
    const remediation = remediationStatement(RUN, { plans: [] });
    expect(attestedRun(remediation).bundles).toEqual([]);
  });
});
