import type {
  AssetPage,
  AssetRef,
  ConfigDoc,
  InventoryQuery,
  PageRequest,
  Scope,
} from '@neurocipher/seg-contracts';
import type { PortId } from '../ids/port-id.ts';

/**
 * Enumerates assets and fetches point-in-time configs (spec §6.1). Implemented by every provider adapter.
 *
 * Paging: listings return at most `page.limit` (default and maximum 1,000) assets and an opaque
 * `next_cursor`; reading the pages in turn yields every asset once, with no duplicates and no gaps,
 * even while the pages are read. Cursors are stable: the same cursor returns the same page.
 * Target p95 is 800 ms per call excluding provider I/O.
 *
 * Errors: `SEG_ADAPTER_TIMEOUT` (retryable) when the provider does not answer in time,
 * `SEG_ADAPTER_UNAVAILABLE` (retryable) when it cannot be reached, `SEG_NOT_FOUND` for an unknown asset,
 * `SEG_INVALID_ARGUMENT` for a malformed cursor, `SEG_SCHEMA_VIOLATION` for a bad scope or query.
 */
export interface InventoryPort {
  /**
   * Lists assets of `scope` whose kind is in `kinds` (all kinds when empty), changed at or after `since`
   * when given. Idempotent (read-only); paged.
   */
  list_assets(
    scope: Scope,
    kinds: readonly string[],
    since?: string | null,
    page?: PageRequest,
  ): Promise<AssetPage>;

  /**
   * The asset's normalized config as it was at `at` (now when absent). Idempotent (read-only).
   * `SEG_NOT_FOUND` when the asset, or a config at that time, does not exist.
   */
  get_config(ref: AssetRef, at?: string | null): Promise<ConfigDoc>;

  /** Assets matching `query`. Idempotent (read-only); paged like {@link InventoryPort.list_assets}. */
  search(query: InventoryQuery): Promise<AssetPage>;
}

/** Inversion-of-control id of {@link InventoryPort}. */
export const InventoryPortId: PortId<InventoryPort> = Symbol.for('seg.ports.InventoryPort');
