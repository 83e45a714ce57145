import { SegError } from '@neurocipher/seg-contracts';
import type { BundleSource } from '@neurocipher/seg-ports';

/**
 * The grammar of a bundle reference: `<id>` or `<id>@<version>`. The id is 1 to 64 of `a-z 0-9 . _ -`
 * starting with a letter or digit (the manifest's id grammar, bounded); the version is a semantic version
 * (`MAJOR.MINOR.PATCH`, optional `-prerelease` and `+build` of dot-separated `0-9 A-Z a-z -`).
 */
export const BUNDLE_REF_PATTERN =
  /^[a-z0-9][a-z0-9._-]{0,63}(?:@(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?$/;

/** What {@link BUNDLE_REF_PATTERN} asks for, in words (error messages). */
export const BUNDLE_REF_GRAMMAR =
  '<id> or <id>@<version>: id of a-z 0-9 . _ - (at most 64, starting with a letter or digit), version MAJOR.MINOR.PATCH';

/** Splits a bundle reference; `SEG_INVALID_ARGUMENT` when it does not follow {@link BUNDLE_REF_PATTERN}. */
export function parseBundleRef(ref: string): { id: string; version?: string } {
  if (!BUNDLE_REF_PATTERN.test(ref)) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `bundle ${JSON.stringify(ref)} is not a bundle reference: ${BUNDLE_REF_GRAMMAR}`,
      details: { bundle: ref },
    });
  }
  const at = ref.indexOf('@');
  return at === -1 ? { id: ref } : { id: ref.slice(0, at), version: ref.slice(at + 1) };
}

/**
 * Resolves `<id>` or `<id>@<version>` ({@link BUNDLE_REF_PATTERN}) against a bundle source, the latest
 * version present for a bare id. `SEG_INVALID_ARGUMENT` for a malformed reference,
 * `SEG_POLICY_LOAD_FAILED` when the source holds no such bundle.
 */
export async function resolveBundleRef(
  source: Pick<BundleSource, 'list'>,
  wanted: string,
): Promise<{ id: string; version: string }> {
  const { id, version } = parseBundleRef(wanted);
  const refs = (await source.list()).filter(
    (r) => r.id === id && (version === undefined || r.version === version),
  );
  refs.sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
  const ref = refs.at(-1);
  if (!ref) {
    throw new SegError({
      error_code: 'SEG_POLICY_LOAD_FAILED',
      message: `bundle ${wanted} is not in the bundles folder`,
      details: { bundle: wanted },
    });
  }
  return { id: ref.id, version: ref.version };
}
