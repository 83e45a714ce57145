// The tenant's remediation use cases over the workflow and the in-memory provider: plan a committed
// failing finding, show, dry-run, apply with approvals, roll back; another tenant's plan is not found.
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SegError } from '@neurocipher/seg-contracts';
import type { Finding, RemediationPlan } from '@neurocipher/seg-contracts';
import { canonicalJson } from '@neurocipher/seg-attest';
import { InMemoryPlanRecordStore } from '@neurocipher/seg-ports';
import { InMemoryEvidenceSink, InMemoryRemediationSteps } from '@neurocipher/seg-ports/testing';
import { GuardrailsSchema } from './guardrails.ts';
import type { Guardrails } from './guardrails.ts';
import { DirectoryBundleSource } from '../bundle/directory-bundle-source.ts';
import { parseTrustedKeys } from '../bundle/signature.ts';
import { GatesEvaluator } from '../gates/gates-evaluator.ts';
import { bundlesRoot, repoRoot } from '../../test/helpers.ts';
import { RemediationDesk } from './remediation-desk.ts';
import type { PlanLedger, RemediationBench, RemediationGates } from './remediation-desk.ts';
import type { CommittedFinding } from './remediable-finding.ts';
import { RemediationService } from './remediation-service.ts';

const URN = 'urn:asset:aws:bucket:123456789012:us-east-1:logs';
const finding = (id: string, control_id: string, result: Finding['result'] = 'fail'): Finding => ({
  id,
  control_id,
  control_version: '1.0.0',
  asset: { urn: URN },
  result,
  severity: 'high',
  message: '',
  evidence: [],
  created_at: '2026-12-04T00:00:00Z',
  updated_at: '2026-12-04T00:00:00Z',
  fingerprint: `fp-${control_id}`,
});
const FIX = '11111111-1111-5111-8111-111111111111';
const GATED = '22222222-2222-5222-8222-222222222222';
const NEEDS_SETTING = '33333333-3333-5333-8333-333333333333';

function setUp(guardrails?: Guardrails, gates?: RemediationGates) {
  const steps = new InMemoryRemediationSteps({
    resources: { [URN]: { tls: false, tags: { env: 'production' } } },
    fixes: {
      'storage-tls': { set: { tls: true } },
      'storage-owner-only': {
        set: { public: false },
        approvals_required: ['security-owner'],
        estimated_risk: 'high',
      },
    },
  });
  const plans = new InMemoryPlanRecordStore();
  const remediation = new RemediationService({
    steps,
    evidence: new InMemoryEvidenceSink({ canonicalJson }),
    plans,
  });
  const recorded: Array<[string, string]> = [];
  const committed: CommittedFinding[] = [
    {
      finding: finding(FIX, 'storage-tls'),
      org_id: 'acme',
      run_id: 'r',
      committed_at: '2026-12-04T00:00:01Z',
    },
    {
      finding: finding(GATED, 'storage-owner-only'),
      org_id: 'acme',
      run_id: 'r',
      committed_at: '2026-12-04T00:00:01Z',
    },
    {
      finding: finding(NEEDS_SETTING, 'storage-logging'),
      org_id: 'acme',
      run_id: 'r',
      committed_at: '2026-12-04T00:00:01Z',
    },
  ];
  const ledger: PlanLedger = {
    finding: async (org_id, id) => {
      const found = committed.find((c) => c.org_id === org_id && c.finding.id === id);
      if (!found) throw new SegError({ error_code: 'SEG_NOT_FOUND', message: `finding ${id} not found` });
      return found;
    },
    recordPlans: async (made: readonly RemediationPlan[], org_id) => {
      for (const p of made) recorded.push([org_id, p.id]);
    },
  };
  const settingsSeen: unknown[] = [];
  const bench: RemediationBench = {
    plans,
    forAsset: (_urn, settings) => {
      settingsSeen.push(settings);
      return { remediation };
    },
    changeable: (urn) => urn.startsWith('urn:asset:aws:bucket:1'),
  };
  // storage-logging needs a setting the provider names: as the AWS steps do for a missing log bucket.
  const draft = steps.draft.bind(steps);
  steps.draft = async (f) => {
    if (f.control_id === 'storage-logging')
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'this remediation needs a log bucket',
        details: { missing: 'access_log_bucket' },
      });
    return draft(f);
  };
  return {
    steps,
    recorded,
    settingsSeen,
    acme: new RemediationDesk('acme', bench, ledger, { guardrails, gates }),
    beta: new RemediationDesk('beta', bench, ledger),
  };
}

describe('RemediationDesk', () => {
  it('plans, shows, dry-runs, applies and rolls back a failing finding of the tenant', async () => {
    const { steps, recorded, settingsSeen, acme } = setUp();
    const made = await acme.plan(FIX, { access_log_bucket: 'logs' });
    expect(settingsSeen[0]).toEqual({ access_log_bucket: 'logs' });
    expect(made.preview?.diff).toEqual([{ path: '/tls', before: false, after: true }]);
    expect(recorded).toEqual([['acme', made.plan.id]]);
    expect((await acme.show(made.plan.id)).record.control_id).toBe('storage-tls');
    const dry = await acme.dryRun(made.plan.id);
    expect([dry.drift, steps.resource(URN)?.['tls']]).toEqual([[], false]);
    await expect(acme.rollback(made.plan.id)).rejects.toMatchObject({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: expect.stringMatching(/has not been applied/),
    });
    expect((await acme.apply(made.plan.id)).status).toBe('success');
    expect(steps.resource(URN)).toMatchObject({ tls: true });
    expect((await acme.show(made.plan.id)).history.map((e) => e.kind)).toEqual(['apply']);
    expect((await acme.rollback(made.plan.id)).status).toBe('success');
    expect(steps.resource(URN)).toMatchObject({ tls: false });
  });

  it('refuses an apply until an approval of this exact plan is recorded, and records each approval once', async () => {
    const { acme } = setUp();
    const made = await acme.plan(GATED);
    await expect(acme.apply(made.plan.id)).rejects.toMatchObject({
      error_code: 'SEG_INVALID_ARGUMENT',
      details: { missing: [{ role: 'security-owner', count: 1 }] },
    });
    const approval = await acme.approve(made.plan.id, {
      approver: 'alice@acme.example',
      role: 'security-owner',
      justification: 'CAB-77',
      now: new Date('2026-12-04T09:00:00Z'),
    });
    expect(approval).toMatchObject({
      approver: 'alice@acme.example',
      approved_at: '2026-12-04T09:00:00.000Z',
    });
    expect(
      await acme.approve(made.plan.id, { approver: 'alice@acme.example', role: 'security-owner' }),
    ).toEqual(approval);
    expect((await acme.show(made.plan.id)).history.map((e) => e.kind)).toEqual(['approval']);
    expect((await acme.apply(made.plan.id)).status).toBe('success');
  });

  it('another tenant sees none of it: its plan ids and finding ids are not found', async () => {
    const { acme, beta } = setUp();
    const made = await acme.plan(FIX);
    for (const call of [
      () => beta.show(made.plan.id),
      () => beta.dryRun(made.plan.id),
      () => beta.apply(made.plan.id),
      () => beta.approve(made.plan.id, { approver: 'mallory', role: 'security-owner' }),
    ])
      await expect(call()).rejects.toMatchObject({
        error_code: 'SEG_NOT_FOUND',
        message: `unknown plan ${made.plan.id}`,
      });
    await expect(beta.plan(FIX)).rejects.toMatchObject({ error_code: 'SEG_NOT_FOUND' });
    await expect(acme.show('9b2f4c1e-0d3a-4b6c-8d7e-1f2a3b4c5d6e')).rejects.toMatchObject({
      error_code: 'SEG_NOT_FOUND',
    });
    await expect(acme.show('not-a-plan')).rejects.toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
  });

  it('says how to give a missing setting, and returns a plan without steps when the asset complies', async () => {
    const { steps, acme, recorded } = setUp();
    await expect(acme.plan(NEEDS_SETTING, {}, (key) => `add --set ${key}=<value>`)).rejects.toMatchObject({
      message: 'this remediation needs a log bucket: add --set access_log_bucket=<value>',
    });
    await expect(acme.plan(NEEDS_SETTING)).rejects.toMatchObject({
      message: 'this remediation needs a log bucket',
    });
    steps.set_resource(URN, { tls: true, tags: { env: 'production' } });
    const made = await acme.plan(FIX);
    expect([made.plan.steps, made.preview, recorded]).toEqual([[], null, []]);
  });
});

describe('RemediationDesk guardrails', () => {
  const guardrails = GuardrailsSchema.parse({
    change_windows: [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '06:00', end: '22:00', time_zone: 'UTC' },
    ],
    production_hours: [{ days: ['tue', 'wed'], start: '10:00', end: '12:00', time_zone: 'Europe/Berlin' }],
  });

  it('refuses an apply to a production asset outside its production hours, before any step runs', async () => {
    const { steps, acme } = setUp(guardrails);
    const made = await acme.plan(FIX);
    // Friday 2026-12-04 12:00 UTC: inside the change window, outside the production hours.
    await expect(acme.apply(made.plan.id, { now: new Date('2026-12-04T12:00:00Z') })).rejects.toMatchObject({
      error_code: 'SEG_INVALID_ARGUMENT',
      details: { guardrail: 'production_hours' },
    });
    await expect(acme.apply(made.plan.id, { now: new Date('2026-12-05T12:00:00Z') })).rejects.toMatchObject({
      details: { guardrail: 'change_window' },
    });
    expect(steps.resource(URN)?.['tls']).toBe(false);
    expect(await acme.show(made.plan.id).then((s) => s.history)).toEqual([]);
    // Wednesday 2026-12-02 10:30 Berlin (09:30 UTC): inside both.
    expect((await acme.apply(made.plan.id, { now: new Date('2026-12-02T09:30:00Z') })).status).toBe(
      'success',
    );
  });
});

describe('RemediationDesk gates (the signed bundles/seg-gates)', () => {
  const trustedKeys = parseTrustedKeys(
    readFileSync(join(repoRoot, 'tools/bundle/trusted-keys.json'), 'utf8'),
  );
  const evaluator = new GatesEvaluator({
    bundleSource: new DirectoryBundleSource({ root: bundlesRoot }),
    trustedKeys,
    bundle: { id: 'seg-gates', version: '1.0.0' },
  });
  afterAll(() => evaluator.close());
  const gatedDesk = (rollout_phase: 0 | 1 | 2 | 3) => {
    const { steps, acme } = setUp(undefined, { decide: (i) => evaluator.decide(i), rollout_phase });
    return { steps, gated: acme };
  };

  it('phase 0 is read-only: a plan is refused before anything is recorded', async () => {
    const { steps, acme, recorded } = setUp(undefined, {
      decide: (i) => evaluator.decide(i),
      rollout_phase: 0,
    });
    await expect(acme.plan(FIX)).rejects.toMatchObject({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: expect.stringMatching(/the gates refuse the plan of plan .*: rollout phase 0: read-only/),
    });
    expect(steps.resource(URN)?.['tls']).toBe(false);
    expect(recorded).toEqual([]);
  });

  it('phase 1 plans but refuses to apply, naming the phase', async () => {
    const { gated } = gatedDesk(1);
    const made = await gated.plan(FIX);
    await expect(gated.apply(made.plan.id)).rejects.toMatchObject({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: expect.stringMatching(/the gates refuse the apply of plan .*: rollout phase 1: plan only/),
    });
  });

  it('phase 3: a high-risk plan on a production asset needs a security-owner and a service-owner, two people', async () => {
    const { steps, gated } = gatedDesk(3);
    const made = await gated.plan(GATED);
    await expect(gated.apply(made.plan.id)).rejects.toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
    // The asset is tagged env=production: the gates want a service-owner beside the security-owner.
    await gated.approve(made.plan.id, { approver: 'alice', role: 'service-owner' });
    await gated.approve(made.plan.id, { approver: 'alice', role: 'security-owner' });
    await expect(gated.apply(made.plan.id)).rejects.toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
    await gated.approve(made.plan.id, { approver: 'bob', role: 'security-owner' });
    const decisionNeeds = await evaluator.decide({
      action: 'apply',
      plan: {
        id: made.plan.id,
        finding_id: made.plan.finding_id,
        control_id: 'storage-owner-only',
        estimated_risk: made.plan.estimated_risk,
        steps: made.plan.steps,
        blast_radius: { dependents: 0 },
      },
      asset: { urn: URN, tags: { env: 'production' } },
      tenant: { org_id: 'acme', rollout_phase: 3 },
    });
    expect(decisionNeeds.required.map((r) => r.role)).toContain('service-owner');
    expect((await gated.apply(made.plan.id)).status).toBe('success');
    expect(steps.resource(URN)).toMatchObject({ public: false });
  });
});
