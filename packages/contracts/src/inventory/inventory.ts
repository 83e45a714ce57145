import { z } from 'zod';
import { makeParser } from '../primitives/parse.ts';
import { AwareDatetimeSchema, ProviderSchema } from '../primitives/primitives.ts';

/** Spec §7 `Scope`: the tenant and the slice of it a call applies to. */
export const ScopeSchema = z
  .object({
    org_id: z.string().min(1).describe('Tenant or organization id'),
    project: z.string().nullish(),
    region: z.string().nullish(),
    tags: z.record(z.string(), z.string()).default(() => ({})),
  })
  .meta({ id: 'Scope' });
/** A tenant scope. */
export type Scope = z.infer<typeof ScopeSchema>;
/** Validates a {@link Scope}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseScope = makeParser('Scope', ScopeSchema);

/** The URN form of spec §7: `urn:asset:{provider}:{type}:{id}`; the id may itself contain colons (ARNs). */
export const ASSET_URN_PATTERN = /^urn:asset:(aws|azure|gcp|onprem|other):[a-z0-9][a-z0-9._-]*:\S+$/;

/** Spec §7 `AssetRef`. */
export const AssetRefSchema = z
  .object({
    urn: z
      .string()
      .regex(ASSET_URN_PATTERN, 'must match urn:asset:{provider}:{type}:{id}')
      .describe('Cloud-neutral URN: urn:asset:{provider}:{type}:{id}'),
  })
  .meta({ id: 'AssetRef' });
/** A reference to one asset by URN. */
export type AssetRef = z.infer<typeof AssetRefSchema>;
/** Validates an {@link AssetRef}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseAssetRef = makeParser('AssetRef', AssetRefSchema);

/** Builds an asset URN from its parts. */
export function assetUrn(provider: z.infer<typeof ProviderSchema>, type: string, id: string): string {
  return `urn:asset:${provider}:${type}:${id}`;
}

/** Spec §7 `Asset`. `properties` values are only strings, numbers or booleans. */
export const AssetSchema = z
  .object({
    ref: AssetRefSchema,
    kind: z.string().min(1).describe('Canonical type. Example: vm, bucket, identity, key'),
    provider: ProviderSchema,
    name: z.string().nullish(),
    properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default(() => ({})),
    discovered_at: AwareDatetimeSchema,
  })
  .meta({ id: 'Asset' });
/** One inventoried asset. */
export type Asset = z.infer<typeof AssetSchema>;
/** Validates an {@link Asset}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseAsset = makeParser('Asset', AssetSchema);

/** Spec §7 `ConfigDoc`: a provider-normalized configuration captured at a point in time. */
export const ConfigDocSchema = z
  .object({
    asset: AssetRefSchema,
    captured_at: AwareDatetimeSchema,
    schema_version: z.string().min(1),
    body: z.record(z.string(), z.unknown()).describe('Provider-normalized config'),
  })
  .meta({ id: 'ConfigDoc' });
/** A point-in-time config document. */
export type ConfigDoc = z.infer<typeof ConfigDocSchema>;
/** Validates a {@link ConfigDoc}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseConfigDoc = makeParser('ConfigDoc', ConfigDocSchema);

/** Largest page an inventory call returns (spec §6.1: paging above 1k assets). */
export const MAX_PAGE_SIZE = 1000;

/**
 * Not defined by the spec. A search over the inventory: assets of `scope` whose kind is one of
 * `kinds` (all when absent), whose name contains `text`, and whose properties equal every entry of
 * `properties`. Paged like `list_assets`.
 */
export const InventoryQuerySchema = z
  .object({
    scope: ScopeSchema,
    kinds: z.array(z.string().min(1)).nullish(),
    text: z.string().nullish(),
    properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default(() => ({})),
    cursor: z.string().nullish(),
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).nullish(),
  })
  .meta({ id: 'InventoryQuery' });
/** An inventory search. */
export type InventoryQuery = z.infer<typeof InventoryQuerySchema>;
/** Validates an {@link InventoryQuery}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseInventoryQuery = makeParser('InventoryQuery', InventoryQuerySchema);

/** Not defined by the spec. Which page of a listing to return: an opaque cursor and a size. */
export const PageRequestSchema = z
  .object({
    cursor: z.string().nullish(),
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).nullish(),
  })
  .meta({ id: 'PageRequest' });
/** A page request. */
export type PageRequest = z.infer<typeof PageRequestSchema>;
/** Validates a {@link PageRequest}; throws `SEG_SCHEMA_VIOLATION`. */
export const parsePageRequest = makeParser('PageRequest', PageRequestSchema);

/**
 * Not defined by the spec. One page of assets. `next_cursor` is opaque and stable: reading every page
 * in turn yields each asset once, with no gaps, while the pages are read. Absent on the last page.
 */
export const AssetPageSchema = z
  .object({
    assets: z.array(AssetSchema),
    next_cursor: z.string().nullish(),
  })
  .meta({ id: 'AssetPage' });
/** One page of assets. */
export type AssetPage = z.infer<typeof AssetPageSchema>;
/** Validates an {@link AssetPage}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseAssetPage = makeParser('AssetPage', AssetPageSchema);
