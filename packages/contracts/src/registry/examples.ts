/**
 * One or more valid documents per registry contract, at its current version. The schema export
 * (`npm run schemas`) freezes them beside each new version's JSON Schema, and CI checks that the examples
 * of version N-1 still validate under version N (spec §5.3, §18).
 */
const urn = 'urn:asset:aws:bucket:arn:aws:s3:::seg-demo-logs';
const runId = '6f1c7b1e-9a53-5d2e-8a3b-2f0d7c4e9b10';
const findingId = '0b9f3c2a-4d5e-5f60-8a1b-2c3d4e5f6a7b';
const planId = '3e2d1c0b-a998-4877-8665-544332211000';
const hash = 'a'.repeat(64);
const at = '2026-11-26T01:30:00Z';
const later = '2026-11-26T01:31:05.250+00:00';
const scope = { org_id: 'acme', project: 'prod', region: 'eu-west-1', tags: { env: 'prod' } };
const asset = {
  ref: { urn },
  kind: 'bucket',
  provider: 'aws',
  name: 'seg-demo-logs',
  properties: { region: 'eu-west-1', versioned: false, objects: 12 },
  discovered_at: at,
};
const finding = {
  id: findingId,
  control_id: 'cis-aws-2.1.4',
  control_version: '1.0.0',
  asset: { urn },
  result: 'fail',
  severity: 'high',
  message: 'Bucket allows public policy',
  evidence: [{ hash, media_type: 'application/json' }],
  created_at: at,
  updated_at: at,
  fingerprint: 'b'.repeat(64),
};
const runSummary = {
  run_id: runId,
  scope,
  started_at: at,
  ended_at: later,
  controls: ['cis-aws-2.1.4'],
  counts: { pass: 10, warn: 0, fail: 1, error: 0 },
};
const plan = {
  id: planId,
  finding_id: findingId,
  mode: 'plan',
  steps: [{ action: 'PutPublicAccessBlock', description: 'Block public access', params: { bucket: 'x' } }],
  estimated_risk: 'low',
  change_window: { start: at, end: later },
  approvals_required: ['seg.admin'],
  created_at: at,
};
const applyResult = {
  plan_id: planId,
  status: 'partial',
  results: [
    { step_index: 0, status: 'compensated', provider_change_id: 'req-1', message: 'rolled back' },
    { step_index: 1, status: 'failed', message: 'AccessDenied' },
  ],
  started_at: at,
  ended_at: later,
};
const attestation = {
  id: '9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a',
  run_id: runId,
  statement_type: 'evaluation',
  payload_hash: hash,
  signer: 'c'.repeat(64),
  signature: 'MEUCIQDx',
  created_at: at,
  transparency_uri: 'https://log.example.test/entries/42',
};
const publishReport = {
  attestation_id: attestation.id,
  status: 'partial',
  results: [
    { target: { kind: 'filesystem', path: '.seg/attestations' }, status: 'published', uri: 'file:///x' },
    {
      target: { kind: 'transparency_log', log: 'local' },
      status: 'failed',
      error: { error_code: 'SEG_ADAPTER_UNAVAILABLE', message: 'log down', retryable: true, details: {} },
    },
  ],
};
const appendResult = {
  run_id: runId,
  tables: [{ table: 'findings', snapshot_id: '9223372036854775807', rows_added: 11 }],
  findings_written: 11,
  evidence_written: 1,
  replayed: false,
};
const eventBase = {
  id: '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d',
  org_id: 'acme',
  occurred_at: at,
  schema_version: '1.0.0',
};

/** Valid example documents, by registry name. */
export const contractExamples: Readonly<Record<string, readonly unknown[]>> = {
  scope: [scope, { org_id: 'acme' }],
  'asset-ref': [{ urn }, { urn: 'urn:asset:gcp:instance:projects/p/zones/z/instances/i' }],
  asset: [
    asset,
    { ref: { urn: 'urn:asset:azure:vm:x' }, kind: 'vm', provider: 'azure', discovered_at: later },
  ],
  'asset-page': [{ assets: [asset], next_cursor: 'YWJj' }, { assets: [] }],
  'page-request': [{ cursor: 'YWJj', limit: 1000 }, {}],
  'config-doc': [
    { asset: { urn }, captured_at: at, schema_version: '1.0.0', body: { versioning: 'Enabled' } },
  ],
  'inventory-query': [
    { scope, kinds: ['bucket'], text: 'logs', properties: { region: 'eu-west-1' }, limit: 50 },
  ],
  'control-spec': [
    {
      id: 'cis-storage-public-access-block',
      version: '1.0.0',
      title: 'S3 buckets block public access',
      benchmark: 'CIS',
      description: 'Block public ACLs and policies.',
      inputs: { block_public_acls: true, block_public_policy: true },
      target_kinds: ['bucket'],
      policy_bundle: 'cis-aws-foundations',
      severity: 'high',
      rationale: 'Public buckets leak data.',
      remediation_guidance: 'PutPublicAccessBlock',
    },
  ],
  'evidence-pointer': [
    { hash, media_type: 'application/json' },
    { hash, uri: 'https://e.test/x', media_type: 'text/plain' },
  ],
  'evidence-obj': [
    { hash, media_type: 'application/json', size_bytes: 120, finding_ids: [findingId], captured_at: at },
  ],
  finding: [finding, { ...finding, fingerprint: 'prowler:s3_bucket_secure_transport:acme-logs' }],
  'remediation-step': [plan.steps[0]],
  'remediation-plan': [plan],
  'apply-change-result': [applyResult.results[0]],
  'apply-result': [applyResult],
  'rollback-result': [{ ...applyResult, status: 'success', results: [{ step_index: 0, status: 'success' }] }],
  window: [{ start: at, end: later, timezone: 'Europe/Dublin' }],
  'run-summary': [runSummary],
  attestation: [attestation],
  'attestation-target': [
    { kind: 'filesystem', path: '/var/seg/att' },
    { kind: 'object_store', prefix: 'attestations/' },
    { kind: 'transparency_log', log: 'local' },
  ],
  'verify-report': [
    {
      attestation_id: attestation.id,
      valid: false,
      checks: [
        { name: 'signature', ok: true },
        { name: 'payload_hash', ok: false, reason: 'digest mismatch' },
      ],
      verified_at: later,
    },
  ],
  'publish-report': [publishReport],
  'eval-request': [
    { scope, control_ids: ['cis-aws-2.1.4'], assets: [{ urn }], since: at },
    { scope, control_ids: ['cis-aws-2.1.4'], now: later, run_id: runId },
  ],
  'eval-result': [
    { run: runSummary, findings: [finding], evidence: [{ hash, media_type: 'application/json' }] },
  ],
  'validation-report': [
    {
      control_id: 'cis-aws-2.1.4',
      control_version: '1.0.0',
      valid: true,
      checks: [{ name: 'bundle verified', ok: true }],
    },
  ],
  'append-result': [appendResult],
  ack: [{ run_id: runId, acknowledged_at: later, durable: true }],
  'ingest-context': [{ run: runSummary, assets: [asset], controls: [] }],
  'seg-error': [
    {
      error_code: 'SEG_ADAPTER_TIMEOUT',
      message: 'Adapter call exceeded timeout',
      retryable: true,
      details: { adapter: 'aws', operation: 'list_assets' },
    },
  ],
  'seg-event': [
    {
      ...eventBase,
      type: 'seg.run.started',
      subject: runId,
      key: `seg.run.started/${runId}`,
      data: { run_id: runId, scope, control_ids: ['cis-aws-2.1.4'] },
    },
    {
      ...eventBase,
      type: 'seg.run.completed',
      subject: runId,
      key: `seg.run.completed/${runId}`,
      data: { run: runSummary },
    },
    {
      ...eventBase,
      type: 'seg.findings.committed',
      subject: runId,
      key: `seg.findings.committed/${runId}`,
      data: { result: appendResult },
    },
    {
      ...eventBase,
      type: 'seg.plan.created',
      subject: planId,
      key: `seg.plan.created/${planId}`,
      data: { plan },
    },
    {
      ...eventBase,
      type: 'seg.plan.applied',
      subject: planId,
      key: `seg.plan.applied/${planId}`,
      data: { result: applyResult },
    },
    {
      ...eventBase,
      type: 'seg.attestation.published',
      subject: attestation.id,
      key: `seg.attestation.published/${attestation.id}`,
      data: { attestation, report: publishReport },
    },
  ],
};
