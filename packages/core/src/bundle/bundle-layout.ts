/** The file that lists the sha256 of every bundle file (sha256sum format, sorted by path). */
export const CHECKSUMS_FILE = 'CHECKSUMS';

/** The file that holds the Ed25519 signature over the exact bytes of {@link CHECKSUMS_FILE}. */
export const SIGNATURE_FILE = 'SIGNATURE';

/** The bundle manifest (id, version, per-control metadata). */
export const MANIFEST_FILE = 'manifest.json';

/** The compiled policy (`opa build -t wasm` output), committed and covered by CHECKSUMS. */
export const WASM_FILE = 'build/policy.wasm';

/**
 * Files in a bundle directory that are not bundle content: the two signing files themselves and the
 * Nx project file of the bundle's build targets. Every other file is listed in CHECKSUMS.
 */
export const UNSIGNED_FILES: readonly string[] = [CHECKSUMS_FILE, SIGNATURE_FILE, 'project.json'];

/** True when `path` is bundle content that CHECKSUMS must list. */
export function isSignedPath(path: string): boolean {
  return !UNSIGNED_FILES.includes(path);
}

/** The Rego-safe name of a control id: `cis-iam-root-mfa` → `cis_iam_root_mfa`. */
export function snakeId(controlId: string): string {
  return controlId.replace(/[^A-Za-z0-9]/g, '_');
}

/** The wasm entrypoint a control is expected to define: `seg/controls/<snake_id>/result`. */
export function controlEntrypoint(controlId: string): string {
  return `seg/controls/${snakeId(controlId)}/result`;
}

/** The one aggregator entrypoint: every applicable control over a batch of assets in one call. */
export const AGGREGATE_ENTRYPOINT = 'seg/aggregate/results';

/**
 * The one entrypoint of a gates bundle (`"kind": "gates"`): the approval decision for a remediation action
 * (docs/bundles.md, "Gates bundles").
 */
export const GATES_ENTRYPOINT = 'seg/gates/decision';
