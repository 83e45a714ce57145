// fast-check generators of valid contract documents, in their parsed (output) form, for round-trip tests.
import fc from 'fast-check';

const hex = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
export const sha256 = hex(64);
export const uuid = fc.uuid();
const text = fc.string({ maxLength: 24 });
const nonEmpty = fc.string({ minLength: 1, maxLength: 24 });
const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k !== '__proto__');
const offset = fc.oneof(
  fc.constant('Z'),
  fc
    .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([s, h, m]) => `${s}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
);
export const awareDatetime = fc
  .tuple(
    fc.date({
      min: new Date('1990-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    }),
    offset,
    fc.boolean(),
  )
  .map(([d, o, frac]) => {
    const iso = d.toISOString();
    return `${frac ? iso.slice(0, 23) : iso.slice(0, 19)}${o}`;
  });
const httpUrl = fc
  .tuple(fc.constantFrom('http', 'https'), fc.domain(), fc.webPath())
  .map(([s, d, p]) => `${s}://${d}${p}`);
const provider = fc.constantFrom('aws', 'azure', 'gcp', 'onprem', 'other');
const kind = fc
  .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'), minLength: 1, maxLength: 16 })
  .map((k) => `k${k}`);
const idPart = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789:/_.-'),
  minLength: 1,
  maxLength: 40,
});
export const assetRef = fc
  .tuple(provider, kind, idPart)
  .map(([p, k, i]) => ({ urn: `urn:asset:${p}:${k}:${i}` }));
const scalar = fc.oneof(
  text,
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.boolean(),
);
const json = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const jsonObject = fc.dictionary(key, json, { maxKeys: 4 });
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const severity = fc.constantFrom('critical', 'high', 'medium', 'low', 'info');
const result = fc.constantFrom('pass', 'warn', 'fail', 'error', 'not_applicable');

export const scope = fc.record(
  {
    org_id: nonEmpty,
    project: nullable(text),
    region: nullable(text),
    tags: fc.dictionary(key, text, { maxKeys: 3 }),
  },
  { requiredKeys: ['org_id', 'tags'] },
);
export const asset = fc.record(
  {
    ref: assetRef,
    kind: nonEmpty,
    provider,
    name: nullable(text),
    properties: fc.dictionary(key, scalar, { maxKeys: 4 }),
    discovered_at: awareDatetime,
  },
  { requiredKeys: ['ref', 'kind', 'provider', 'properties', 'discovered_at'] },
);
export const configDoc = fc.record({
  asset: assetRef,
  captured_at: awareDatetime,
  schema_version: nonEmpty,
  body: jsonObject,
});
export const evidencePointer = fc.record(
  { hash: sha256, uri: nullable(httpUrl), media_type: nonEmpty },
  { requiredKeys: ['hash', 'media_type'] },
);
export const finding = fc.record({
  id: uuid,
  control_id: nonEmpty,
  control_version: nonEmpty,
  asset: assetRef,
  result,
  severity,
  message: text,
  evidence: fc.array(evidencePointer, { maxLength: 3 }),
  created_at: awareDatetime,
  updated_at: awareDatetime,
  fingerprint: fc.oneof(sha256, fc.string({ minLength: 1, maxLength: 80 })),
});
export const controlSpec = fc.record(
  {
    id: nonEmpty,
    version: nonEmpty,
    title: nonEmpty,
    benchmark: nonEmpty,
    description: text,
    inputs: jsonObject,
    target_kinds: fc.array(nonEmpty, { maxLength: 3 }),
    policy_bundle: nonEmpty,
    severity,
    rationale: nullable(text),
    remediation_guidance: nullable(text),
  },
  {
    requiredKeys: [
      'id',
      'version',
      'title',
      'benchmark',
      'description',
      'inputs',
      'target_kinds',
      'policy_bundle',
      'severity',
    ],
  },
);
export const runSummary = fc.record({
  run_id: uuid,
  scope,
  started_at: awareDatetime,
  ended_at: awareDatetime,
  controls: fc.array(nonEmpty, { maxLength: 4 }),
  counts: fc.dictionary(key, fc.nat(), { maxKeys: 5 }),
});
const step = fc.record({ action: nonEmpty, description: text, params: jsonObject });
export const remediationPlan = fc.record(
  {
    id: uuid,
    finding_id: uuid,
    mode: fc.constantFrom('plan', 'apply'),
    steps: fc.array(step, { maxLength: 3 }),
    estimated_risk: fc.constantFrom('low', 'medium', 'high'),
    change_window: nullable(fc.dictionary(key, text, { maxKeys: 2 })),
    approvals_required: fc.array(nonEmpty, { maxLength: 2 }),
    created_at: awareDatetime,
  },
  {
    requiredKeys: ['id', 'finding_id', 'mode', 'steps', 'estimated_risk', 'approvals_required', 'created_at'],
  },
);
const changeResult = fc.record(
  {
    step_index: fc.nat(),
    status: fc.constantFrom('success', 'skipped', 'failed', 'compensated'),
    provider_change_id: nullable(text),
    message: nullable(text),
  },
  { requiredKeys: ['step_index', 'status'] },
);
export const applyResult = fc.record({
  plan_id: uuid,
  status: fc.constantFrom('success', 'partial', 'failed'),
  results: fc.array(changeResult, { maxLength: 3 }),
  started_at: awareDatetime,
  ended_at: awareDatetime,
});
export const attestation = fc.record(
  {
    id: uuid,
    run_id: uuid,
    statement_type: fc.constantFrom('evaluation', 'remediation'),
    payload_hash: sha256,
    signer: nonEmpty,
    signature: nonEmpty,
    created_at: awareDatetime,
    transparency_uri: optional(httpUrl),
  },
  { requiredKeys: ['id', 'run_id', 'statement_type', 'payload_hash', 'signer', 'signature', 'created_at'] },
);
export const evalRequest = fc.record(
  {
    scope,
    control_ids: fc.array(nonEmpty, { maxLength: 3 }),
    assets: nullable(fc.array(assetRef, { maxLength: 3 })),
    since: nullable(awareDatetime),
    now: nullable(awareDatetime),
    run_id: nullable(uuid),
  },
  { requiredKeys: ['scope', 'control_ids'] },
);
export const evalResult = fc.record({
  run: runSummary,
  findings: fc.array(finding, { maxLength: 3 }),
  evidence: fc.array(evidencePointer, { maxLength: 3 }),
});
export const segErrorShape = fc.record({
  error_code: fc.constantFrom('SEG_SCHEMA_VIOLATION', 'SEG_ADAPTER_TIMEOUT', 'SEG_APPLY_PARTIAL'),
  message: nonEmpty,
  retryable: fc.boolean(),
  details: jsonObject,
});
