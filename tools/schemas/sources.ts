// Where the registry's schemas come from besides the §7 contracts: the normalized config body of each
// asset kind (contracts), whose examples are the configs of the CIS bundle's pass and fail vectors, and
// the attestation statement and predicate schemas (attest).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizedConfigSchemas } from '@neurocipher/seg-contracts';
import { attestationSchemas } from '@neurocipher/seg-attest';

const BUNDLE_TESTS = join(import.meta.dirname, '..', '..', 'bundles', 'cis-aws-foundations', 'tests');
const MAX_EXAMPLES = 6;

interface Vector {
  input?: { asset?: { kind?: string }; config?: unknown };
  expected?: { result?: string };
}

/** Config bodies of the bundle's pass and fail vectors, by asset kind, first seen first, without repeats. */
export function vectorConfigsByKind(dir = BUNDLE_TESTS): Map<string, unknown[]> {
  const byKind = new Map<string, unknown[]>();
  if (!existsSync(dir)) return byKind;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const { vectors = [] } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { vectors?: Vector[] };
    for (const v of vectors) {
      const kind = v.input?.asset?.kind;
      if (!kind || v.input?.config === undefined || !['pass', 'fail'].includes(v.expected?.result ?? ''))
        continue;
      const list = byKind.get(kind) ?? [];
      const text = JSON.stringify(v.input.config);
      if (list.length < MAX_EXAMPLES && !list.some((c) => JSON.stringify(c) === text))
        list.push(v.input.config);
      byKind.set(kind, list);
    }
  }
  return byKind;
}

const runId = '6f1c7b1e-9a53-5d2e-8a3b-2f0d7c4e9b10';
const sha = (c: string) => c.repeat(64);
const run = {
  run_id: runId,
  scope: { org_id: 'acme', tags: {} },
  started_at: '2026-11-26T01:30:00Z',
  ended_at: '2026-11-26T01:31:00Z',
  controls: ['cis-aws-2.1.4'],
  counts: { pass: 3, warn: 0, fail: 1, error: 0 },
};
const tables = [
  {
    table: 'findings',
    snapshot_id: '9223372036854775807',
    data_files: [{ path: 'data/00000.parquet', sha256: sha('d'), record_count: 4 }],
  },
];
const evaluation = {
  run,
  result: 'FAILED',
  policy_bundles: [{ id: 'cis-aws-foundations', version: '1.0.0', digest: { sha256: sha('e') } }],
  tables,
  evidence: [{ sha256: sha('a'), media_type: 'application/json' }],
  engine: { name: 'seg', version: '0.1.0' },
};
const remediation = {
  run,
  plans: [
    {
      plan_id: '3e2d1c0b-a998-4877-8665-544332211000',
      finding_id: '0b9f3c2a-4d5e-5f60-8a1b-2c3d4e5f6a7b',
      mode: 'apply',
      estimated_risk: 'low',
      approvals_required: ['seg.admin'],
      plan_sha256: sha('f'),
    },
  ],
  outcomes: [
    {
      plan_id: '3e2d1c0b-a998-4877-8665-544332211000',
      operation: 'apply',
      status: 'success',
      started_at: '2026-11-26T01:32:00Z',
      ended_at: '2026-11-26T01:32:02Z',
      results: [{ step_index: 0, status: 'success', provider_change_id: 'req-1' }],
    },
  ],
  engine: { name: 'seg', version: '0.1.0' },
};
const attestationExamples: Record<string, unknown[]> = {
  'seg-evaluation-run-predicate': [evaluation],
  'seg-remediation-run-predicate': [remediation],
  'in-toto-statement': [
    {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: `seg/runs/${runId}/summary.json`, digest: { sha256: sha('b') } }],
      predicateType: 'https://neurocipher.io/seg/attestation/evaluation-run/v1',
      predicate: evaluation,
    },
  ],
};

/** Registry entries contributed by other packages, with their examples. */
export function externalEntries() {
  const configs = vectorConfigsByKind();
  return [
    ...normalizedConfigSchemas.map((s) => ({
      name: `config-${s.kind}`,
      version: s.version,
      schema: s.schema,
      examples: configs.get(s.kind) ?? [],
    })),
    ...attestationSchemas.map((s) => ({
      name: s.name,
      version: s.version,
      schema: s.schema,
      examples: attestationExamples[s.name] ?? [],
    })),
  ];
}
