import { SegError } from '@neurocipher/seg-contracts';
import type { BundleRef, BundleSource } from '@neurocipher/seg-ports';
import { WASM_FILE } from '../bundle/bundle-layout.ts';
import { bundleKind, type BundleKind, type ManifestControl } from '../bundle/manifest.ts';
import { mergeBundleData } from '../bundle/opa-layout.ts';
import type { TrustedKey } from '@neurocipher/seg-attest';
import { verifyBundle, type VerifiedBundle } from '../bundle/verify-bundle.ts';
import { WasmEngine } from './policy-engine.ts';

/** A verified bundle with its policy instantiated. */
export interface LoadedBundle {
  ref: BundleRef;
  verified: VerifiedBundle;
  controls: ReadonlyMap<string, ManifestControl>;
  /** The merged data document (`{"seg": {...}}`) as JSON. */
  dataJson: string;
}

/** Options of {@link readVerifiedBundle}. */
export interface ReadVerifiedBundleOptions {
  /** The kind of bundle the caller can use; a verified bundle of another kind is refused. */
  kind?: BundleKind;
}

/**
 * Reads a bundle from its source and verifies it (signature, checksums, manifest) before anything is
 * compiled; with `options.kind`, also that it is a bundle of that kind. Any failure — including a
 * missing bundle — is `SEG_POLICY_LOAD_FAILED`.
 */
export async function readVerifiedBundle(
  source: BundleSource,
  ref: BundleRef,
  trustedKeys: readonly TrustedKey[],
  options: ReadVerifiedBundleOptions = {},
): Promise<LoadedBundle> {
  let files: ReadonlyMap<string, Uint8Array>;
  try {
    files = await source.read(ref);
  } catch (error) {
    throw new SegError({
      error_code: 'SEG_POLICY_LOAD_FAILED',
      message: `bundle ${ref.id}@${ref.version} cannot be read: ${(error as Error).message}`,
      details: { bundle: `${ref.id}@${ref.version}` },
      cause: error,
    });
  }
  const verified = await verifyBundle(files, trustedKeys, ref);
  const kind = bundleKind(verified.manifest);
  if (options.kind !== undefined && kind !== options.kind) {
    throw new SegError({
      error_code: 'SEG_POLICY_LOAD_FAILED',
      message: `bundle ${ref.id}@${ref.version} is a ${kind} bundle, not a ${options.kind} bundle`,
      details: { bundle: `${ref.id}@${ref.version}`, kind, expected_kind: options.kind },
    });
  }
  return {
    ref,
    verified,
    controls: new Map(verified.manifest.controls.map((c) => [c.id, c])),
    dataJson: JSON.stringify(mergeBundleData(verified.files)),
  };
}

/** Instantiates the wasm engine of a verified bundle. */
export async function instantiateWasm(bundle: LoadedBundle, workers: number): Promise<WasmEngine> {
  try {
    return await WasmEngine.create({
      wasm: bundle.verified.files.get(WASM_FILE)!,
      dataJson: bundle.dataJson,
      workers,
    });
  } catch (error) {
    throw new SegError({
      error_code: 'SEG_POLICY_LOAD_FAILED',
      message: `bundle ${bundle.ref.id}@${bundle.ref.version}: policy.wasm cannot be instantiated: ${(error as Error).message}`,
      details: { bundle: `${bundle.ref.id}@${bundle.ref.version}` },
      cause: error,
    });
  }
}
