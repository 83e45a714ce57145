import { SegError } from '@neurocipher/seg-contracts';
import { canonicalJson } from '@neurocipher/seg-attest';
import { GATES_ENTRYPOINT } from '../bundle/bundle-layout.ts';
import type { PolicyEngine } from '../evaluation/policy-engine.ts';
import { GateDecisionSchema, type GateDecision } from '../gates/gate-decision.ts';

/** One test vector of a gates bundle: an input and the exact decision expected for it. */
export interface GateVector {
  name: string;
  /** A gate input (possibly malformed on purpose: the policy must still decide, and refuse). */
  input: unknown;
  /** The whole decision `seg/gates/decision` must return (compared as JSON values). */
  expected: GateDecision;
}

/** A gates vector file `tests/<name>.json`: `{"entrypoint": "seg/gates/decision", "vectors": [...]}`. */
export interface GateVectorFile {
  /** The file's name without `tests/` and `.json`. */
  name: string;
  entrypoint: typeof GATES_ENTRYPOINT;
  vectors: GateVector[];
}

/** The outcome of one gates vector on one engine. */
export interface GateVectorOutcome {
  /** The vector file's name ({@link GateVectorFile.name}). */
  file: string;
  name: string;
  expected: GateDecision;
  /** The decision returned (`undefined` when the rule was undefined). */
  actual: unknown;
  ok: boolean;
  /** Why it failed, when it did. */
  problem?: string;
}

function invalid(path: string, why: string): SegError {
  return new SegError({
    error_code: 'SEG_SCHEMA_VIOLATION',
    message: `${path} is not a gates vector file {entrypoint: "${GATES_ENTRYPOINT}", vectors: [{name, input, expected: <decision>}]}: ${why}`,
    details: { path },
  });
}

/**
 * Parses and checks a gates vector file; every `expected` must itself be a valid decision
 * ({@link GateDecisionSchema}). Throws `SEG_SCHEMA_VIOLATION` naming the file (and the vector).
 */
export function parseGateVectorFile(path: string, bytes: Uint8Array): GateVectorFile {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new SegError({ error_code: 'SEG_SCHEMA_VIOLATION', message: `${path} is not valid JSON`, cause });
  }
  const d = doc as Partial<GateVectorFile> | null;
  if (d === null || typeof d !== 'object' || d.entrypoint !== GATES_ENTRYPOINT)
    throw invalid(path, `entrypoint must be ${GATES_ENTRYPOINT}`);
  if (!Array.isArray(d.vectors)) throw invalid(path, 'vectors must be a list');
  const names = new Set<string>();
  for (const [i, v] of (d.vectors as unknown[]).entries()) {
    const vector = v as Partial<GateVector> | null;
    if (
      vector === null ||
      typeof vector !== 'object' ||
      typeof vector.name !== 'string' ||
      !('input' in vector)
    )
      throw invalid(path, `vector ${i} needs a name and an input`);
    if (names.has(vector.name))
      throw invalid(path, `vector name ${JSON.stringify(vector.name)} is used twice`);
    names.add(vector.name);
    const expected = GateDecisionSchema.safeParse(vector.expected);
    if (!expected.success) {
      throw invalid(
        path,
        `vector ${JSON.stringify(vector.name)}: expected is not a decision (${expected.error.issues
          .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
          .join('; ')})`,
      );
    }
  }
  const match = /^tests\/(.+)\.json$/.exec(path);
  return { name: match ? match[1]! : path, entrypoint: GATES_ENTRYPOINT, vectors: d.vectors as GateVector[] };
}

/** Every vector file (`tests/*.json`) of a gates bundle, by file name. */
export function gateVectors(files: ReadonlyMap<string, Uint8Array>): Map<string, GateVectorFile> {
  const out = new Map<string, GateVectorFile>();
  for (const [path, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!/^tests\/[^/]+\.json$/.test(path)) continue;
    const file = parseGateVectorFile(path, bytes);
    out.set(file.name, file);
  }
  return out;
}

function judge(expected: GateDecision, actual: unknown): string | undefined {
  if (actual === undefined) return 'the policy returned no decision (seg/gates/decision is undefined)';
  const parsed = GateDecisionSchema.safeParse(actual);
  if (!parsed.success) {
    return `malformed decision ${JSON.stringify(actual)}: ${parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ')}`;
  }
  if (canonicalJson(actual) !== canonicalJson(expected))
    return `expected ${canonicalJson(expected)}, got ${canonicalJson(actual)}`;
  return undefined;
}

/**
 * Runs every gates vector through `seg/gates/decision` of an engine. A vector passes when the returned
 * decision is valid and equals `expected` exactly.
 */
export async function runGateVectors(
  vectors: ReadonlyMap<string, GateVectorFile>,
  engine: PolicyEngine,
): Promise<GateVectorOutcome[]> {
  const out: GateVectorOutcome[] = [];
  const encoder = new TextEncoder();
  for (const file of vectors.values()) {
    for (const vector of file.vectors) {
      let actual: unknown;
      let problem: string | undefined;
      try {
        actual = await engine.evaluate(GATES_ENTRYPOINT, encoder.encode(JSON.stringify(vector.input)));
        problem = judge(vector.expected, actual);
      } catch (error) {
        problem = `evaluation failed: ${(error as Error).message}`;
      }
      out.push({
        file: file.name,
        name: vector.name,
        expected: vector.expected,
        actual,
        ok: problem === undefined,
        ...(problem === undefined ? {} : { problem }),
      });
    }
  }
  return out;
}
