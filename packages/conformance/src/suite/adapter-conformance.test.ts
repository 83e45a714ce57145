// Self-test of the kit. A small in-process reference adapter keeps every contract the kit checks and
// declares every capability; the ports' InMemoryInventory runs the inventory, history and mutation
// suites; the same reference declaring nothing shows how undeclared capabilities are reported. The AWS
// adapter runs the kit against moto in e2e/aws, the snapshot adapter in e2e/snapshot.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SegError, parseAssetRef, parseConfigDoc } from '@neurocipher/seg-contracts';
import type {
  Asset,
  AssetRef,
  ConfigDoc,
  EvidencePointer,
  Finding,
  RemediationPlan,
} from '@neurocipher/seg-contracts';
import { compareAssetUrns, listAssetsPage, searchAssetsPage, sha256Hex } from '@neurocipher/seg-ports';
import type { InventoryPort, RemediationPort } from '@neurocipher/seg-ports';
import { InMemoryInventory } from '@neurocipher/seg-ports/testing';
import { describeAdapterConformance } from './adapter-conformance.ts';
import type { NarrowedScope } from './capabilities.ts';
import { conformancePassed, formatConformanceReport } from './conformance-report.ts';

const scope = { org_id: 'kit', tags: {} };
const out = mkdtempSync(join(tmpdir(), 'seg-conformance-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Twelve assets over two kinds and two regions; `env` tags alternate. */
function referenceAssets(): Asset[] {
  return Array.from({ length: 12 }, (_, i) => ({
    ref: { urn: `urn:asset:other:${i % 3 === 0 ? 'vault' : 'thing'}:t${String(i).padStart(2, '0')}` },
    kind: i % 3 === 0 ? 'vault' : 'thing',
    provider: 'other' as const,
    name: `thing ${String(i).padStart(2, '0')}`,
    properties: { region: i < 6 ? 'north' : 'south', 'tag:env': i % 2 === 0 ? 'prod' : 'dev' },
    discovered_at: `2026-01-01T00:00:${String(i * 5).padStart(2, '0')}Z`,
  }));
}

const narrowedScopes: NarrowedScope[] = [
  { scope: { ...scope, region: 'north' }, includes: (a) => a.properties['region'] === 'north' },
  { scope: { ...scope, tags: { env: 'prod' } }, includes: (a) => a.properties['tag:env'] === 'prod' },
];

/** A provider with live configs, a capture history, evidence blobs and remediation pre-states. */
class ReferenceProvider {
  readonly assets = referenceAssets().sort(compareAssetUrns);
  readonly configs = new Map(
    this.assets.map((a) => [a.ref.urn, { locked: false } as Record<string, unknown>]),
  );
  readonly blobs = new Map<string, Uint8Array>();
  readonly history = new Map<string, { doc: ConfigDoc; ptr: EvidencePointer }[]>();
  readonly pre = new Map<string, Record<string, unknown>>();
}

function referenceInventory(p: ReferenceProvider): InventoryPort {
  return {
    list_assets: async (s, kinds, since, page) => listAssetsPage(p.assets, s, kinds, since, page),
    search: async (query) => searchAssetsPage(p.assets, query),
    async get_config(ref, at) {
      const { urn } = parseAssetRef(ref);
      const body = p.configs.get(urn);
      if (!body) throw new SegError({ error_code: 'SEG_NOT_FOUND', message: 'no such asset' });
      if (at) {
        const hit = (p.history.get(urn) ?? []).filter((h) => Date.parse(h.doc.captured_at) <= Date.parse(at));
        const last = hit.at(-1);
        if (!last) throw new SegError({ error_code: 'SEG_NOT_FOUND', message: 'no capture then' });
        return structuredClone(last.doc);
      }
      const doc: ConfigDoc = {
        asset: { urn },
        captured_at: new Date().toISOString(),
        schema_version: '1.0.0',
        body: structuredClone(body),
      };
      const bytes = new TextEncoder().encode(JSON.stringify({ raw: body }));
      const hash = sha256Hex(bytes);
      p.blobs.set(hash, bytes);
      const list = p.history.get(urn) ?? [];
      list.push({ doc: structuredClone(doc), ptr: { hash, media_type: 'application/json' } });
      p.history.set(urn, list);
      return doc;
    },
  };
}

function referenceRemediation(p: ReferenceProvider): RemediationPort {
  const plans = new Map<string, RemediationPlan>();
  const now = () => new Date().toISOString();
  return {
    async plan(finding: Finding, mode) {
      const plan: RemediationPlan = {
        id: '00000000-0000-4000-8000-000000000001',
        finding_id: finding.id,
        mode,
        steps: [{ action: 'lock', description: 'lock the thing', params: { urn: finding.asset.urn } }],
        estimated_risk: 'low',
        change_window: null,
        approvals_required: [],
        created_at: now(),
      };
      plans.set(plan.id, plan);
      return plan;
    },
    async apply(plan) {
      if (plan.mode !== 'apply')
        throw new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message: 'dry run' });
      const urn = String(plan.steps[0]?.params['urn']);
      const cfg = p.configs.get(urn) ?? {};
      const done = cfg['locked'] === true;
      if (!done) {
        if (!p.pre.has(plan.id)) p.pre.set(plan.id, structuredClone(cfg));
        p.configs.set(urn, { ...cfg, locked: true });
      }
      return {
        plan_id: plan.id,
        status: 'success',
        results: [
          done
            ? { step_index: 0, status: 'skipped' }
            : { step_index: 0, status: 'success', provider_change_id: 'chg-1' },
        ],
        started_at: now(),
        ended_at: now(),
      };
    },
    async rollback(plan_id) {
      const urn = String(plans.get(plan_id)?.steps[0]?.params['urn']);
      const pre = p.pre.get(plan_id);
      if (pre) p.configs.set(urn, pre);
      p.pre.delete(plan_id);
      return {
        plan_id,
        status: 'success',
        results: [{ step_index: 0, status: pre ? 'success' : 'skipped' }],
        started_at: now(),
        ended_at: now(),
      };
    },
  };
}

function failingFinding(urn: string): Finding {
  const now = new Date().toISOString();
  return {
    id: '00000000-0000-4000-8000-00000000000f',
    control_id: 'kit-lock',
    control_version: '1.0.0',
    asset: { urn },
    result: 'fail',
    severity: 'low',
    message: 'unlocked',
    evidence: [],
    created_at: now,
    updated_at: now,
    fingerprint: 'a'.repeat(64),
  };
}

function referenceSubject() {
  const p = new ReferenceProvider();
  return {
    inventory: referenceInventory(p),
    scope,
    kinds: [],
    narrowedScopes,
    remediation: referenceRemediation(p),
    remediableFinding: async () => failingFinding('urn:asset:other:thing:t01'),
    async mutate(asset: Asset) {
      p.configs.set(asset.ref.urn, { ...p.configs.get(asset.ref.urn), touched: Date.now() });
    },
    evidence: {
      pointers: async (ref: AssetRef) => (p.history.get(ref.urn) ?? []).slice(-1).map((h) => h.ptr),
      read: async (hash: string) => p.blobs.get(hash) ?? new Uint8Array(),
    },
    async close() {},
  };
}

const fullReport = describeAdapterConformance({
  name: 'reference (every capability)',
  capabilities: ['history', 'mutation', 'remediation', 'evidence', 'faults'],
  reportFile: join(out, 'reference.json'),
  setup: async () => referenceSubject(),
  async faulty(fault) {
    const code = fault === 'timeout' ? 'SEG_ADAPTER_TIMEOUT' : 'SEG_ADAPTER_UNAVAILABLE';
    const fail = async (): Promise<never> => {
      throw new SegError({ error_code: code, message: `reference provider ${fault}` });
    };
    return { inventory: { list_assets: fail, get_config: fail, search: fail }, scope, async close() {} };
  },
});

// The ports' in-memory inventory: configs captured ten minutes ago, a mutation adds a capture now.
describeAdapterConformance({
  name: 'InMemoryInventory',
  capabilities: ['history', 'mutation'],
  async setup() {
    const assets = referenceAssets();
    const earlier = new Date(Date.now() - 600_000).toISOString();
    const inventory = new InMemoryInventory({
      assets,
      configs: assets.map((a) => ({
        asset: a.ref,
        captured_at: earlier,
        schema_version: '1',
        body: { v: 1 },
      })),
    });
    return {
      inventory,
      scope,
      kinds: [],
      narrowedScopes,
      async mutate(asset) {
        const doc = parseConfigDoc(await inventory.get_config(asset.ref));
        inventory.put_config({
          ...doc,
          captured_at: new Date().toISOString(),
          body: { v: Number(doc.body['v']) + 1 },
        });
      },
      async close() {},
    };
  },
});

const inventoryOnly = describeAdapterConformance({
  name: 'reference (inventory only)',
  capabilities: [],
  reportFile: join(out, 'inventory-only.json'),
  setup: async () => referenceSubject(),
});

describe('the kit report', () => {
  it('records every check of the fully declared reference as passed', () => {
    expect(Object.values(fullReport.capabilities)).toEqual(Array(6).fill('declared'));
    expect(fullReport.checks.map((c) => c.status)).toEqual(fullReport.checks.map(() => 'passed'));
    expect(fullReport.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'inventory.paging',
        'history.after-change',
        'remediation.dry-run',
        'faults.timeout',
      ]),
    );
    expect(conformancePassed(fullReport)).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'reference.json'), 'utf8'))).toEqual(fullReport);
  });

  it('reports the capabilities an adapter did not declare as not declared, never as passed', () => {
    const file = JSON.parse(readFileSync(join(out, 'inventory-only.json'), 'utf8')) as typeof inventoryOnly;
    expect(file).toEqual(inventoryOnly);
    expect(inventoryOnly.capabilities).toEqual({
      inventory: 'declared',
      history: 'not declared',
      mutation: 'not declared',
      remediation: 'not declared',
      evidence: 'not declared',
      faults: 'not declared',
    });
    for (const check of inventoryOnly.checks) {
      expect(check.status).toBe(check.capability === 'inventory' ? 'passed' : 'not declared');
    }
    expect(inventoryOnly.checks.find((c) => c.id === 'history.after-change')?.missing).toEqual([
      'history',
      'mutation',
    ]);
    const text = formatConformanceReport(inventoryOnly);
    expect(text).toContain('inventory    declared 9/9 passed');
    expect(text).toContain('remediation  not declared');
  });
});
