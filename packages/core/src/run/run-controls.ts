import type { ControlSpec } from '@neurocipher/seg-contracts';
import type { ManifestControl } from '../bundle/manifest.ts';
import type { LoadedBundle } from '../evaluation/bundle-loader.ts';

/** A policy bundle a run evaluated, pinned by the sha256 of its CHECKSUMS (attested with the run). */
export interface PolicyBundleDigest {
  id: string;
  version: string;
  digest: { sha256: string };
}

/** What a run needs to know about the controls of its verified bundles. */
export interface RunControls {
  /** Spec §7 control specs, sorted by id: the controls evaluated and committed with the run. */
  controls: ControlSpec[];
  /** Framework references by control id, as strings (`{cis_aws_v3: "2.1.1"}`), for reports. */
  frameworks: Record<string, Record<string, string>>;
  /** The bundles, pinned by digest. */
  policy_bundles: PolicyBundleDigest[];
}

/** A bundle manifest control as the §7 `ControlSpec` (missing texts become `''` or null). */
export function controlSpecOf(control: ManifestControl, bundleId: string): ControlSpec {
  return {
    id: control.id,
    version: control.version,
    title: control.title,
    benchmark: control.benchmark,
    description: control.description ?? '',
    inputs: control.inputs ?? {},
    target_kinds: [...control.target_kinds],
    policy_bundle: bundleId,
    severity: control.severity,
    rationale: control.rationale ?? null,
    remediation_guidance: control.remediation_guidance ?? null,
  };
}

/**
 * Framework references of a manifest control as strings: an object map keeps its keys with stringified
 * values, a list of framework names maps each name to `''`.
 */
export function frameworksOf(control: ManifestControl): Record<string, string> {
  const raw = control.frameworks ?? {};
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((name) => [String(name), '']));
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
}

/** The controls, framework references and digests of verified bundles, controls sorted by id. */
export function runControlsOf(bundles: readonly LoadedBundle[]): RunControls {
  const controls: ControlSpec[] = [];
  const frameworks: Record<string, Record<string, string>> = {};
  for (const bundle of bundles) {
    for (const control of bundle.controls.values()) {
      controls.push(controlSpecOf(control, bundle.ref.id));
      frameworks[control.id] = frameworksOf(control);
    }
  }
  controls.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    controls,
    frameworks,
    policy_bundles: bundles.map((b) => ({
      id: b.ref.id,
      version: b.ref.version,
      digest: { sha256: b.verified.digest },
    })),
  };
}
