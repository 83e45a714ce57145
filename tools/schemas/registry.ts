// The SRG-001 schema registry: which schemas exist, how their committed files are rendered, and the
// checks CI runs (committed == generated, and N-1 examples still valid under N).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { contractExamples, contractSchemas, registryJsonSchema } from '@neurocipher/seg-contracts';
import type { RegisteredSchema } from '@neurocipher/seg-contracts';
import { externalEntries } from './sources.ts';

/** A registry entry with the example documents frozen beside its version. */
export interface RegistryEntry extends RegisteredSchema {
  examples: readonly unknown[];
}

/** The registry folder at the repository root. */
export const REGISTRY_DIR = join(import.meta.dirname, '..', '..', 'schemas');

/** Every schema of the registry at its current version. */
export function registryEntries(): RegistryEntry[] {
  return [
    ...contractSchemas.map((entry) => ({ ...entry, examples: contractExamples[entry.name] ?? [] })),
    ...externalEntries(),
  ];
}

/** Stable JSON text of a committed registry file. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The files the current code generates: `<name>/<version>.json` and `<name>/<version>.examples.json`. */
export function renderRegistry(entries: readonly RegistryEntry[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of entries) {
    files.set(`${entry.name}/${entry.version}.json`, renderJson(registryJsonSchema(entry)));
    files.set(`${entry.name}/${entry.version}.examples.json`, renderJson(entry.examples));
  }
  return files;
}

/** Orders semantic versions ascending. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** One committed version of a schema: its JSON Schema and its frozen examples. */
export interface CommittedVersion {
  version: string;
  schema: Record<string, unknown>;
  examples: readonly unknown[];
}

/** Reads every committed version of every schema in `dir`, by name, oldest first. */
export function readCommitted(dir: string): Map<string, CommittedVersion[]> {
  const byName = new Map<string, CommittedVersion[]>();
  if (!existsSync(dir)) return byName;
  for (const name of readdirSync(dir).sort()) {
    const versions = readdirSync(join(dir, name))
      .filter((f) => /^\d+\.\d+\.\d+\.json$/.test(f))
      .map((f) => f.slice(0, -'.json'.length))
      .sort(compareVersions);
    byName.set(
      name,
      versions.map((version) => {
        const examplesPath = join(dir, name, `${version}.examples.json`);
        return {
          version,
          schema: JSON.parse(readFileSync(join(dir, name, `${version}.json`), 'utf8')) as Record<
            string,
            unknown
          >,
          examples: existsSync(examplesPath)
            ? (JSON.parse(readFileSync(examplesPath, 'utf8')) as unknown[])
            : [],
        };
      }),
    );
  }
  return byName;
}

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv;
}

/**
 * Backward compatibility (spec §5.3: N-1): every example of each version must validate under that version
 * and under the next one. Returns one line per problem; empty when compatible.
 */
export function checkCompatibility(name: string, versions: readonly CommittedVersion[]): string[] {
  const problems: string[] = [];
  const ajv = validator();
  const compiled = versions.map((v) => {
    const { $id: _id, ...schema } = v.schema;
    return ajv.compile(schema);
  });
  versions.forEach((current, i) => {
    const targets = [i, i + 1].filter((j) => j < versions.length);
    for (const j of targets) {
      const validate = compiled[j]!;
      current.examples.forEach((example, k) => {
        if (!validate(example)) {
          const errors = (validate.errors ?? [])
            .map((e) => `${e.instancePath || '/'} ${e.message}`)
            .join('; ');
          problems.push(
            `${name}: example ${k} of ${current.version} is invalid under ${versions[j]!.version}: ${errors}`,
          );
        }
      });
    }
  });
  return problems;
}

/** Compares the committed registry with a fresh generation and checks N-1 compatibility. */
export function checkRegistry(dir: string, entries: readonly RegistryEntry[]): string[] {
  const problems: string[] = [];
  for (const [path, content] of renderRegistry(entries)) {
    const file = join(dir, path);
    if (!existsSync(file)) problems.push(`${path}: missing; run npm run schemas`);
    else if (readFileSync(file, 'utf8') !== content)
      problems.push(
        `${path}: differs from the generated schema; run npm run schemas (and bump the version if the change is breaking)`,
      );
  }
  const committed = readCommitted(dir);
  const names = new Set(entries.map((e) => e.name));
  for (const [name, versions] of committed) {
    if (!names.has(name))
      problems.push(`${name}: committed but no longer generated; removing a contract is a breaking change`);
    const current = entries.find((e) => e.name === name);
    const newest = versions.at(-1);
    if (current && newest && compareVersions(current.version, newest.version) < 0) {
      problems.push(`${name}: code is at ${current.version} but ${newest.version} is committed`);
    }
    problems.push(...checkCompatibility(name, versions));
  }
  return problems;
}
