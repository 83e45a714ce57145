import { describe, expect, it } from '@jest/globals';
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import type { Asset, ControlSpec, EvalRequest, Scope } from '@neurocipher/seg-contracts';
import { EvaluationPortId } from '../evaluation/evaluation-port.ts';
import type { EvaluationPort } from '../evaluation/evaluation-port.ts';
import type { InventoryPort } from '../inventory/inventory-port.ts';
import { sha256Hex } from '../digest/sha256-hex.ts';
import { uuidV5 } from '../digest/uuid-v5.ts';
import { InMemoryEvaluation } from './in-memory-evaluation.ts';
import type { InMemoryControl } from './in-memory-evaluation.ts';
import { InMemoryInventory } from './in-memory-inventory.ts';
import { ManualClock } from './manual-clock.ts';

const scope: Scope = { org_id: 'org-1', tags: {} };
const RUN_ID = '5d9f0b6e-2a7c-4f1e-9b3a-0c8d7e6f5a4b';

function bucket(id: string, encrypted: boolean | null): { asset: Asset; encrypted: boolean | null } {
  return {
    asset: {
      ref: { urn: `urn:asset:aws:bucket:${id}` },
      kind: 'bucket',
      provider: 'aws',
      name: id,
      properties: {},
      discovered_at: '2026-01-01T00:00:00Z',
    },
    encrypted,
  };
}

const spec: ControlSpec = {
  id: 'CIS-S3-1',
  version: '1.0.0',
  title: 'Buckets are encrypted',
  benchmark: 'CIS',
  description: 'Default encryption is on',
  inputs: { required: true },
  target_kinds: ['bucket'],
  policy_bundle: 'aws-cis',
  severity: 'high',
};

const encryption: InMemoryControl = {
  spec,
  evaluate: (_asset, config, params) => {
    if (config.body['encrypted'] === null) throw new Error('encryption setting unreadable');
    return config.body['encrypted'] === params['required']
      ? { result: 'pass', message: 'encrypted' }
      : { result: 'fail', message: 'not encrypted' };
  },
};

const vmControl: InMemoryControl = {
  spec: { ...spec, id: 'CIS-EC2-1', target_kinds: ['vm'], severity: 'low' },
  evaluate: () => ({ result: 'pass', message: 'ok' }),
};

function setup(order: 'forward' | 'reverse' = 'forward', runId = RUN_ID) {
  const items = [bucket('b1', true), bucket('b2', false), bucket('b3', null), bucket('b4', true)];
  const ordered = order === 'forward' ? items : [...items].reverse();
  const inventory = new InMemoryInventory({
    assets: ordered.map((i) => i.asset),
    configs: ordered
      .filter((i) => i.asset.ref.urn !== 'urn:asset:aws:bucket:b4')
      .map((i) => ({
        asset: i.asset.ref,
        captured_at: '2026-01-01T00:00:00Z',
        schema_version: '1',
        body: { encrypted: i.encrypted },
      })),
  });
  const clock = new ManualClock({ start: '2026-03-01T12:00:00Z' });
  const port = new InMemoryEvaluation({
    inventory,
    controls: [encryption, vmControl],
    clock,
    new_run_id: () => runId,
  });
  return { port, inventory };
}

const request: EvalRequest = { scope, control_ids: ['CIS-S3-1'] };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isSegError(error)) return error.error_code;
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('InMemoryEvaluation', () => {
  it('implements EvaluationPort under its id', () => {
    const port: EvaluationPort = setup().port;
    expect(port).toBeInstanceOf(InMemoryEvaluation);
    expect(EvaluationPortId).toBe(Symbol.for('seg.ports.EvaluationPort'));
  });

  describe('#evaluate', () => {
    it('gives one finding per (control, target asset) with pass, fail and error results', async () => {
      const result = await setup().port.evaluate(request);
      expect(result.findings.map((f) => [f.asset.urn.split(':').at(-1), f.result])).toEqual([
        ['b1', 'pass'],
        ['b2', 'fail'],
        ['b3', 'error'],
        ['b4', 'error'],
      ]);
      expect(result.findings[2]?.message).toContain('encryption setting unreadable');
      expect(result.findings[3]?.message).toContain('no config');
      expect(result.run).toMatchObject({
        run_id: RUN_ID,
        controls: ['CIS-S3-1'],
        counts: { pass: 1, fail: 1, error: 2, warn: 0, not_applicable: 0 },
        started_at: '2026-03-01T12:00:00.000Z',
      });
      expect(
        result.findings.every((f) => f.severity === 'high' && f.created_at === '2026-03-01T12:00:00.000Z'),
      ).toBe(true);
    });

    it('computes fingerprint = sha256(org\\ncontrol\\nurn) and id = UUIDv5(run id, fingerprint)', async () => {
      const [finding] = (await setup().port.evaluate(request)).findings;
      const fingerprint = sha256Hex('org-1\nCIS-S3-1\nurn:asset:aws:bucket:b1');
      expect(finding?.fingerprint).toBe(fingerprint);
      expect(finding?.id).toBe(uuidV5(RUN_ID, fingerprint));
      expect(finding?.evidence).toHaveLength(1);
    });

    it('takes the instant and run id from the request when it gives them', async () => {
      const other = '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5';
      const result = await setup().port.evaluate({ ...request, now: '2026-05-05T05:05:05Z', run_id: other });
      expect(result.run.run_id).toBe(other);
      expect(result.run.started_at).toBe('2026-05-05T05:05:05Z');
      expect(result.findings.every((f) => f.created_at === '2026-05-05T05:05:05Z')).toBe(true);
    });

    it('is deterministic whatever order the assets arrive in', async () => {
      const a = await setup('forward').port.evaluate(request);
      const b = await setup('reverse').port.evaluate(request);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    });

    it('yields the same finding ids when a run id is re-evaluated, and new ones for a new run', async () => {
      const { port } = setup();
      const first = await port.evaluate(request);
      const second = await port.evaluate(request);
      expect(second.findings.map((f) => f.id)).toEqual(first.findings.map((f) => f.id));
      const other = await setup('forward', '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a').port.evaluate(request);
      expect(other.findings.map((f) => f.fingerprint)).toEqual(first.findings.map((f) => f.fingerprint));
      expect(other.findings[0]?.id).not.toBe(first.findings[0]?.id);
    });

    it('evaluates only the listed assets and applies a control only to its target kinds', async () => {
      const result = await setup().port.evaluate({
        scope,
        control_ids: ['CIS-S3-1', 'CIS-EC2-1'],
        assets: [{ urn: 'urn:asset:aws:bucket:b2' }],
      });
      expect(result.findings.map((f) => [f.control_id, f.asset.urn])).toEqual([
        ['CIS-S3-1', 'urn:asset:aws:bucket:b2'],
      ]);
      expect(result.run.controls).toEqual(['CIS-EC2-1', 'CIS-S3-1']);
    });

    it('gives an error finding when a control returns an invalid outcome', async () => {
      const broken: InMemoryControl = { spec, evaluate: () => ({ result: 'maybe' as 'pass', message: 'x' }) };
      const port = new InMemoryEvaluation({ inventory: setup().inventory, controls: [broken] });
      const result = await port.evaluate({ ...request, assets: [{ urn: 'urn:asset:aws:bucket:b1' }] });
      expect(result.findings.map((f) => [f.result, f.message])).toEqual([
        ['error', 'control returned an invalid outcome'],
      ]);
    });

    it('throws SEG_POLICY_LOAD_FAILED for an unknown control, before evaluating anything', async () => {
      let calls = 0;
      const counting: InMemoryControl = {
        spec,
        evaluate: () => ((calls += 1), { result: 'pass', message: '' }),
      };
      const port = new InMemoryEvaluation({ inventory: setup().inventory, controls: [counting] });
      expect(await codeOf(port.evaluate({ scope, control_ids: ['CIS-S3-1', 'NOPE'] }))).toBe(
        'SEG_POLICY_LOAD_FAILED',
      );
      expect(calls).toBe(0);
    });

    it('throws SEG_SCHEMA_VIOLATION for a bad request', async () => {
      expect(await codeOf(setup().port.evaluate({ scope: { org_id: '', tags: {} }, control_ids: [] }))).toBe(
        'SEG_SCHEMA_VIOLATION',
      );
    });

    it('passes adapter errors through', async () => {
      const { inventory } = setup();
      const flaky: InventoryPort = {
        list_assets: (...args) => inventory.list_assets(...args),
        search: (query) => inventory.search(query),
        get_config: async () => {
          throw new SegError({ error_code: 'SEG_ADAPTER_TIMEOUT', message: 'provider did not answer' });
        },
      } satisfies InventoryPort;
      const port = new InMemoryEvaluation({ inventory: flaky, controls: [encryption] });
      expect(await codeOf(port.evaluate(request))).toBe('SEG_ADAPTER_TIMEOUT');
    });

    it('reads every page of a large inventory', async () => {
      const assets = Array.from(
        { length: 1500 },
        (_, i) => bucket(`x${String(i).padStart(4, '0')}`, true).asset,
      );
      const inventory = new InMemoryInventory({
        assets,
        configs: assets.map((a) => ({
          asset: a.ref,
          captured_at: '2026-01-01T00:00:00Z',
          schema_version: '1',
          body: { encrypted: true },
        })),
      });
      const port = new InMemoryEvaluation({ inventory, controls: [encryption] });
      const result = await port.evaluate(request);
      expect(result.findings).toHaveLength(1500);
      expect(result.run.counts['pass']).toBe(1500);
      expect(result.evidence).toHaveLength(1500);
    });
  });

  describe('#validate_control', () => {
    it('reports a loaded control as valid', async () => {
      const report = await setup().port.validate_control(spec);
      expect(report).toMatchObject({ control_id: 'CIS-S3-1', control_version: '1.0.0', valid: true });
      expect(report.checks.every((c) => c.ok)).toBe(true);
    });

    it('reports problems in the report instead of throwing', async () => {
      const { port } = setup();
      const unknown = await port.validate_control({ ...spec, id: 'NOPE', target_kinds: [] });
      expect(unknown.valid).toBe(false);
      expect(unknown.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([
        'policy_present',
        'version_matches',
        'target_kinds',
      ]);
      const stale = await port.validate_control({ ...spec, version: '2.0.0' });
      expect(stale.checks.find((c) => c.name === 'version_matches')).toMatchObject({
        ok: false,
        message: 'loaded version is 1.0.0',
      });
    });

    it('throws SEG_SCHEMA_VIOLATION for a malformed control', async () => {
      expect(await codeOf(setup().port.validate_control({ ...spec, severity: 'urgent' as 'high' }))).toBe(
        'SEG_SCHEMA_VIOLATION',
      );
    });
  });
});
