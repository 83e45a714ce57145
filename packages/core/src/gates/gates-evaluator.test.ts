import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSegError, type SegError } from '@neurocipher/seg-contracts';
import type { TrustedKey } from '@neurocipher/seg-attest';
import { DirectoryBundleSource } from '../bundle/directory-bundle-source.ts';
import { parseTrustedKeys } from '../bundle/signature.ts';
import { instantiateWasm, readVerifiedBundle } from '../evaluation/bundle-loader.ts';
import { Evaluator } from '../evaluation/evaluator.ts';
import { gateVectors, runGateVectors } from '../validation/gate-vectors.ts';
import { GateInputSchema, type GateInput } from './gate-input.ts';
import { GatesEvaluator } from './gates-evaluator.ts';
import {
  buildWasmInto,
  bundlesRoot,
  newKey,
  repoRoot,
  signDir,
  signedCopy,
  tempRoot,
  type TestKey,
} from '../../test/helpers.ts';

// The committed, signed bundles/seg-gates, verified with the committed development keys.
const trustedKeys: TrustedKey[] = parseTrustedKeys(
  readFileSync(join(repoRoot, 'tools/bundle/trusted-keys.json'), 'utf8'),
);
const ref = { id: 'seg-gates', version: '1.0.0' };

async function thrown(promise: Promise<unknown>): Promise<SegError> {
  try {
    await promise;
  } catch (error) {
    if (isSegError(error)) return error;
    throw error;
  }
  throw new Error('expected a SegError');
}

function input(overrides: {
  action?: GateInput['action'];
  phase?: GateInput['tenant']['rollout_phase'];
  risk?: GateInput['plan']['estimated_risk'];
  steps?: string[];
  dependents?: number;
  tags?: Record<string, string>;
}): GateInput {
  return {
    action: overrides.action ?? 'apply',
    plan: {
      id: '3e2d1c0b-a998-4877-8665-544332211000',
      finding_id: '0b9f3c2a-4d5e-5f60-8a1b-2c3d4e5f6a7b',
      control_id: 'cis-s3-block-public-access',
      estimated_risk: overrides.risk ?? 'low',
      steps: (overrides.steps ?? ['s3:PutPublicAccessBlock']).map((action) => ({ action })),
      blast_radius: { dependents: overrides.dependents ?? 0 },
    },
    asset: { urn: 'urn:asset:aws:bucket:b1', tags: overrides.tags ?? {} },
    tenant: { org_id: 'acme', rollout_phase: overrides.phase ?? 3 },
  };
}

describe('GatesEvaluator', () => {
  const root = tempRoot('seg-gates-test-');
  let key: TestKey;
  let gates: GatesEvaluator;

  beforeAll(() => {
    key = newKey();
    gates = new GatesEvaluator({
      bundleSource: new DirectoryBundleSource({ root: bundlesRoot }),
      trustedKeys,
      bundle: ref,
    });
  });
  afterAll(async () => {
    await gates.close();
    root.dispose();
  });

  /** A signed copy of bundles/seg-gates, alone in its own bundle root (copies share the id and version). */
  async function copyOf(name: string): Promise<string> {
    const own = join(root.path, name);
    mkdirSync(own);
    return signedCopy('seg-gates', own, key);
  }

  /** A copy `mutate`d, then re-signed: what a tenant ships as its own gates bundle. */
  async function tenantCopy(name: string, mutate: (dir: string) => void | Promise<void>): Promise<string> {
    const dir = await copyOf(name);
    await mutate(dir);
    await signDir(dir, key);
    return dir;
  }

  function evaluatorFor(dir: string, keys: readonly TrustedKey[] = [key.trusted]): GatesEvaluator {
    return new GatesEvaluator({
      bundleSource: new DirectoryBundleSource({ root: join(dir, '..') }),
      trustedKeys: keys,
      bundle: ref,
    });
  }

  describe('#load', () => {
    it('verifies the committed bundle with tools/bundle/trusted-keys.json', async () => {
      const info = await gates.load();
      expect(info.ref).toEqual(ref);
      expect(info.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(trustedKeys.map((k) => k.keyid)).toContain(info.signer);
    });

    it('refuses a bundle whose data changed after signing', async () => {
      const dir = await copyOf('tampered');
      // One changed byte in the data, after signing: a lower blast radius threshold.
      const path = join(dir, 'data/gates.json');
      writeFileSync(
        path,
        readFileSync(path, 'utf8').replace('"dependents_above": 5', '"dependents_above": 4'),
      );
      const tampered = evaluatorFor(dir);
      const error = await thrown(tampered.decide(input({})));
      expect(error.error_code).toBe('SEG_POLICY_LOAD_FAILED');
      expect(error.message).toContain('data/gates.json does not match its checksum');
      expect(error.toJSON()).toMatchObject({ retryable: false, details: { path: 'data/gates.json' } });
      await tampered.close();
    });

    it('refuses a bundle signed by a key it does not trust', async () => {
      const dir = await copyOf('untrusted');
      const untrusted = evaluatorFor(dir, trustedKeys);
      expect((await thrown(untrusted.load())).message).toContain('not trusted');
      await untrusted.close();
    });

    it('refuses a control bundle, and the control Evaluator refuses a gates bundle', async () => {
      const controls = new GatesEvaluator({
        bundleSource: new DirectoryBundleSource({ root: bundlesRoot }),
        trustedKeys,
        bundle: { id: 'seg-custom', version: '1.0.0' },
      });
      const error = await thrown(controls.decide(input({})));
      expect(error.toJSON()).toEqual({
        error_code: 'SEG_POLICY_LOAD_FAILED',
        message: 'bundle seg-custom@1.0.0 is a controls bundle, not a gates bundle',
        retryable: false,
        details: { bundle: 'seg-custom@1.0.0', kind: 'controls', expected_kind: 'gates' },
      });
      const evaluator = new Evaluator({
        bundleSource: new DirectoryBundleSource({ root: bundlesRoot }),
        trustedKeys,
        bundles: [ref],
        engine: { kind: 'wasm', workers: 0 },
      });
      expect((await thrown(evaluator.load())).message).toBe(
        'bundle seg-gates@1.0.0 is a gates bundle, not a controls bundle',
      );
      await evaluator.close();
    });
  });

  describe('#decide', () => {
    it('returns every vector of the committed bundle, through the raw entrypoint and through decide', async () => {
      const source = new DirectoryBundleSource({ root: bundlesRoot });
      const bundle = await readVerifiedBundle(source, ref, trustedKeys, { kind: 'gates' });
      const vectors = gateVectors(bundle.verified.files);
      const engine = await instantiateWasm(bundle, 0);
      const outcomes = await runGateVectors(vectors, engine);
      await engine.close();
      expect(outcomes.filter((o) => !o.ok)).toEqual([]);
      expect(outcomes.length).toBeGreaterThanOrEqual(40);

      let viaDecide = 0;
      for (const file of vectors.values()) {
        for (const vector of file.vectors) {
          if (GateInputSchema.safeParse(vector.input).success) {
            viaDecide += 1;
            expect({ name: vector.name, decision: await gates.decide(vector.input as GateInput) }).toEqual({
              name: vector.name,
              decision: vector.expected,
            });
          } else {
            // What the schema refuses never reaches the policy; the policy refuses it too.
            expect(vector.expected.allow).toBe(false);
            expect((await thrown(gates.decide(vector.input as GateInput))).error_code).toBe(
              'SEG_SCHEMA_VIOLATION',
            );
          }
        }
      }
      expect(viaDecide).toBeGreaterThanOrEqual(38);
    });

    it('refuses every action in phase 0 and all but plan in phase 1', async () => {
      for (const action of ['plan', 'apply', 'rollback'] as const) {
        expect(await gates.decide(input({ action, phase: 0 }))).toEqual({
          allow: false,
          deny: ['rollout phase 0: read-only'],
          required: [],
          distinct_approvers: 0,
        });
      }
      expect((await gates.decide(input({ action: 'plan', phase: 1 }))).allow).toBe(true);
      expect((await gates.decide(input({ action: 'apply', phase: 1 }))).deny).toEqual([
        'rollout phase 1: plan only',
      ]);
    });

    it('asks a high-risk IAM change on production with a wide blast radius for both roles', async () => {
      const decision = await gates.decide(
        input({
          risk: 'high',
          steps: ['s3:PutBucketPolicy', 'iam:DetachRolePolicy'],
          dependents: 12,
          tags: { Environment: 'prod' },
        }),
      );
      expect(decision).toEqual({
        allow: true,
        deny: [],
        required: [
          { role: 'security-owner', count: 1 },
          { role: 'service-owner', count: 1 },
        ],
        distinct_approvers: 2,
      });
    });

    it("returns the README example's decision", async () => {
      const decision = await gates.decide({
        ...input({ steps: ['iam:UpdateAccessKey'] }),
        asset: { urn: 'urn:asset:aws:iam-access-key:AKIA1', tags: {} },
      });
      expect(decision).toEqual({
        allow: true,
        deny: [],
        required: [{ role: 'security-owner', count: 1 }],
        distinct_approvers: 1,
      });
    });

    it('refuses an input that breaks the GateInput schema, naming the paths', async () => {
      const bad = { ...input({}), tenant: { org_id: 'acme', rollout_phase: 7 } } as unknown as GateInput;
      const error = await thrown(gates.decide(bad));
      expect(error.error_code).toBe('SEG_SCHEMA_VIOLATION');
      expect(error.details).toMatchObject({ schema: 'GateInput', paths: ['tenant.rollout_phase'] });
      const extra = { ...input({}), approved: true } as unknown as GateInput;
      expect((await thrown(gates.decide(extra))).details).toMatchObject({ paths: [''] });
    });
  });

  describe('a tenant gates bundle', () => {
    it('decides with its own data: thresholds, production tags, roles and approver counts', async () => {
      const dir = await tenantCopy('tenant', (d) => {
        const path = join(d, 'data/gates.json');
        const doc = JSON.parse(readFileSync(path, 'utf8'));
        const rules = doc.seg.gate_rules;
        rules.production.tag_values = ['live'];
        rules.approval_rules[1].dependents_above = 1;
        rules.approval_rules.push({ role: 'data-owner', control_ids: ['cis-s3-block-public-access'] });
        rules.min_distinct_approvers = { high: 3, medium: 2 };
        rules.phases['2'].apply_max_risk = 'medium';
        writeFileSync(path, JSON.stringify(doc));
      });
      const tenant = evaluatorFor(dir);
      // The control rule: data-owner for this control, even on a low-risk plan.
      expect(await tenant.decide(input({}))).toMatchObject({
        required: [{ role: 'data-owner', count: 1 }],
        distinct_approvers: 1,
      });
      // Two dependents are above the tenant's threshold of 1; `prod` is not a production value, `live` is.
      expect((await tenant.decide(input({ dependents: 2 }))).required.map((r) => r.role)).toEqual([
        'data-owner',
        'service-owner',
      ]);
      expect((await tenant.decide(input({ tags: { env: 'prod' } }))).required).toHaveLength(1);
      expect((await tenant.decide(input({ tags: { env: 'LIVE' } }))).required).toHaveLength(2);
      // High risk needs three distinct people: the extra approvals go to security-owner.
      expect(await tenant.decide(input({ risk: 'high' }))).toEqual({
        allow: true,
        deny: [],
        required: [
          { role: 'data-owner', count: 1 },
          { role: 'security-owner', count: 2 },
        ],
        distinct_approvers: 3,
      });
      // Phase 2 of this tenant applies medium-risk plans.
      expect((await tenant.decide(input({ risk: 'medium', phase: 2 }))).allow).toBe(true);
      expect((await gates.decide(input({ risk: 'medium', phase: 2 }))).allow).toBe(false);
      await tenant.close();
    });

    it('refuses everything when its data is incomplete or has a typo', async () => {
      const dir = await tenantCopy('broken', (d) => {
        const path = join(d, 'data/gates.json');
        const doc = JSON.parse(readFileSync(path, 'utf8'));
        doc.seg.gate_rules.approval_rules[1] = { role: 'service-owner', dependents_abov: 5 };
        delete doc.seg.gate_rules.phases['3'].approvals;
        writeFileSync(path, JSON.stringify(doc));
      });
      const broken = evaluatorFor(dir);
      expect(await broken.decide(input({ action: 'plan' }))).toEqual({
        allow: false,
        deny: [
          'gates data: seg.gate_rules.approval_rules must be a list of rules with a role and known conditions',
          'gates data: seg.gate_rules.phases must map phases to {name, actions, approvals, apply_max_risk?}',
        ],
        required: [],
        distinct_approvers: 0,
      });
      await broken.close();
    });

    it('is refused with SEG_SCHEMA_VIOLATION when its decision breaks the GateDecision schema', async () => {
      const dir = await tenantCopy('lenient', async (d) => {
        writeFileSync(
          join(d, 'policies/gates.rego'),
          'package seg.gates\n\ndecision := {"allow": true, "deny": ["nope"], "required": [], "distinct_approvers": 0}\n',
        );
        rmSync(join(d, 'build'), { recursive: true });
        await buildWasmInto(d);
      });
      const lenient = evaluatorFor(dir);
      const error = await thrown(lenient.decide(input({})));
      expect(error.error_code).toBe('SEG_SCHEMA_VIOLATION');
      expect(error.message).toContain('gates bundle seg-gates@1.0.0 returned an invalid decision');
      expect(error.details).toMatchObject({
        schema: 'GateDecision',
        bundle: 'seg-gates@1.0.0',
        paths: ['allow'],
      });
      await lenient.close();
    });
  });
});
