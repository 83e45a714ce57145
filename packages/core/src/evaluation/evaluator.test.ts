import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Asset, AssetPage, ConfigDoc, EvalRequest } from '@neurocipher/seg-contracts';
import { canonicalJson } from '@neurocipher/seg-attest';
import { sha256Hex, uuidV5, type InventoryPort } from '@neurocipher/seg-ports';
import { InMemoryEvidenceSink, InMemoryRedactor } from '@neurocipher/seg-ports/testing';
import { DirectoryBundleSource } from '../bundle/directory-bundle-source.ts';
import { Evaluator, type AssetDocument, type EvaluatorOptions } from './evaluator.ts';
import { sealFindings } from './seal-findings.ts';
import {
  buildWasmInto,
  bundlesRoot,
  newKey,
  signDir,
  signedCopy,
  tempRoot,
  type TestKey,
} from '../../test/helpers.ts';

const NOW = '2026-06-01T00:00:00Z';
const ALL = ['seg-access-key-max-age', 'seg-bucket-approved-region', 'seg-instance-imds-hop-limit'];
const RUN_ID = '4f5c8a52-8a2e-4a57-9d49-7d3c0b1d1c01';

function doc(
  kind: string,
  id: string,
  body: Record<string, unknown>,
  provider: Asset['provider'] = 'aws',
): AssetDocument {
  const urn = `urn:asset:${provider}:${kind}:${id}`;
  return {
    asset: { ref: { urn }, kind, provider, name: id, properties: {}, discovered_at: '2026-01-01T00:00:00Z' },
    config: { asset: { urn }, captured_at: '2026-01-01T00:00:00Z', schema_version: '1.0.0', body },
  };
}

/** A synthetic tenant with every result kind on every control. */
function tenant(n: number): AssetDocument[] {
  const regions = ['eu-west-1', 'us-west-1', 'ap-south-1'];
  const out: AssetDocument[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      doc('bucket', `b${i}`, i % 11 === 0 ? { name: `b${i}` } : { name: `b${i}`, region: regions[i % 3] }),
    );
    out.push(
      doc('iam-access-key', `k${i}`, {
        access_key_id: `k${i}`,
        user_name: 'u',
        status: i % 7 === 0 ? 'Inactive' : 'Active',
        create_date:
          i % 13 === 0 ? 'yesterday' : `2025-${String((i % 12) + 1).padStart(2, '0')}-15T00:00:00Z`,
        last_used_date: null,
      }),
    );
    out.push(
      doc('ec2-instance', `i${i}`, {
        instance_id: `i${i}`,
        state: 'running',
        metadata_options: {
          http_tokens: 'required',
          http_endpoint: i % 5 === 0 ? 'disabled' : 'enabled',
          http_put_response_hop_limit: i % 9 === 0 ? null : (i % 3) + 1,
        },
      }),
    );
  }
  return out;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const request: EvalRequest = { scope: { org_id: 'acme', tags: {} }, control_ids: ALL };

describe('Evaluator', () => {
  let root: ReturnType<typeof tempRoot>;
  let key: TestKey;
  const evaluators: Evaluator[] = [];

  function evaluator(extra: Partial<EvaluatorOptions> = {}): Evaluator {
    const e = new Evaluator({
      bundleSource: new DirectoryBundleSource({ root: root.path }),
      trustedKeys: [key.trusted],
      bundles: [{ id: 'seg-custom', version: '1.0.0' }],
      engine: { kind: 'wasm', workers: 0 },
      ...extra,
    });
    evaluators.push(e);
    return e;
  }

  beforeAll(async () => {
    root = tempRoot();
    key = newKey();
    await signedCopy('seg-custom', root.path, key);
    const faulty = join(root.path, 'faulty');
    cpSync(join(bundlesRoot, '../packages/core/test/fixtures/faulty-bundle'), faulty, { recursive: true });
    await buildWasmInto(faulty);
    await signDir(faulty, key);
  });

  afterAll(async () => {
    await Promise.all(evaluators.map((e) => e.close()));
    root.dispose();
  });

  describe('#evaluateDocuments', () => {
    it('gives each vector its expected result as a finding', async () => {
      let checked = 0;
      for (const controlId of ALL) {
        const file = JSON.parse(
          readFileSync(join(bundlesRoot, 'seg-custom/tests', `${controlId}.json`), 'utf8'),
        );
        for (const vector of file.vectors) {
          const { asset, config, params, now } = vector.input;
          // Vectors whose params the schema rejects cannot be configured as tenant params (validate_control covers them).
          if (
            asset.kind !==
            {
              'seg-access-key-max-age': 'iam-access-key',
              'seg-bucket-approved-region': 'bucket',
              'seg-instance-imds-hop-limit': 'ec2-instance',
            }[controlId as string]
          )
            continue;
          if (controlId !== 'seg-bucket-approved-region' && Object.keys(params).length === 0) continue;
          const e = evaluator({ params: { [controlId]: params } });
          const d = doc(asset.kind, 'x', config, asset.provider);
          const result = await e.evaluateDocuments({ ...request, control_ids: [controlId] }, [d], {
            now,
            run_id: RUN_ID,
          });
          expect({ name: vector.name, result: result.findings[0]?.result }).toEqual({
            name: vector.name,
            result: vector.expected.result,
          });
          if (vector.expected.message_contains)
            expect(result.findings[0]!.message).toContain(vector.expected.message_contains);
          checked++;
          await e.close();
        }
      }
      expect(checked).toBeGreaterThanOrEqual(12);
    });

    it('gives byte-identical findings whatever the asset order, batch size or thread count', async () => {
      const docs = tenant(120);
      const inline = await evaluator({ batchSize: 7 }).evaluateDocuments(request, docs, {
        now: NOW,
        run_id: RUN_ID,
      });
      const reversed = await evaluator({ batchSize: 200 }).evaluateDocuments(request, [...docs].reverse(), {
        now: NOW,
        run_id: RUN_ID,
      });
      const pooledEvaluator = evaluator({
        batchSize: 13,
        engine: { kind: 'wasm', workers: 2, parallelThreshold: 10 },
      });
      const pooled = await pooledEvaluator.evaluateDocuments(request, shuffled(docs, 42), {
        now: NOW,
        run_id: RUN_ID,
      });
      // 360 assets in batches of 13: every batch went through the worker pool, none fell back.
      expect(pooledEvaluator.stats).toEqual({ aggregatorCalls: 28, pooledCalls: 28, isolatedAssets: 0 });
      // The findings with the evidence bodies they cite (drafts: nothing hashed or stored yet).
      const bytes = JSON.stringify(inline.findings);
      expect(JSON.stringify(reversed.findings)).toBe(bytes);
      expect(JSON.stringify(pooled.findings)).toBe(bytes);
      expect(inline.findings).toHaveLength(360);
      const counts = inline.run.counts;
      for (const r of ['pass', 'warn', 'fail', 'error', 'not_applicable'])
        expect(counts[r]).toBeGreaterThan(0);
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(360);
    });

    it('derives fingerprints from tenant, control and URN, and ids from run id and fingerprint', async () => {
      const docs = tenant(3);
      const e = evaluator();
      const a = await e.evaluateDocuments(request, docs, { now: NOW, run_id: RUN_ID });
      const b = await e.evaluateDocuments(request, docs, {
        now: '2026-07-01T00:00:00Z',
        run_id: '0b6f1d7e-3c55-4c1e-9f0a-5e2f1f0c2a11',
      });
      for (const [i, f] of a.findings.entries()) {
        const expected = sha256Hex(canonicalJson(['acme', f.control_id, f.asset.urn]));
        expect(f.fingerprint).toBe(expected);
        expect(b.findings[i]!.fingerprint).toBe(expected);
        expect(f.id).toBe(uuidV5(RUN_ID, expected));
        expect(b.findings[i]!.id).not.toBe(f.id);
        expect(f.created_at).toBe(NOW);
      }
      expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe(
        '886313e1-3b8a-5372-9b90-0c9aee199e5d',
      );
    });

    it('reuses the run id for a retried request at the same instant', async () => {
      const docs = tenant(2);
      const e = evaluator();
      const first = await e.evaluateDocuments(request, docs, { now: NOW });
      const retry = await e.evaluateDocuments(request, shuffled(docs, 7), { now: NOW });
      expect(retry.run.run_id).toBe(first.run.run_id);
      expect(JSON.stringify(retry.findings)).toBe(JSON.stringify(first.findings));
    });

    it('cites the canonical asset, path and value as evidence, unhashed until the sink stores it', async () => {
      const d = doc('bucket', 'b1', { name: 'b1', region: 'eu-west-1' });
      const result = await evaluator().evaluateDocuments(
        { ...request, control_ids: ['seg-bucket-approved-region'] },
        [d],
        { now: NOW },
      );
      const body = canonicalJson({ asset: d.asset.ref.urn, path: '/region', value: 'eu-west-1' });
      expect(result.findings[0]!.evidence).toEqual([{ body, media_type: 'application/json' }]);
    });

    it('turns a control fault on one asset into an error finding for that pair only', async () => {
      const e = evaluator({ bundles: [{ id: 'faulty', version: '0.0.1' }] });
      const docs = [
        doc('bucket', 'a', { x: 1, y: 0 }),
        doc('bucket', 'b', { x: 1, y: 1 }),
        doc('bucket', 'c', { x: 0, y: 1 }),
      ];
      const result = await e.evaluateDocuments(
        { scope: request.scope, control_ids: ['seg-faulty', 'seg-steady'] },
        docs,
        { now: NOW },
      );
      const byPair = Object.fromEntries(
        result.findings.map((f) => [
          `${f.control_id} ${f.asset.urn.split(':').pop()}`,
          [f.result, f.message],
        ]),
      );
      expect(byPair).toEqual({
        'seg-faulty a': ['pass', 'x is set'],
        'seg-faulty b': ['error', expect.stringContaining('var assignment conflict')],
        'seg-faulty c': ['fail', 'y is set'],
        'seg-steady a': ['pass', 'seen a'],
        'seg-steady b': ['pass', 'seen b'],
        'seg-steady c': ['pass', 'seen c'],
      });
      expect(result.run.counts.error).toBe(1);
      // One batch failed, then each of its 3 assets was retried alone; only b had to be isolated.
      expect(e.stats).toEqual({ aggregatorCalls: 4, pooledCalls: 0, isolatedAssets: 1 });
    });

    it('rejects params that break the control schema', async () => {
      const e = evaluator({ params: { 'seg-access-key-max-age': { max_age_days: 'ninety' } } });
      await expect(e.evaluateDocuments(request, tenant(1), { now: NOW })).rejects.toMatchObject({
        error_code: 'SEG_INVALID_ARGUMENT',
      });
      await expect(
        evaluator().evaluateDocuments({ ...request, control_ids: ['nope'] }, [], { now: NOW }),
      ).rejects.toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
    });
  });

  describe('#evaluate', () => {
    it('reads assets page by page from the inventory, with their configs at the run instant', async () => {
      const docs = tenant(5);
      const calls: Array<{
        kinds: readonly string[];
        cursor: string | null | undefined;
        at: string | null | undefined;
      }> = [];
      const inventory = {
        async list_assets(_scope, kinds, _since, page): Promise<AssetPage> {
          calls.push({ kinds, cursor: page?.cursor, at: undefined });
          const start = Number(page?.cursor ?? 0);
          const matching = docs.filter((d) => kinds.includes(d.asset.kind));
          const next = start + 4;
          return {
            assets: matching.slice(start, next).map((d) => d.asset),
            next_cursor: next < matching.length ? String(next) : null,
          };
        },
        async get_config(ref, at): Promise<ConfigDoc> {
          calls.push({ kinds: [], cursor: undefined, at });
          return docs.find((d) => d.asset.ref.urn === ref.urn)!.config;
        },
        async search(): Promise<AssetPage> {
          throw new Error('not used');
        },
      } satisfies InventoryPort;
      const sink = new InMemoryEvidenceSink({ canonicalJson });
      const e = evaluator({ inventory, evidence: sink });
      const viaInventory = await e.evaluate(request, { now: NOW, run_id: RUN_ID });
      const direct = await e.evaluateDocuments(request, docs, { now: NOW, run_id: RUN_ID });
      const sealed = await sealFindings(direct.findings, sink);
      expect(JSON.stringify(viaInventory.findings)).toBe(JSON.stringify(sealed.findings));
      // Every pointer the port returns names a body the sink stored.
      expect(viaInventory.evidence.length).toBeGreaterThan(0);
      expect(await sink.missing(viaInventory.evidence.map((p) => p.hash))).toEqual([]);
      expect(
        viaInventory.findings.flatMap((f) => f.evidence).every((p) => sink.hashes().includes(p.hash)),
      ).toBe(true);
      expect(calls.filter((c) => c.kinds.length > 0).map((c) => c.cursor)).toEqual([null, '4', '8', '12']);
      expect(calls[0]!.kinds).toEqual(['bucket', 'ec2-instance', 'iam-access-key']);
      expect(calls.filter((c) => c.kinds.length === 0).every((c) => c.at === NOW)).toBe(true);

      const subset = await e.evaluate(
        { ...request, assets: [{ urn: 'urn:asset:aws:bucket:b1' }] },
        { now: NOW },
      );
      expect(subset.findings.map((f) => f.asset.urn)).toEqual(['urn:asset:aws:bucket:b1']);
    });

    it('takes the instant and run id from the request, not the clock', async () => {
      const docs = tenant(3);
      const inventory = {
        async list_assets(_scope, kinds): Promise<AssetPage> {
          return { assets: docs.filter((d) => kinds.includes(d.asset.kind)).map((d) => d.asset) };
        },
        async get_config(ref): Promise<ConfigDoc> {
          return docs.find((d) => d.asset.ref.urn === ref.urn)!.config;
        },
        async search(): Promise<AssetPage> {
          throw new Error('not used');
        },
      } satisfies InventoryPort;
      const e = evaluator({ inventory });
      const fromRequest = await e.evaluate({ ...request, now: NOW, run_id: RUN_ID });
      const fromOptions = await e.evaluate(request, { now: NOW, run_id: RUN_ID });
      expect(fromRequest.run.run_id).toBe(RUN_ID);
      expect(fromRequest.findings.every((f) => f.created_at === NOW)).toBe(true);
      expect(JSON.stringify(fromRequest.findings)).toBe(JSON.stringify(fromOptions.findings));
    });

    it('stores the evidence its findings cite through the sink, redacted; none cited without a sink', async () => {
      const d = doc('bucket', 'b1', { name: 'b1', region: 'eu-west-1' });
      const inventory = {
        async list_assets(): Promise<AssetPage> {
          return { assets: [d.asset] };
        },
        async get_config(): Promise<ConfigDoc> {
          return d.config;
        },
        async search(): Promise<AssetPage> {
          throw new Error('not used');
        },
      } satisfies InventoryPort;
      const redactor = new InMemoryRedactor({ secrets: { region: ['eu-west-1'] } });
      const sink = new InMemoryEvidenceSink({ canonicalJson, redactor });
      const only = { ...request, control_ids: ['seg-bucket-approved-region'] };
      const stored = await evaluator({ inventory, evidence: sink }).evaluate(only, { now: NOW });
      const body = canonicalJson({ asset: d.asset.ref.urn, path: '/region', value: '[REDACTED:region]' });
      const hash = sha256Hex(body);
      expect(stored.findings[0]!.evidence).toEqual([{ hash, media_type: 'application/json' }]);
      expect(stored.evidence).toEqual([{ hash, media_type: 'application/json' }]);
      expect(new TextDecoder().decode(await sink.get(hash))).toBe(body);
      expect(sink.writes).toEqual([{ method: 'putMany', items: 1 }]);

      const bare = await evaluator({ inventory }).evaluate(only, { now: NOW });
      expect(bare.findings[0]!.evidence).toEqual([]);
      expect(bare.evidence).toEqual([]);
      expect(bare.findings[0]!.id).toBe(stored.findings[0]!.id);
    });
  });

  describe('#validate_control', () => {
    const spec = {
      id: 'seg-access-key-max-age',
      version: '1.0.0',
      title: 'Active access keys are younger than the allowed age',
      benchmark: 'custom',
      description: 'x',
      inputs: { max_age_days: 90 },
      target_kinds: ['iam-access-key'],
      policy_bundle: 'seg-custom',
      severity: 'high' as const,
    };

    it('passes every check for a sound control', async () => {
      const report = await evaluator({
        knownKinds: ['bucket', 'iam-access-key', 'ec2-instance'],
      }).validate_control(spec);
      expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
        ['bundle_verified', true],
        ['manifest_matches', true],
        ['entrypoint_exists', true],
        ['target_kinds_known', true],
        ['inputs_valid', true],
        ['vectors_pass', true],
      ]);
      expect(report.valid).toBe(true);
    });

    it('reports bad inputs, unknown kinds and a mismatching manifest', async () => {
      const report = await evaluator({ knownKinds: ['bucket'] }).validate_control({
        ...spec,
        severity: 'low',
        inputs: { max_age_days: -1 },
      });
      const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
      expect(failed).toEqual(['manifest_matches', 'target_kinds_known', 'inputs_valid']);
      expect(report.valid).toBe(false);
    });

    it('reports an untrusted bundle without throwing', async () => {
      const report = await evaluator({ trustedKeys: [newKey().trusted] }).validate_control(spec);
      expect(report.valid).toBe(false);
      expect(report.checks).toEqual([
        { name: 'bundle_verified', ok: false, message: expect.stringContaining('not trusted') },
      ]);
    });
  });
});
