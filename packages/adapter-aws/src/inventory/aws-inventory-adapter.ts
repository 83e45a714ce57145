import { randomUUID } from 'node:crypto';
import {
  MAX_PAGE_SIZE,
  SegError,
  parseInventoryQuery,
  parsePageRequest,
  parseScope,
  type Asset,
  type AssetPage,
  type AssetRef,
  type ConfigDoc,
  type EvidencePointer,
  type InventoryQuery,
  type PageRequest,
  type Scope,
} from '@neurocipher/seg-contracts';
import { canonicalJson } from '@neurocipher/seg-attest';
import {
  mapBounded,
  sha256Hex,
  systemClock,
  type BlobStore,
  type Clock,
  type EvidenceSink,
  type InventoryPort,
} from '@neurocipher/seg-ports';
import { ConfigHistory } from '../evidence/config-history.ts';
import type { AwsSession } from '../provider/aws-session.ts';
import { parseAwsAssetUrn, toAsset } from './asset-urn.ts';
import type { KindCollector, NativeAsset } from './collector.ts';
import { AWS_COLLECTORS } from './collectors.ts';
import { validateNormalizedBody } from './normalized-validator.ts';
import { decodePageCursor, encodePageCursor } from './page-cursor.ts';

/** Validates a normalized body of `kind`; throws `SEG_SCHEMA_VIOLATION` when it does not conform. */
export type BodyValidator = (kind: string, body: Record<string, unknown>) => void;

/** Options of {@link AwsInventoryAdapter}. */
export interface AwsInventoryAdapterOptions {
  /** Accounts, regions, assumed-role clients and the shared call path. */
  session: AwsSession;
  /**
   * Where raw API responses and captured configs go: the evidence sink, which redacts, canonicalises,
   * hashes and stores every body (the lakehouse's `EvidenceStore` in the apps).
   */
  evidence: EvidenceSink;
  /**
   * Where the adapter keeps the index of its captures (`config-history/…` records pointing into the
   * evidence sink): adapter state, not evidence; no body is written there.
   */
  history: BlobStore;
  /** Time source of `discovered_at` / `captured_at`; default the wall clock. */
  clock?: Clock;
  /** Checks every normalized body before it leaves the adapter; default: the contracts' normalized schemas. */
  validateBody?: BodyValidator;
  /** How long a listing snapshot backs its cursors; default 15 minutes. */
  snapshotTtlMs?: number;
  /** Snapshots kept at once; default 16. */
  maxSnapshots?: number;
  /** Collectors to use (default every AWS kind); tests narrow them. */
  collectors?: readonly KindCollector[];
}

interface Snapshot {
  id: string;
  key: string;
  created: number;
  assets: Asset[];
}

interface Listing {
  scope: Scope;
  kinds: readonly string[];
  filter: (a: Asset) => boolean;
  key: string;
}

/**
 * InventoryPort over the direct AWS service APIs (S3, S3 Control, IAM, EC2, KMS, CloudTrail, RDS) with
 * STS assume-role per account (spec §6.1, §8.1, §21).
 *
 * Listing: the first page enumerates the scope (accounts × regions, bounded concurrency, backoff on
 * throttles), sorts it by URN and keeps it as a snapshot; the opaque cursor names the snapshot and the
 * last URN, so the pages of one listing never duplicate or skip an asset even while resources change.
 * If a snapshot has expired, the cursor continues after its last URN on a fresh enumeration (keyset).
 *
 * `since` is accepted but not used to narrow: without AWS Config history the adapter cannot tell which
 * assets changed, so it returns every asset (a superset is correct for an incremental scan).
 *
 * `get_config(ref)` reads the live config, normalizes it, and records it with its raw responses as
 * evidence; `get_config(ref, at)` for a past instant answers from those recorded captures.
 */
export class AwsInventoryAdapter implements InventoryPort {
  readonly #session: AwsSession;
  readonly #clock: Clock;
  readonly #validate: BodyValidator;
  readonly #ttl: number;
  readonly #max: number;
  readonly #collectors: Map<string, KindCollector>;
  readonly #snapshots = new Map<string, Snapshot>();
  /** The recorded capture time line behind point-in-time `get_config`. */
  readonly history: ConfigHistory;

  constructor(options: AwsInventoryAdapterOptions) {
    this.#session = options.session;
    this.#clock = options.clock ?? systemClock;
    this.#validate = options.validateBody ?? validateNormalizedBody;
    this.#ttl = options.snapshotTtlMs ?? 15 * 60_000;
    this.#max = options.maxSnapshots ?? 16;
    this.#collectors = new Map((options.collectors ?? AWS_COLLECTORS).map((c) => [c.kind, c]));
    this.history = new ConfigHistory({ evidence: options.evidence, index: options.history });
  }

  /** The asset kinds this adapter can list. */
  get kinds(): string[] {
    return [...this.#collectors.keys()];
  }

  async list_assets(
    scope: Scope,
    kinds: readonly string[],
    since?: string | null,
    page?: PageRequest,
  ): Promise<AssetPage> {
    const s = parseScope(scope);
    const p = parsePageRequest(page ?? {});
    void since;
    return this.#page({ scope: s, kinds, filter: () => true, key: this.#key(s, kinds, {}) }, p);
  }

  async search(query: InventoryQuery): Promise<AssetPage> {
    const q = parseInventoryQuery(query);
    const text = q.text?.toLowerCase();
    const props = Object.entries(q.properties);
    const filter = (a: Asset) =>
      (!text || (a.name ?? '').toLowerCase().includes(text) || a.ref.urn.toLowerCase().includes(text)) &&
      props.every(([k, v]) => a.properties[k] === v);
    const kinds = q.kinds ?? [];
    return this.#page(
      {
        scope: q.scope,
        kinds,
        filter,
        key: this.#key(q.scope, kinds, { text: text ?? null, props: q.properties }),
      },
      { cursor: q.cursor ?? null, limit: q.limit ?? null },
    );
  }

  async get_config(ref: AssetRef, at?: string | null): Promise<ConfigDoc> {
    const loc = parseAwsAssetUrn(ref.urn);
    const collector = this.#collector(loc.kind);
    const now = this.#clock.now();
    if (at !== undefined && at !== null) {
      const t = Date.parse(at);
      if (Number.isNaN(t)) {
        throw new SegError({
          error_code: 'SEG_INVALID_ARGUMENT',
          message: 'at is not a timestamp',
          details: { at },
        });
      }
      if (t < now.getTime()) {
        const rec = await this.history.latest(ref.urn, new Date(t).toISOString());
        if (!rec) {
          throw new SegError({
            error_code: 'SEG_NOT_FOUND',
            message: 'no config of this asset was captured at or before the requested time',
            details: { urn: ref.urn, at },
          });
        }
        return this.history.doc(rec);
      }
    }
    const capture = await collector.read(this.#session, loc);
    this.#validate(loc.kind, capture.body);
    const doc: ConfigDoc = {
      asset: { urn: ref.urn },
      captured_at: now.toISOString(),
      schema_version: collector.schema_version,
      body: capture.body,
    };
    await this.history.record(doc, capture.raw);
    return doc;
  }

  /**
   * The evidence pointers of the latest capture of `ref` at or before `at`: the captured ConfigDoc and
   * the raw API responses behind it (both canonical JSON, sha256-addressed). Empty when never captured.
   */
  async evidence_for(ref: AssetRef, at?: string | null): Promise<EvidencePointer[]> {
    const rec = await this.history.latest(ref.urn, at ?? null);
    return rec ? [rec.doc, rec.raw] : [];
  }

  #collector(kind: string): KindCollector {
    const c = this.#collectors.get(kind);
    if (!c) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `unknown AWS asset kind ${kind}`,
        details: { kind },
      });
    }
    return c;
  }

  #key(scope: Scope, kinds: readonly string[], extra: Record<string, unknown>): string {
    const norm = {
      org: scope.org_id,
      project: scope.project ?? null,
      region: scope.region ?? null,
      kinds: [...new Set(kinds)].sort(),
      ...extra,
    };
    return sha256Hex(canonicalJson(norm)).slice(0, 32);
  }

  async #enumerate(listing: Listing): Promise<Asset[]> {
    const { scope } = listing;
    const accounts = scope.project
      ? [this.#session.account(scope.project).account_id]
      : this.#session.accounts.map((a) => a.account_id);
    const regions = scope.region ? [scope.region] : [...this.#session.regions];
    const wanted =
      listing.kinds.length > 0
        ? listing.kinds.map((k) => this.#collector(k))
        : [...this.#collectors.values()];
    const tasks: { c: KindCollector; account: string; region: string }[] = [];
    for (const account of accounts) {
      for (const c of wanted) {
        if (c.placement === 'global') tasks.push({ c, account, region: this.#session.homeRegion });
        else for (const region of regions) tasks.push({ c, account, region });
      }
    }
    const lists = await mapBounded(tasks, this.#session.maxConcurrency, (t) =>
      t.c.list(this.#session, t.account, t.region),
    );
    const discovered = this.#clock.now().toISOString();
    const byUrn = new Map<string, Asset>();
    for (const n of lists.flat() as NativeAsset[]) {
      if (scope.region && n.region !== 'global' && n.region !== scope.region) continue;
      const a = toAsset(n, discovered);
      if (listing.filter(a)) byUrn.set(a.ref.urn, a);
    }
    return [...byUrn.values()].sort((x, y) => (x.ref.urn < y.ref.urn ? -1 : x.ref.urn > y.ref.urn ? 1 : 0));
  }

  #evict(): void {
    const now = Date.now();
    for (const [id, s] of this.#snapshots) if (now - s.created > this.#ttl) this.#snapshots.delete(id);
    while (this.#snapshots.size > this.#max) {
      const oldest = this.#snapshots.keys().next().value;
      if (oldest === undefined) break;
      this.#snapshots.delete(oldest);
    }
  }

  async #page(
    listing: Listing,
    page: { cursor?: string | null | undefined; limit?: number | null | undefined },
  ): Promise<AssetPage> {
    const limit = Math.min(page.limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    this.#evict();
    let snapshot: Snapshot | undefined;
    let after: string | undefined;
    if (page.cursor) {
      const c = decodePageCursor(page.cursor);
      if (c.q !== listing.key) {
        throw new SegError({
          error_code: 'SEG_INVALID_ARGUMENT',
          message: 'the cursor belongs to a different listing (scope, kinds or filters changed)',
        });
      }
      after = c.a;
      snapshot = this.#snapshots.get(c.s);
      if (!snapshot) {
        // Expired or made by another process: continue after the last URN on a fresh enumeration.
        snapshot = { id: c.s, key: listing.key, created: Date.now(), assets: await this.#enumerate(listing) };
        this.#snapshots.set(snapshot.id, snapshot);
      }
    } else {
      snapshot = {
        id: randomUUID(),
        key: listing.key,
        created: Date.now(),
        assets: await this.#enumerate(listing),
      };
      this.#snapshots.set(snapshot.id, snapshot);
      this.#evict();
    }
    const assets = snapshot.assets;
    let start = 0;
    if (after !== undefined) {
      // Binary search for the first URN strictly after the cursor's.
      let lo = 0;
      let hi = assets.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((assets[mid] as Asset).ref.urn <= after) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const slice = assets.slice(start, start + limit);
    const last = slice.at(-1);
    const more = start + limit < assets.length && last !== undefined;
    return {
      assets: slice,
      ...(more ? { next_cursor: encodePageCursor({ s: snapshot.id, q: listing.key, a: last.ref.urn }) } : {}),
    };
  }
}
