// Deterministic sample data for the lakehouse tests: runs of findings over a few assets and tenants.
import type {
  Asset,
  Attestation,
  ControlSpec,
  EvidenceObj,
  Finding,
  IngestContext,
  RemediationPlan,
} from '@neurocipher/seg-contracts';
import { sha256Hex } from '@neurocipher/seg-ports';

const hex = (s: string) => sha256Hex(s);

/** A deterministic UUID (v4-shaped) from a seed string. */
export function uuidFrom(seed: string): string {
  const h = hex(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The fingerprint of a finding: tenant, control and asset. */
export function fingerprint(org: string, control: string, urn: string): string {
  return hex(`${org}|${control}|${urn}`);
}

/** One sample run: findings on `assetCount` buckets for two controls, with evidence and the run context. */
export function sampleRun(opts: {
  org: string;
  run: string;
  day: string;
  assetCount: number;
  resultOf?: (control: string, asset: number) => Finding['result'];
}): { findings: Finding[]; evidence: EvidenceObj[]; context: IngestContext } {
  const controls: ControlSpec[] = ['cis-s3-1', 'cis-s3-2'].map((id, i) => ({
    id,
    version: '1.0.0',
    title: `Bucket control ${i + 1}`,
    benchmark: 'CIS',
    description: 'Buckets block public access',
    inputs: { threshold: i },
    target_kinds: ['bucket'],
    policy_bundle: 'aws-baseline@1.0.0',
    severity: i === 0 ? 'high' : 'medium',
    rationale: null,
    remediation_guidance: 'Enable the block',
  }));
  const assets: Asset[] = Array.from({ length: opts.assetCount }, (_, i) => ({
    ref: { urn: `urn:asset:aws:bucket:${opts.org}-bucket-${i}` },
    kind: 'bucket',
    provider: 'aws',
    name: i % 2 === 0 ? `bucket-${i}` : null,
    properties: { region: 'eu-west-1', versioned: i % 3 === 0, objects: i * 10 },
    discovered_at: `${opts.day}T01:02:03.123456Z`,
  }));
  const findings: Finding[] = [];
  const evidence: EvidenceObj[] = [];
  for (const c of controls) {
    assets.forEach((a, i) => {
      const fp = fingerprint(opts.org, c.id, a.ref.urn);
      const hash = hex(`evidence|${opts.run}|${fp}`);
      const id = uuidFrom(`${opts.run}|${fp}`);
      const result = opts.resultOf?.(c.id, i) ?? (i % 2 === 0 ? 'fail' : 'pass');
      findings.push({
        id,
        control_id: c.id,
        control_version: c.version,
        asset: a.ref,
        result,
        severity: c.severity,
        message: `${c.id} on ${a.ref.urn}: ${result}`,
        evidence: [{ hash, uri: `https://evidence.example.com/${hash}`, media_type: 'application/json' }],
        created_at: `${opts.day}T02:00:00Z`,
        updated_at: `${opts.day}T02:00:00.5Z`,
        fingerprint: fp,
      });
      evidence.push({
        hash,
        uri: `https://evidence.example.com/${hash}`,
        media_type: 'application/json',
        size_bytes: 100 + i,
        finding_ids: [id],
        captured_at: `${opts.day}T01:59:00Z`,
      });
    });
  }
  const counts = { pass: 0, warn: 0, fail: 0, error: 0 };
  for (const f of findings) if (f.result in counts) counts[f.result as keyof typeof counts]++;
  return {
    findings,
    evidence,
    context: {
      run: {
        run_id: opts.run,
        scope: { org_id: opts.org, project: null, region: 'eu-west-1', tags: { env: 'prod' } },
        started_at: `${opts.day}T01:00:00Z`,
        ended_at: `${opts.day}T02:30:00Z`,
        controls: controls.map((c) => c.id),
        counts,
      },
      assets,
      controls,
    },
  };
}

/** Sample remediation plans for findings. */
export function samplePlans(findings: readonly Finding[]): RemediationPlan[] {
  return findings.slice(0, 2).map((f, i) => ({
    id: uuidFrom(`plan|${f.id}`),
    finding_id: f.id,
    mode: 'plan',
    steps: [
      { action: 'PutPublicAccessBlock', description: 'Block public access', params: { bucket: f.asset.urn } },
    ],
    estimated_risk: i === 0 ? 'low' : 'medium',
    change_window: null,
    approvals_required: ['owner'],
    created_at: '2026-01-02T03:00:00Z',
  }));
}

/** A sample attestation of a run. */
export function sampleAttestation(run: string): Attestation {
  return {
    id: uuidFrom(`att|${run}`),
    run_id: run,
    statement_type: 'evaluation',
    payload_hash: hex(`payload|${run}`),
    signer: 'ed25519:test',
    signature: 'c2lnbmF0dXJl',
    created_at: '2026-01-02T03:30:00Z',
    transparency_uri: null,
  };
}
