import { SegError } from '@neurocipher/seg-contracts';
import { AGGREGATE_ENTRYPOINT, controlEntrypoint } from '../bundle/bundle-layout.ts';
import type { BundleManifest } from '../bundle/manifest.ts';
import type { PolicyEngine } from '../evaluation/policy-engine.ts';
import { isControlResult } from '../evaluation/findings.ts';

/** One test vector of a control (`tests/<control_id>.json`). */
export interface ControlVector {
  name: string;
  /** The per-control input: `{asset, config, params, now}` (possibly malformed on purpose). */
  input: unknown;
  expected: { result: string; message_contains?: string };
}

/** A vector file: `{"control_id": "...", "vectors": [...]}`. */
export interface VectorFile {
  control_id: string;
  vectors: ControlVector[];
}

/** The outcome of one vector on one engine. */
export interface VectorOutcome {
  control_id: string;
  name: string;
  expected: ControlVector['expected'];
  /** The control entrypoint's value (`undefined` when the rule was undefined). */
  actual: unknown;
  ok: boolean;
  /** Why it failed, when it did. */
  problem?: string;
}

/** Parses and checks a vector file; throws `SEG_SCHEMA_VIOLATION` naming the file. */
export function parseVectorFile(path: string, bytes: Uint8Array): VectorFile {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new SegError({ error_code: 'SEG_SCHEMA_VIOLATION', message: `${path} is not valid JSON`, cause });
  }
  const d = doc as Partial<VectorFile>;
  const valid =
    typeof d.control_id === 'string' &&
    Array.isArray(d.vectors) &&
    d.vectors.every(
      (v) =>
        v !== null &&
        typeof v === 'object' &&
        typeof v.name === 'string' &&
        'input' in v &&
        typeof v.expected?.result === 'string' &&
        (v.expected.message_contains === undefined || typeof v.expected.message_contains === 'string'),
    );
  if (!valid) {
    throw new SegError({
      error_code: 'SEG_SCHEMA_VIOLATION',
      message: `${path} is not a vector file {control_id, vectors: [{name, input, expected: {result, message_contains?}}]}`,
    });
  }
  return d as VectorFile;
}

/** Every vector file of a bundle, by control id. Throws when a file's control id is not its name. */
export function bundleVectors(files: ReadonlyMap<string, Uint8Array>): Map<string, VectorFile> {
  const out = new Map<string, VectorFile>();
  for (const [path, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const match = /^tests\/(.+)\.json$/.exec(path);
    if (!match) continue;
    const file = parseVectorFile(path, bytes);
    if (file.control_id !== match[1]) {
      throw new SegError({
        error_code: 'SEG_SCHEMA_VIOLATION',
        message: `${path} declares control ${file.control_id}`,
      });
    }
    out.set(file.control_id, file);
  }
  return out;
}

function judge(expected: ControlVector['expected'], actual: unknown): string | undefined {
  if (!isControlResult(actual))
    return `control returned ${actual === undefined ? 'no result' : 'a malformed result'}: ${JSON.stringify(actual)}`;
  if (actual.result !== expected.result)
    return `expected ${expected.result}, got ${actual.result} (${actual.message})`;
  if (expected.message_contains !== undefined && !actual.message.includes(expected.message_contains)) {
    return `message ${JSON.stringify(actual.message)} does not contain ${JSON.stringify(expected.message_contains)}`;
  }
  return undefined;
}

function isCompleteControlInput(
  input: unknown,
): input is { asset: unknown; config: unknown; params: unknown; now: unknown } {
  return (
    input !== null &&
    typeof input === 'object' &&
    ['asset', 'config', 'params', 'now'].every((k) => k in input)
  );
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Runs vectors through an engine: each through the control's own entrypoint, and — when the vector's input
 * is a complete `{asset, config, params, now}` — through the aggregator too, which must return the same
 * value. A vector passes when the result matches `expected` on both paths.
 */
export async function runVectors(
  manifest: BundleManifest,
  vectors: ReadonlyMap<string, VectorFile>,
  engine: PolicyEngine,
  only?: string,
): Promise<VectorOutcome[]> {
  const out: VectorOutcome[] = [];
  const encoder = new TextEncoder();
  for (const control of manifest.controls) {
    if (only !== undefined && control.id !== only) continue;
    const file = vectors.get(control.id);
    if (!file) {
      out.push({
        control_id: control.id,
        name: '(no vector file)',
        expected: { result: '-' },
        actual: undefined,
        ok: false,
        problem: `tests/${control.id}.json is missing`,
      });
      continue;
    }
    for (const vector of file.vectors) {
      let actual: unknown;
      let problem: string | undefined;
      try {
        actual = await engine.evaluate(
          controlEntrypoint(control.id),
          encoder.encode(JSON.stringify(vector.input)),
        );
        problem = judge(vector.expected, actual);
        if (problem === undefined && isCompleteControlInput(vector.input)) {
          const i = vector.input as { asset: unknown; config: unknown; params: unknown; now: unknown };
          const batch = {
            now: i.now,
            params: { [control.id]: i.params },
            items: [{ asset: i.asset, config: i.config, controls: [control.id] }],
            by_control: { [control.id]: [0] },
          };
          const rows = (await engine.evaluate(
            AGGREGATE_ENTRYPOINT,
            encoder.encode(JSON.stringify(batch)),
          )) as Array<Record<string, unknown>>;
          const viaAggregate = rows?.[0]?.[control.id];
          if (!sameJson(viaAggregate, actual))
            problem = `aggregator returned ${JSON.stringify(viaAggregate)}, control entrypoint ${JSON.stringify(actual)}`;
        }
      } catch (error) {
        problem = `evaluation failed: ${(error as Error).message}`;
      }
      out.push({
        control_id: control.id,
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
