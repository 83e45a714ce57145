import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  isSegError,
  parseApplyResult,
  parseAssetPage,
  parseConfigDoc,
  parseRemediationPlan,
  parseRollbackResult,
  type Asset,
  type AssetPage,
  type AssetRef,
  type EvidencePointer,
  type Finding,
  type Scope,
} from '@neurocipher/seg-contracts';
import type { InventoryPort, RemediationPort } from '@neurocipher/seg-ports';

/** Evidence access an adapter exposes, so the kit can check that stored blobs hash to their pointers. */
export interface EvidenceAccess {
  /** The pointers of the raw responses behind the latest config of `ref`. */
  pointers(ref: AssetRef): Promise<EvidencePointer[]>;
  /** The stored bytes of the blob with this sha256. */
  read(hash: string): Promise<Uint8Array>;
}

/** One adapter under test, wired to a freshly reset simulator. */
export interface ConformanceSubject {
  inventory: InventoryPort;
  remediation: RemediationPort;
  scope: Scope;
  /** Kinds the paging checks list (all kinds when empty); they must hold at least five assets. */
  kinds: readonly string[];
  /** Changes the config of `ref` at the provider (for the point-in-time and stability checks). */
  mutate(ref: AssetRef): Promise<void>;
  /** A failing finding whose remediation the adapter can plan, apply and roll back. */
  remediableFinding(): Promise<Finding>;
  evidence: EvidenceAccess;
  /** Releases clients and temporary files (not the simulator). */
  close(): Promise<void>;
}

/** An adapter whose provider is broken on purpose (fault injection). */
export interface FaultySubject {
  inventory: InventoryPort;
  scope: Scope;
  close(): Promise<void>;
}

/** Options of {@link describeAdapterConformance}. */
export interface AdapterConformanceOptions {
  /** Name in the test report, such as `aws (moto)`. */
  name: string;
  /** A fresh subject per check; reset the simulator here. */
  setup(): Promise<ConformanceSubject>;
  /** An adapter whose provider hangs (`timeout`) or cannot be reached (`unavailable`). */
  faulty(fault: 'timeout' | 'unavailable'): Promise<FaultySubject>;
  /** Jest timeout of each check; default 60 s. */
  timeoutMs?: number;
}

async function readAll(subject: Pick<ConformanceSubject, 'inventory' | 'scope' | 'kinds'>, limit: number) {
  const pages: AssetPage[] = [];
  let cursor: string | null = null;
  do {
    const page: AssetPage = parseAssetPage(
      await subject.inventory.list_assets(subject.scope, subject.kinds, null, { cursor, limit }),
    );
    pages.push(page);
    cursor = page.next_cursor ?? null;
  } while (cursor && pages.length < 10_000);
  return { pages, assets: pages.flatMap((p) => p.assets) };
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function failureOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => new Error('expected the call to fail, it succeeded'),
    (e: unknown) => e,
  );
}

/**
 * Registers the SEG adapter conformance suite (spec §17, DESIGN.md §10) for one adapter: inventory paging
 * and cursor stability, `get_config` at a point in time, idempotent apply and rollback to the pre-state,
 * the error codes on timeouts and unreachable providers (fault injection), and evidence hashes that
 * verify. Call it at the top level of a Jest test file; `setup` runs before each check, `close` after.
 */
export function describeAdapterConformance(options: AdapterConformanceOptions): void {
  const timeout = options.timeoutMs ?? 60_000;
  describe(`adapter conformance: ${options.name}`, () => {
    let subject: ConformanceSubject;
    beforeEach(async () => {
      subject = await options.setup();
    }, timeout);
    afterEach(async () => {
      await subject?.close();
    }, timeout);

    describe('inventory', () => {
      it(
        'pages every asset exactly once, in pages no larger than the limit',
        async () => {
          const whole = await readAll(subject, 1000);
          expect(whole.assets.length).toBeGreaterThanOrEqual(5);
          const paged = await readAll(subject, 2);
          for (const p of paged.pages) expect(p.assets.length).toBeLessThanOrEqual(2);
          const urns = paged.assets.map((a) => a.ref.urn);
          expect(new Set(urns).size).toBe(urns.length);
          expect([...urns].sort()).toEqual(whole.assets.map((a) => a.ref.urn).sort());
        },
        timeout,
      );

      it(
        'gives the same page for the same cursor, and refuses a cursor it did not make',
        async () => {
          const first = await subject.inventory.list_assets(subject.scope, subject.kinds, null, { limit: 2 });
          expect(first.next_cursor).toEqual(expect.any(String));
          const cursor = first.next_cursor ?? null;
          const a = await subject.inventory.list_assets(subject.scope, subject.kinds, null, {
            cursor,
            limit: 2,
          });
          const b = await subject.inventory.list_assets(subject.scope, subject.kinds, null, {
            cursor,
            limit: 2,
          });
          expect(b.assets.map((x) => x.ref.urn)).toEqual(a.assets.map((x) => x.ref.urn));
          expect(a.assets.map((x) => x.ref.urn)).not.toContain(first.assets[0]?.ref.urn);
          const err = await failureOf(
            subject.inventory.list_assets(subject.scope, subject.kinds, null, {
              cursor: 'not-a-cursor',
              limit: 2,
            }),
          );
          expect(isSegError(err) && err.error_code).toBe('SEG_INVALID_ARGUMENT');
        },
        timeout,
      );

      it(
        'keeps a listing stable while the provider changes between pages',
        async () => {
          const snapshot = (await readAll(subject, 1000)).assets.map((a) => a.ref.urn);
          const first = await subject.inventory.list_assets(subject.scope, subject.kinds, null, { limit: 2 });
          const target = first.assets[0];
          if (!target) throw new Error('no asset to change');
          await subject.mutate(target.ref);
          const rest: Asset[] = [];
          let cursor = first.next_cursor ?? null;
          while (cursor) {
            const page: AssetPage = await subject.inventory.list_assets(subject.scope, subject.kinds, null, {
              cursor,
              limit: 2,
            });
            rest.push(...page.assets);
            cursor = page.next_cursor ?? null;
          }
          const urns = [...first.assets, ...rest].map((a) => a.ref.urn);
          expect(new Set(urns).size).toBe(urns.length);
          expect(urns.sort()).toEqual([...snapshot].sort());
        },
        timeout,
      );

      it(
        'answers get_config at a point in time, and SEG_NOT_FOUND before any capture',
        async () => {
          const { assets } = await readAll(subject, 1000);
          const ref = (assets[0] as Asset).ref;
          const then = parseConfigDoc(await subject.inventory.get_config(ref));
          await new Promise((r) => setTimeout(r, 10));
          await subject.mutate(ref);
          const now = parseConfigDoc(await subject.inventory.get_config(ref));
          expect(now.body).not.toEqual(then.body);
          expect((await subject.inventory.get_config(ref, then.captured_at)).body).toEqual(then.body);
          const before = new Date(Date.parse(then.captured_at) - 3_600_000).toISOString();
          const err = await failureOf(subject.inventory.get_config(ref, before));
          expect(isSegError(err) && err.error_code).toBe('SEG_NOT_FOUND');
        },
        timeout,
      );
    });

    describe('remediation', () => {
      it(
        'applies idempotently and rolls back to the exact pre-state',
        async () => {
          const finding = await subject.remediableFinding();
          const before = await subject.inventory.get_config(finding.asset);
          const plan = parseRemediationPlan(await subject.remediation.plan(finding, 'apply'));
          expect(plan.steps.length).toBeGreaterThan(0);
          const first = parseApplyResult(await subject.remediation.apply(plan));
          expect(first.status).toBe('success');
          for (const r of first.results) {
            expect(r.status).toBe('success');
            expect(r.provider_change_id).toEqual(expect.any(String));
          }
          expect((await subject.inventory.get_config(finding.asset)).body).not.toEqual(before.body);
          const second = parseApplyResult(await subject.remediation.apply(plan));
          expect(second.results.map((r) => r.status)).toEqual(plan.steps.map(() => 'skipped'));
          const rb = parseRollbackResult(await subject.remediation.rollback(plan.id));
          expect(rb.status).toBe('success');
          expect((await subject.inventory.get_config(finding.asset)).body).toEqual(before.body);
          const rb2 = parseRollbackResult(await subject.remediation.rollback(plan.id));
          expect(rb2.results.map((r) => r.status)).toEqual(plan.steps.map(() => 'skipped'));
        },
        timeout,
      );

      it(
        'changes nothing in plan (dry-run) mode, and refuses to apply a dry-run plan',
        async () => {
          const finding = await subject.remediableFinding();
          const before = await subject.inventory.get_config(finding.asset);
          const plan = await subject.remediation.plan(finding, 'plan');
          expect(plan.steps.length).toBeGreaterThan(0);
          expect((await subject.inventory.get_config(finding.asset)).body).toEqual(before.body);
          const err = await failureOf(subject.remediation.apply(plan));
          expect(isSegError(err) && err.error_code).toBe('SEG_INVALID_ARGUMENT');
        },
        timeout,
      );
    });

    describe('evidence', () => {
      it(
        'stores the raw responses behind a config as blobs whose sha256 matches the pointer',
        async () => {
          const { assets } = await readAll(subject, 1000);
          const ref = (assets[0] as Asset).ref;
          await subject.inventory.get_config(ref);
          const pointers = await subject.evidence.pointers(ref);
          expect(pointers.length).toBeGreaterThan(0);
          for (const p of pointers) {
            expect(p.hash).toMatch(/^[0-9a-f]{64}$/);
            expect(await sha256Hex(await subject.evidence.read(p.hash))).toBe(p.hash);
          }
        },
        timeout,
      );
    });
  });

  describe(`adapter conformance: ${options.name}: provider faults`, () => {
    it.each(['timeout', 'unavailable'] as const)(
      'maps a %s provider to its retryable SegError',
      async (fault) => {
        const s = await options.faulty(fault);
        try {
          const err = await failureOf(s.inventory.list_assets(s.scope, [], null, { limit: 10 }));
          expect(isSegError(err)).toBe(true);
          if (isSegError(err)) {
            expect(err.error_code).toBe(
              fault === 'timeout' ? 'SEG_ADAPTER_TIMEOUT' : 'SEG_ADAPTER_UNAVAILABLE',
            );
            expect(err.retryable).toBe(true);
          }
        } finally {
          await s.close();
        }
      },
      timeout,
    );
  });
}
