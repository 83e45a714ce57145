import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { RUN } from '../../test/support/fixtures.ts';
import { sha256Hex } from '@neurocipher/seg-ports';
import { utf8 } from '../encoding/bytes.ts';
import { canonicalJson } from '../encoding/canonical-json.ts';
import {
  attestationSchemas,
  EVALUATION_RUN_PREDICATE_TYPE,
  REMEDIATION_RUN_PREDICATE_TYPE,
} from './predicates.ts';
import {
  evaluationStatement,
  overallResult,
  parseStatement,
  parseSubjectName,
  planBytes,
  remediationStatement,
  runSummaryBytes,
  statementBytes,
} from './statement.ts';

const DATA = 'a'.repeat(64);
const EVIDENCE = ['c'.repeat(64), 'b'.repeat(64)];
const PLAN = {
  id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  finding_id: '6ba7b810-9dad-41d1-80b4-00c04fd430c8',
  mode: 'apply' as const,
  estimated_risk: 'low' as const,
  steps: [{ action: 's3:PutPublicAccessBlock', description: 'block', params: {} }],
  created_at: '2026-01-02T03:00:00Z',
};

describe('evaluationStatement', () => {
  const statement = evaluationStatement(RUN, {
    tables: [
      {
        table: 'findings',
        snapshot_id: 9007199254740993n,
        data_files: [{ path: 'data/00000-0.parquet', sha256: DATA, record_count: 13 }],
      },
    ],
    evidence: EVIDENCE.map((sha256) => ({ sha256, media_type: 'application/json' })),
    policy_bundles: [{ id: 'cis-aws', version: '1.0.0', digest: { sha256: 'd'.repeat(64) } }],
  });

  it('pins the run summary, every data file of each snapshot and every evidence blob', () => {
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicateType).toBe(EVALUATION_RUN_PREDICATE_TYPE);
    expect(statement.subject).toEqual([
      { name: `seg/runs/${RUN.run_id}/summary.json`, digest: { sha256: sha256Hex(runSummaryBytes(RUN)) } },
      {
        name: 'seg/tables/findings/snapshots/9007199254740993/data/00000-0.parquet',
        digest: { sha256: DATA },
      },
      { name: `seg/evidence/sha256/${'b'.repeat(64)}`, digest: { sha256: 'b'.repeat(64) } },
      { name: `seg/evidence/sha256/${'c'.repeat(64)}`, digest: { sha256: 'c'.repeat(64) } },
    ]);
    expect(statement.predicate.tables[0]?.snapshot_id).toBe('9007199254740993');
    expect(statement.predicate.result).toBe('FAILED');
  });

  it('hashes the run summary as RFC 8785 JSON of its spec fields', () => {
    expect(new TextDecoder().decode(runSummaryBytes({ ...RUN, started_at: new Date(RUN.started_at) }))).toBe(
      canonicalJson({ ...RUN, started_at: '2026-01-02T03:04:05.000Z', scope: { ...RUN.scope } }),
    );
  });

  it('serialises to canonical bytes that parse back as a known evaluation statement', () => {
    const parsed = parseStatement(statementBytes(statement));
    expect(parsed.statement_type).toBe('evaluation');
    expect(parsed.statement).toEqual(JSON.parse(canonicalJson(statement)));
  });

  it('derives the overall result from the counts', () => {
    expect(overallResult({ pass: 1 })).toBe('PASSED');
    expect(overallResult({ pass: 1, warn: 2 })).toBe('WARNED');
    expect(overallResult({ error: 1 })).toBe('FAILED');
  });

  it('refuses input that breaks the predicate schema', () => {
    expect(() => evaluationStatement({ ...RUN, run_id: 'not-a-uuid' })).toThrow();
    expect(() => evaluationStatement(RUN, { evidence: [{ sha256: 'XYZ' }] })).toThrow();
  });
});

describe('remediationStatement', () => {
  it('pins each plan by the hash of its canonical JSON and records outcomes', () => {
    const statement = remediationStatement(RUN, {
      plans: [PLAN],
      outcomes: [
        {
          plan_id: PLAN.id,
          status: 'partial',
          started_at: new Date('2026-01-02T03:04:06Z'),
          ended_at: '2026-01-02T03:04:09Z',
          results: [{ step_index: 0, status: 'failed', provider_change_id: null }],
        },
      ],
    });
    expect(statement.predicateType).toBe(REMEDIATION_RUN_PREDICATE_TYPE);
    expect(statement.subject.at(-1)).toEqual({
      name: `seg/plans/${PLAN.id}/plan.json`,
      digest: { sha256: sha256Hex(planBytes(PLAN)) },
    });
    expect(statement.predicate.outcomes[0]).toMatchObject({
      operation: 'apply',
      status: 'partial',
      started_at: '2026-01-02T03:04:06.000Z',
    });
    expect(parseStatement(statementBytes(statement)).statement_type).toBe('remediation');
  });
});

describe('parseStatement', () => {
  const reason = (bytes: Uint8Array): string => {
    try {
      parseStatement(bytes);
      return 'accepted';
    } catch (e) {
      return (e as { details: { reason: string } }).details.reason;
    }
  };
  const good = evaluationStatement(RUN);

  it('rejects non-JSON, other statement types, unknown predicates and bad predicates', () => {
    expect(reason(utf8('{'))).toBe('malformed_statement');
    expect(reason(utf8('null'))).toBe('unknown_statement_type');
    expect(reason(utf8(JSON.stringify({ ...good, _type: 'https://in-toto.io/Statement/v0.1' })))).toBe(
      'unknown_statement_type',
    );
    expect(reason(utf8(JSON.stringify({ ...good, subject: [] })))).toBe('malformed_statement');
    expect(reason(utf8(JSON.stringify({ ...good, predicateType: 'https://slsa.dev/provenance/v1' })))).toBe(
      'unknown_predicate_type',
    );
    expect(reason(utf8(JSON.stringify({ ...good, predicate: { run: {} } })))).toBe('malformed_statement');
  });
});

describe('parseSubjectName', () => {
  it('maps every SEG subject name back to what it names', () => {
    expect(parseSubjectName(`seg/runs/${RUN.run_id}/summary.json`)).toEqual({
      kind: 'run_summary',
      run_id: RUN.run_id,
    });
    expect(parseSubjectName('seg/tables/findings/snapshots/-5/data/x.parquet')).toEqual({
      kind: 'data_file',
      table: 'findings',
      snapshot_id: '-5',
      path: 'data/x.parquet',
    });
    expect(parseSubjectName(`seg/evidence/sha256/${DATA}`)).toEqual({ kind: 'evidence', sha256: DATA });
    expect(parseSubjectName(`seg/plans/${PLAN.id}/plan.json`)).toEqual({ kind: 'plan', plan_id: PLAN.id });
    expect(parseSubjectName('other')).toEqual({ kind: 'unknown', name: 'other' });
  });
});

describe('attestationSchemas', () => {
  it('lists versioned schemas that export to JSON Schema for the registry', () => {
    expect(attestationSchemas.map((s) => `${s.name}@${s.version}`)).toEqual([
      'in-toto-statement@1.0.0',
      'seg-evaluation-run-predicate@1.0.0',
      'seg-remediation-run-predicate@1.0.0',
    ]);
    for (const entry of attestationSchemas) {
      const json = z.toJSONSchema(entry.schema, { io: 'input' }) as {
        $ref: string;
        $defs: Record<string, { type: string; required: string[] }>;
      };
      const root = json.$defs[json.$ref.replace('#/$defs/', '')]!;
      expect(root.type).toBe('object');
      expect(root.required.length).toBeGreaterThan(0);
    }
  });
});
