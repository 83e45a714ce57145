import { SegError } from '@neurocipher/seg-contracts';
import type { TrustedKey } from '@neurocipher/seg-attest';
import { sha256Hex } from '@neurocipher/seg-ports';
import { CHECKSUMS_FILE, isSignedPath, MANIFEST_FILE, SIGNATURE_FILE, WASM_FILE } from './bundle-layout.ts';
import { parseChecksums } from './checksums.ts';
import { parseManifest, type BundleManifest } from './manifest.ts';
import { verifySignature } from './signature.ts';

/** A bundle whose signature, checksums and manifest all verified. Only these are ever evaluated. */
export interface VerifiedBundle {
  manifest: BundleManifest;
  /** Every signed file, by path (CHECKSUMS and SIGNATURE excluded). */
  files: ReadonlyMap<string, Uint8Array>;
  /** The trusted key that signed it. */
  signer: TrustedKey;
  /** sha256 of CHECKSUMS: one digest naming the exact bundle content. */
  digest: string;
}

function loadFailed(message: string, details: Record<string, unknown>): SegError {
  return new SegError({ error_code: 'SEG_POLICY_LOAD_FAILED', message, details });
}

/**
 * Verifies a bundle's files: SIGNATURE over CHECKSUMS with a trusted key, then that CHECKSUMS lists
 * exactly the bundle's files (none added, none removed) with matching sha256, then the manifest, and
 * that the compiled policy is present. Pure: nothing is compiled or instantiated. Throws
 * `SEG_POLICY_LOAD_FAILED` with the bundle and the failing path in `details`.
 *
 * `expected`, when given, must match the manifest's id and version.
 */
export async function verifyBundle(
  files: ReadonlyMap<string, Uint8Array>,
  trustedKeys: readonly TrustedKey[],
  expected?: { id: string; version: string },
): Promise<VerifiedBundle> {
  const bundle = expected ? `${expected.id}@${expected.version}` : '(unnamed)';
  const checksums = files.get(CHECKSUMS_FILE);
  const signature = files.get(SIGNATURE_FILE);
  if (!checksums) throw loadFailed(`bundle ${bundle} has no CHECKSUMS`, { bundle });
  if (!signature) throw loadFailed(`bundle ${bundle} has no SIGNATURE`, { bundle });
  let signer: TrustedKey;
  try {
    signer = await verifySignature(checksums, signature, trustedKeys);
  } catch (error) {
    if (error instanceof SegError) {
      throw new SegError({
        error_code: error.error_code,
        message: `bundle ${bundle}: ${error.message}`,
        details: { bundle, ...error.details },
      });
    }
    throw error;
  }
  const listed = parseChecksums(new TextDecoder().decode(checksums));
  const signed = new Map<string, Uint8Array>();
  for (const [path, bytes] of files) {
    if (!isSignedPath(path)) continue;
    const hash = listed.get(path);
    if (hash === undefined)
      throw loadFailed(`bundle ${bundle}: file ${path} is not listed in CHECKSUMS`, { bundle, path });
    if (sha256Hex(bytes) !== hash)
      throw loadFailed(`bundle ${bundle}: file ${path} does not match its checksum`, { bundle, path });
    signed.set(path, bytes);
  }
  for (const path of listed.keys()) {
    if (!signed.has(path))
      throw loadFailed(`bundle ${bundle}: file ${path} listed in CHECKSUMS is missing`, { bundle, path });
  }
  const manifestBytes = signed.get(MANIFEST_FILE);
  if (!manifestBytes) throw loadFailed(`bundle ${bundle} has no ${MANIFEST_FILE}`, { bundle });
  const manifest = parseManifest(manifestBytes);
  if (expected && (manifest.id !== expected.id || manifest.version !== expected.version)) {
    throw loadFailed(`bundle ${bundle}: manifest names ${manifest.id}@${manifest.version}`, { bundle });
  }
  if (!signed.has(WASM_FILE))
    throw loadFailed(`bundle ${bundle} has no ${WASM_FILE}; run the bundle build`, { bundle });
  return { manifest, files: signed, signer, digest: sha256Hex(checksums) };
}
