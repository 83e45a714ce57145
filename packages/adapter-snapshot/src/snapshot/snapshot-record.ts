import { SegError, parseAsset, parseConfigDoc } from '@neurocipher/seg-contracts';
import type { Asset, ConfigDoc } from '@neurocipher/seg-contracts';

/**
 * One line of a snapshot file: a canonical asset and its config documents (oldest first), so that
 * `get_config(ref, at)` can answer for any capture time the snapshot holds. Every config names the asset.
 */
export interface SnapshotRecord {
  /** The canonical asset (spec §7 `Asset`). */
  asset: Asset;
  /** The asset's normalized configs (spec §7 `ConfigDoc`); at least one. */
  configs: ConfigDoc[];
}

/**
 * Validates one decoded snapshot line. Throws `SEG_SCHEMA_VIOLATION` (with `details.line` when given)
 * when the asset or a config is not a valid contract, when there is no config, or when a config names
 * another asset. Configs come back sorted by `captured_at`.
 */
export function parseSnapshotRecord(value: unknown, line?: number): SnapshotRecord {
  const where = line === undefined ? {} : { line };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SegError({
      error_code: 'SEG_SCHEMA_VIOLATION',
      message: 'snapshot record must be an object with "asset" and "configs"',
      details: where,
    });
  }
  const raw = value as { asset?: unknown; configs?: unknown };
  let asset: Asset;
  let configs: ConfigDoc[];
  try {
    asset = parseAsset(raw.asset);
    if (!Array.isArray(raw.configs) || raw.configs.length === 0) {
      throw new SegError({
        error_code: 'SEG_SCHEMA_VIOLATION',
        message: 'snapshot record needs a non-empty "configs" array',
      });
    }
    configs = raw.configs.map((config) => parseConfigDoc(config));
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new SegError({
      error_code: 'SEG_SCHEMA_VIOLATION',
      message: line === undefined ? message : `snapshot line ${line}: ${message}`,
      details: { ...where, ...(cause instanceof SegError ? cause.details : {}) },
      cause,
    });
  }
  for (const config of configs) {
    if (config.asset.urn !== asset.ref.urn) {
      throw new SegError({
        error_code: 'SEG_SCHEMA_VIOLATION',
        message: 'a config of the snapshot record names another asset',
        details: { ...where, urn: asset.ref.urn, config_urn: config.asset.urn },
      });
    }
  }
  configs.sort((a, b) => Date.parse(a.captured_at) - Date.parse(b.captured_at));
  return { asset, configs };
}

/** One NDJSON line (without the newline) for a record; keys in a fixed order so files are reproducible. */
export function serializeSnapshotRecord(record: SnapshotRecord): string {
  return JSON.stringify({ asset: record.asset, configs: record.configs });
}
