// Generates the `controls` of a bundle's manifest.json from the `# METADATA` blocks of its policies, so
// control metadata is written once, in the Rego file. Reads the annotations with the real opa CLI:
//   opa inspect -a --format json <bundle>/policies
// The bundle-level fields (id, version, title, description, rego_version) are kept from the existing
// manifest.json. Output is deterministic: controls sorted by id, fixed key order, prettier formatting.
// Usage: node tools/bundle-content/gen-manifest.ts [bundle dir] [--check]
//   --check exits 1 when manifest.json differs from what would be generated, or metadata is invalid.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import * as prettier from 'prettier';

interface Annotation {
  annotations: {
    scope?: string;
    title?: string;
    description?: string;
    custom?: Record<string, unknown>;
  };
  location: { file: string };
  path: Array<{ type: string; value: string }>;
}

/** One control entry of manifest.json, in the key order it is written. */
export interface ManifestControlEntry {
  id: string;
  version: string;
  title: string;
  description: string;
  benchmark: string;
  frameworks: Record<string, string>;
  severity: string;
  target_kinds: string[];
  inputs: Record<string, unknown>;
  default_inputs: Record<string, unknown>;
  rationale: string;
  remediation_guidance: string;
  entrypoint: string;
}

const SEVERITIES = new Set(['critical', 'high', 'medium', 'low', 'info']);
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const ID = /^[a-z0-9][a-z0-9-]*$/;

const ajv = new Ajv({ allErrors: true, strict: true });

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const bundleDir = resolve(
  args.find((a) => !a.startsWith('--')) ?? join(here, '../../bundles/cis-aws-foundations'),
);
const check = args.includes('--check');
const opa = process.env.SEG_OPA ?? 'opa';

function str(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** Builds one manifest entry from a package annotation, pushing every problem found to `problems`. */
function toControl(a: Annotation, problems: string[]): ManifestControlEntry | undefined {
  const file = basename(a.location.file);
  const say = (m: string) => problems.push(`${file}: ${m}`);
  const segs = a.path.map((p) => p.value);
  if (segs.length !== 4 || segs[1] !== 'seg' || segs[2] !== 'controls') {
    say(`package must be seg.controls.<snake_id>, got ${segs.slice(1).join('.')}`);
    return undefined;
  }
  const snake = segs[3]!;
  const { title, description, scope } = a.annotations;
  const c = a.annotations.custom ?? {};
  if (scope !== 'package') say('METADATA scope must be package');
  if (!str(c.id) || !ID.test(c.id)) say('custom.id must be a kebab-case id');
  else if (c.id.replaceAll('-', '_') !== snake) say(`custom.id ${c.id} does not match package ${snake}`);
  if (file !== `${snake}.rego`) say(`file must be named ${snake}.rego`);
  if (!str(c.version) || !SEMVER.test(c.version)) say('custom.version must be a semantic version');
  if (!str(title)) say('title is required');
  if (!str(description)) say('description is required');
  if (!str(c.benchmark)) say('custom.benchmark is required');
  if (!str(c.severity) || !SEVERITIES.has(c.severity))
    say('custom.severity must be critical|high|medium|low|info');
  const kinds = c.target_kinds;
  if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every(str))
    say('custom.target_kinds must list kinds');
  const frameworks = c.frameworks;
  if (typeof frameworks !== 'object' || frameworks === null || !Object.values(frameworks).every(str))
    say('custom.frameworks must map framework ids to control ids (strings)');
  const inputs = c.inputs;
  if (typeof inputs !== 'object' || inputs === null || (inputs as { type?: unknown }).type !== 'object')
    say('custom.inputs must be a JSON Schema of type object');
  if (!str(c.rationale)) say('custom.rationale is required');
  if (!str(c.remediation_guidance)) say('custom.remediation_guidance is required');
  if (problems.some((p) => p.startsWith(`${file}:`))) return undefined;

  const schema = inputs as { properties?: Record<string, { default?: unknown }> };
  const defaults: Record<string, unknown> = {};
  for (const name of Object.keys(schema.properties ?? {}).sort()) {
    const prop = schema.properties?.[name];
    if (prop && 'default' in prop) defaults[name] = prop.default;
  }
  try {
    const validate = ajv.compile(inputs as object);
    if (!validate(defaults)) say(`default inputs do not validate: ${ajv.errorsText(validate.errors)}`);
  } catch (error) {
    say(`custom.inputs is not a valid JSON Schema: ${(error as Error).message}`);
  }
  if (problems.some((p) => p.startsWith(`${file}:`))) return undefined;
  const sortedFrameworks: Record<string, string> = {};
  for (const k of Object.keys(frameworks as object).sort())
    sortedFrameworks[k] = (frameworks as Record<string, string>)[k]!;
  return {
    id: c.id as string,
    version: c.version as string,
    title: (title as string).trim(),
    description: (description as string).trim(),
    benchmark: c.benchmark as string,
    frameworks: sortedFrameworks,
    severity: c.severity as string,
    target_kinds: kinds as string[],
    inputs: inputs as Record<string, unknown>,
    default_inputs: defaults,
    rationale: (c.rationale as string).trim(),
    remediation_guidance: (c.remediation_guidance as string).trim(),
    entrypoint: `seg/controls/${snake}/result`,
  };
}

async function main(): Promise<void> {
  const raw = execFileSync(opa, ['inspect', '-a', '--format', 'json', join(bundleDir, 'policies')], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const annotations = ((JSON.parse(raw) as { annotations?: Annotation[] }).annotations ?? []).filter(
    (a) => a.annotations.scope === 'package' || a.annotations.custom !== undefined,
  );
  const problems: string[] = [];
  const controls = annotations
    .map((a) => toControl(a, problems))
    .filter((c): c is ManifestControlEntry => c !== undefined)
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const ids = controls.map((c) => c.id);
  for (const id of ids.filter((id, i) => ids.indexOf(id) !== i))
    problems.push(`control ${id} is defined twice`);
  if (controls.length === 0) problems.push('no control annotations found');

  const manifestPath = join(bundleDir, 'manifest.json');
  const current = existsSync(manifestPath) ? readFileSync(manifestPath, 'utf8') : '';
  const previous = (current ? JSON.parse(current) : {}) as Record<string, unknown>;
  const manifest = {
    id: (previous.id as string | undefined) ?? basename(bundleDir),
    version: (previous.version as string | undefined) ?? '0.1.0',
    ...(previous.title !== undefined ? { title: previous.title } : {}),
    ...(previous.description !== undefined ? { description: previous.description } : {}),
    rego_version: 1,
    controls,
  };
  if (!SEMVER.test(manifest.version))
    problems.push(`bundle version ${manifest.version} is not a semantic version`);
  if (problems.length > 0) {
    for (const p of problems) console.error(`FAIL ${p}`);
    process.exit(1);
  }
  const options = (await prettier.resolveConfig(manifestPath)) ?? {};
  const text = await prettier.format(JSON.stringify(manifest), { ...options, parser: 'json' });
  if (check) {
    if (text !== current) {
      console.error(`FAIL ${manifestPath} is stale: run node tools/bundle-content/gen-manifest.ts`);
      process.exit(1);
    }
    console.log(`ok: manifest.json matches the METADATA of ${controls.length} controls`);
  } else {
    writeFileSync(manifestPath, text);
    console.log(`wrote ${manifestPath} with ${controls.length} controls`);
  }
}

await main();
