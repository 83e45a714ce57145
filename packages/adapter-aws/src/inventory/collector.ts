import type { AwsSession } from '../provider/aws-session.ts';

/** An asset as a collector lists it, before it becomes a contract `Asset`. */
export interface NativeAsset {
  kind: string;
  account_id: string;
  /** The region, or `global` for account-wide services (IAM, S3 Control, the CloudTrail account view). */
  region: string;
  /** The provider's id within account and region (bucket name, `sg-…`, access key id, …). */
  native_id: string;
  name: string;
  properties: Record<string, string | number | boolean>;
}

/** Where one asset lives: parsed from its URN `urn:asset:aws:{kind}:{account}:{region}:{native_id}`. */
export interface AssetLocator {
  kind: string;
  account_id: string;
  region: string;
  native_id: string;
}

/** One read of an asset: its normalized body and the raw API responses behind it, by operation. */
export interface Capture {
  body: Record<string, unknown>;
  raw: Record<string, unknown>;
}

/** Lists and reads one asset kind through the direct service APIs (notes/moto.md §1.4). */
export interface KindCollector {
  readonly kind: string;
  /** Version of the normalized body (the contracts' `*_CONFIG_VERSION`). */
  readonly schema_version: string;
  /** `regional` kinds are listed once per region in scope; `global` ones once per account. */
  readonly placement: 'regional' | 'global';
  /** Every asset of this kind in one account (and region, for regional kinds). */
  list(session: AwsSession, accountId: string, region: string): Promise<NativeAsset[]>;
  /** The asset's current normalized config and raw responses; `SEG_NOT_FOUND` when it is gone. */
  read(session: AwsSession, at: AssetLocator): Promise<Capture>;
}

/** The region to call for a locator: the home region for `global` assets. */
export function callRegion(session: AwsSession, at: Pick<AssetLocator, 'region'>): string {
  return at.region === 'global' ? session.homeRegion : at.region;
}

/** RFC 3339 of an SDK date (or now when absent). */
export function iso(d: Date | string | undefined): string {
  if (d === undefined) return new Date(0).toISOString();
  return (d instanceof Date ? d : new Date(d)).toISOString();
}
