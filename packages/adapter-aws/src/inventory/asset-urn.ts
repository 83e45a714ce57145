import { SegError, assetUrn, type Asset } from '@neurocipher/seg-contracts';
import type { AssetLocator, NativeAsset } from './collector.ts';

/**
 * The URN of an AWS asset: `urn:asset:aws:{kind}:{account}:{region}:{native_id}` (spec §7). Account and
 * region make the id unique across the accounts and regions of a scope and tell `get_config` where to call.
 */
export function awsAssetUrn(a: Pick<NativeAsset, 'kind' | 'account_id' | 'region' | 'native_id'>): string {
  return assetUrn('aws', a.kind, `${a.account_id}:${a.region}:${a.native_id}`);
}

const URN = /^urn:asset:aws:([a-z0-9][a-z0-9._-]*):(\d{12}):([a-z0-9-]+):(\S+)$/;

/** Parses an AWS asset URN back to its locator; `SEG_INVALID_ARGUMENT` when it is not one of ours. */
export function parseAwsAssetUrn(urn: string): AssetLocator {
  const m = URN.exec(urn);
  if (!m) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: 'not an AWS asset URN of the form urn:asset:aws:{kind}:{account}:{region}:{id}',
      details: { urn },
    });
  }
  return {
    kind: m[1] as string,
    account_id: m[2] as string,
    region: m[3] as string,
    native_id: m[4] as string,
  };
}

/** A collector's native asset as a contract `Asset`. */
export function toAsset(n: NativeAsset, discovered_at: string): Asset {
  return {
    ref: { urn: awsAssetUrn(n) },
    kind: n.kind,
    provider: 'aws',
    name: n.name,
    properties: { ...n.properties, account_id: n.account_id, region: n.region },
    discovered_at,
  };
}
