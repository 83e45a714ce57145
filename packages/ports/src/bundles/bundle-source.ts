import type { PortId } from '../ids/port-id.ts';

/** A bundle's id and version. */
export interface BundleRef {
  id: string;
  version: string;
}

/**
 * Where policy bundles come from (a directory now; an OCI registry or the object store later). It only
 * delivers bytes: verifying CHECKSUMS and SIGNATURE is the engine's job, before any policy is instantiated.
 *
 * Errors: `SEG_NOT_FOUND` for an unknown bundle id or version, `SEG_POLICY_LOAD_FAILED` when the source
 * cannot be read.
 */
export interface BundleSource {
  /** Every bundle available, sorted by id then version. */
  list(): Promise<BundleRef[]>;
  /** Every file of one bundle, by `/`-separated path relative to the bundle root. */
  read(ref: BundleRef): Promise<ReadonlyMap<string, Uint8Array>>;
}

/** Inversion-of-control id of {@link BundleSource}. */
export const BundleSourceId: PortId<BundleSource> = Symbol.for('seg.ports.BundleSource');
