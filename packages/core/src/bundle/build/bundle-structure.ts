import { snakeId } from '../bundle-layout.ts';
import type { BundleManifest } from '../manifest.ts';
import { bundleVectors, type VectorFile } from '../../validation/vectors.ts';

/**
 * What is wrong with a bundle's layout (spec §9.1, docs/bundles.md), as readable lines; empty when
 * nothing is. Checks: one `policies/<snake_id>.rego` per manifest control declaring
 * `package seg.controls.<snake_id>`, no policy file that is not a listed control, and per control a
 * vector file with at least 3 vectors covering a pass, a fail and an error or not_applicable case.
 */
export function bundleStructureProblems(
  manifest: BundleManifest,
  files: ReadonlyMap<string, Uint8Array>,
): string[] {
  const problems: string[] = [];
  const decoder = new TextDecoder();
  for (const control of manifest.controls) {
    const path = `policies/${snakeId(control.id)}.rego`;
    const bytes = files.get(path);
    if (bytes === undefined) problems.push(`control ${control.id}: ${path} is missing`);
    else if (
      !new RegExp(`^package seg\\.controls\\.${snakeId(control.id)}$`, 'm').test(decoder.decode(bytes))
    )
      problems.push(`${path} must declare package seg.controls.${snakeId(control.id)}`);
  }
  for (const path of files.keys()) {
    if (!/^policies\/.+\.rego$/.test(path)) continue;
    if (!manifest.controls.some((c) => path === `policies/${snakeId(c.id)}.rego`))
      problems.push(`${path} is not a control listed in manifest.json`);
  }
  let vectors: Map<string, VectorFile>;
  try {
    vectors = bundleVectors(files);
  } catch (error) {
    return [...problems, (error as Error).message];
  }
  for (const control of manifest.controls) {
    const file = vectors.get(control.id);
    const results = new Set(file?.vectors.map((v) => v.expected.result) ?? []);
    if (!file || file.vectors.length < 3)
      problems.push(`control ${control.id}: tests/${control.id}.json needs at least 3 vectors`);
    else if (
      !results.has('pass') ||
      !results.has('fail') ||
      !(results.has('error') || results.has('not_applicable'))
    ) {
      problems.push(`control ${control.id}: vectors need a pass, a fail and an error or not_applicable case`);
    }
  }
  return problems;
}
