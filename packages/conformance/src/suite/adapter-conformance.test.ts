// Self-test of the kit: a small in-process reference adapter that keeps every contract the kit checks
// (snapshot paging, captured history, exact pre-state rollback, sha256 evidence, fault codes). The AWS
// adapter runs the same kit against moto in e2e/aws.
import {
  SegError,
  type Asset,
  type AssetPage,
  type AssetRef,
  type ConfigDoc,
  type EvidencePointer,
  type Finding,
  type RemediationPlan,
} from '@neurocipher/seg-contracts';
import type { InventoryPort, RemediationPort } from '@neurocipher/seg-ports';
import { describeAdapterConformance } from './adapter-conformance.ts';

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

class ReferenceProvider {
  readonly configs = new Map<string, Record<string, unknown>>();
  readonly blobs = new Map<string, Uint8Array>();
  readonly history = new Map<string, { at: string; doc: ConfigDoc; ptr: EvidencePointer }[]>();
  readonly snapshots = new Map<string, string[]>();
  readonly pre = new Map<string, Record<string, unknown> | null>();
  constructor() {
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f'])
      this.configs.set(`urn:asset:other:thing:${n}`, { name: n, locked: false });
  }
  asset(urn: string): Asset {
    return {
      ref: { urn },
      kind: 'thing',
      provider: 'other',
      name: urn.slice(-1),
      properties: {},
      discovered_at: new Date().toISOString(),
    };
  }
}

function inventoryOf(p: ReferenceProvider): InventoryPort {
  let n = 0;
  const page = (urns: string[], snap: string, start: number, limit: number): AssetPage => {
    const slice = urns.slice(start, start + limit);
    const next = start + limit < urns.length ? `ref.${snap}.${start + limit}` : null;
    return { assets: slice.map((u) => p.asset(u)), next_cursor: next };
  };
  return {
    async list_assets(_scope, _kinds, _since, req) {
      const limit = req?.limit ?? 1000;
      if (req?.cursor) {
        const m = /^ref\.(\d+)\.(\d+)$/.exec(req.cursor);
        const urns = m ? p.snapshots.get(m[1] as string) : undefined;
        if (!m || !urns) throw new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message: 'bad cursor' });
        return page(urns, m[1] as string, Number(m[2]), limit);
      }
      const snap = String(++n);
      p.snapshots.set(snap, [...p.configs.keys()].sort());
      return page(p.snapshots.get(snap) ?? [], snap, 0, limit);
    },
    async get_config(ref, at) {
      if (at) {
        const hit = (p.history.get(ref.urn) ?? []).filter((h) => h.at <= new Date(at).toISOString()).at(-1);
        if (!hit) throw new SegError({ error_code: 'SEG_NOT_FOUND', message: 'no capture then' });
        return hit.doc;
      }
      const body = p.configs.get(ref.urn);
      if (!body) throw new SegError({ error_code: 'SEG_NOT_FOUND', message: 'no such asset' });
      const doc: ConfigDoc = {
        asset: ref,
        captured_at: new Date().toISOString(),
        schema_version: '1.0.0',
        body: { ...body },
      };
      const bytes = new TextEncoder().encode(JSON.stringify({ raw: body }));
      const hash = await sha256(bytes);
      p.blobs.set(hash, bytes);
      const list = p.history.get(ref.urn) ?? [];
      list.push({ at: doc.captured_at, doc, ptr: { hash, media_type: 'application/json' } });
      p.history.set(ref.urn, list);
      return doc;
    },
    async search() {
      return { assets: [] };
    },
  };
}

function remediationOf(p: ReferenceProvider): RemediationPort {
  const plans = new Map<string, RemediationPlan>();
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
        created_at: new Date().toISOString(),
      };
      plans.set(plan.id, plan);
      return plan;
    },
    async apply(plan) {
      if (plan.mode !== 'apply')
        throw new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message: 'dry run' });
      const urn = String(plan.steps[0]?.params['urn']);
      const cfg = p.configs.get(urn) ?? {};
      const now = new Date().toISOString();
      if (cfg['locked'] === true) {
        return {
          plan_id: plan.id,
          status: 'success',
          results: [{ step_index: 0, status: 'skipped' }],
          started_at: now,
          ended_at: now,
        };
      }
      if (!p.pre.has(plan.id)) p.pre.set(plan.id, { ...cfg });
      p.configs.set(urn, { ...cfg, locked: true });
      return {
        plan_id: plan.id,
        status: 'success',
        results: [{ step_index: 0, status: 'success', provider_change_id: 'chg-1' }],
        started_at: now,
        ended_at: now,
      };
    },
    async rollback(plan_id) {
      const plan = plans.get(plan_id);
      const pre = p.pre.get(plan_id);
      const urn = String(plan?.steps[0]?.params['urn']);
      const now = new Date().toISOString();
      const same = JSON.stringify(p.configs.get(urn)) === JSON.stringify(pre);
      if (pre && !same) p.configs.set(urn, { ...pre });
      return {
        plan_id,
        status: 'success',
        results: [{ step_index: 0, status: same ? 'skipped' : 'success' }],
        started_at: now,
        ended_at: now,
      };
    },
  };
}

describeAdapterConformance({
  name: 'reference (in-process)',
  async setup() {
    const p = new ReferenceProvider();
    const inventory = inventoryOf(p);
    return {
      inventory,
      remediation: remediationOf(p),
      scope: { org_id: 'kit', tags: {} },
      kinds: [],
      async mutate(ref: AssetRef) {
        p.configs.set(ref.urn, { ...(p.configs.get(ref.urn) ?? {}), touched: true });
      },
      async remediableFinding() {
        const urn = 'urn:asset:other:thing:a';
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
      },
      evidence: {
        pointers: async (ref) => (p.history.get(ref.urn) ?? []).slice(-1).map((h) => h.ptr),
        read: async (hash) => p.blobs.get(hash) ?? new Uint8Array(),
      },
      async close() {},
    };
  },
  async faulty(fault) {
    const code = fault === 'timeout' ? 'SEG_ADAPTER_TIMEOUT' : 'SEG_ADAPTER_UNAVAILABLE';
    const fail = async (): Promise<never> => {
      throw new SegError({ error_code: code, message: `reference provider ${fault}` });
    };
    return {
      inventory: { list_assets: fail, get_config: fail, search: fail },
      scope: { org_id: 'kit', tags: {} },
      async close() {},
    };
  },
});
