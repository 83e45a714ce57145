import { snakeId } from '../bundle-layout.ts';
import { bundleKind, type BundleManifest } from '../manifest.ts';
import { gateVectors, type GateVectorFile } from '../../validation/gate-vectors.ts';
import { bundleVectors, type VectorFile } from '../../validation/vectors.ts';

/**
 * What is wrong with a bundle's layout (spec §9.1, docs/bundles.md), as readable lines; empty when
 * nothing is. Checks, for a control bundle: one `policies/<snake_id>.rego` per manifest control declaring
 * `package seg.controls.<snake_id>`, no policy file that is not a listed control, and per control a
 * vector file with at least 3 vectors covering a pass, a fail and an error or not_applicable case. For a
 * gates bundle: every policy in `package seg.gates` (or a package below it), at least one in
 * `seg.gates` itself, and gates vector files with at least 3 vectors, one allowed and one refused.
 */
export function bundleStructureProblems(
  manifest: BundleManifest,
  files: ReadonlyMap<string, Uint8Array>,
): string[] {
  const kind = bundleKind(manifest);
  switch (kind) {
    case 'gates':
      return gatesStructureProblems(files);
    case 'controls':
      return controlsStructureProblems(manifest, files);
  }
}

function gatesStructureProblems(files: ReadonlyMap<string, Uint8Array>): string[] {
  const problems: string[] = [];
  const decoder = new TextDecoder();
  const policies = [...files.keys()].filter((path) => /^policies\/.+\.rego$/.test(path)).sort();
  let root = false;
  for (const path of policies) {
    const pkg = /^package\s+(\S+)\s*$/m.exec(decoder.decode(files.get(path)!))?.[1];
    if (pkg === 'seg.gates') root = true;
    else if (!pkg?.startsWith('seg.gates.'))
      problems.push(`${path} must declare package seg.gates (or a package below it)`);
  }
  if (!root) problems.push('no policy declares package seg.gates (the rule decision is its entrypoint)');
  let vectors: Map<string, GateVectorFile>;
  try {
    vectors = gateVectors(files);
  } catch (error) {
    return [...problems, (error as Error).message];
  }
  const all = [...vectors.values()].flatMap((f) => f.vectors);
  if (all.length < 3) problems.push('a gates bundle needs at least 3 vectors under tests/');
  else if (!all.some((v) => v.expected.allow) || !all.some((v) => !v.expected.allow))
    problems.push('gates vectors need an allowed and a refused case');
  return problems;
}

function controlsStructureProblems(
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
