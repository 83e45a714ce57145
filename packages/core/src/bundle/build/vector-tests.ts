import { SegError } from '@neurocipher/seg-contracts';
import { snakeId } from '../bundle-layout.ts';
import type { GateVectorFile, GateVectorOutcome } from '../../validation/gate-vectors.ts';
import type { VectorFile, VectorOutcome } from '../../validation/vectors.ts';

/** The Rego package of one control's generated vector tests. */
export function vectorTestPackage(controlId: string): string {
  return `seg.vectors.${snakeId(controlId)}_test`;
}

/** The file name, in the staged OPA tree, of one control's generated vector tests. */
export function vectorTestFile(controlId: string): string {
  return `seg_vectors_${snakeId(controlId)}_test.rego`;
}

/**
 * Renders one control's vectors as an `opa test` file. Per vector, two tests:
 * `test_expect_<n>` asserts the vector's expected result (and message fragment) under topdown, and
 * `test_parity_<n>` asserts topdown returns exactly the value our wasm engine returned — so a passing
 * `opa test` proves the two engines agree on every vector.
 */
export function renderVectorTests(file: VectorFile, wasmOutcomes: readonly VectorOutcome[]): string {
  const ref = `data.seg.controls.${snakeId(file.control_id)}.result`;
  const lines = [`package ${vectorTestPackage(file.control_id)}`, ''];
  file.vectors.forEach((vector, n) => {
    const input = JSON.stringify(vector.input);
    lines.push(`# ${vector.name.replace(/\n/g, ' ')}`);
    lines.push(
      `test_expect_${n} if {`,
      `\tr := ${ref} with input as ${input}`,
      `\tr.result == ${JSON.stringify(vector.expected.result)}`,
    );
    if (vector.expected.message_contains !== undefined)
      lines.push(`\tcontains(r.message, ${JSON.stringify(vector.expected.message_contains)})`);
    lines.push('}', '');
    const actual = wasmOutcomes.find((o) => o.name === vector.name)?.actual;
    if (actual === undefined) {
      lines.push(`test_parity_${n} if {`, `\tnot ${ref} with input as ${input}`, '}', '');
    } else {
      lines.push(
        `test_parity_${n} if {`,
        `\t${ref} == ${JSON.stringify(actual)} with input as ${input}`,
        '}',
        '',
      );
    }
  });
  return lines.join('\n');
}

/** The Rego package of one gates vector file's generated tests. */
export function gateVectorTestPackage(fileName: string): string {
  return `seg.vectors.gates_${snakeId(fileName)}_test`;
}

/** The file name, in the staged OPA tree, of one gates vector file's generated tests. */
export function gateVectorTestFile(fileName: string): string {
  return `seg_vectors_gates_${snakeId(fileName)}_test.rego`;
}

/**
 * Renders one gates vector file as an `opa test` file, like {@link renderVectorTests}: per vector,
 * `test_expect_<n>` (under topdown, `data.seg.gates.decision` equals the expected decision) and
 * `test_parity_<n>` (topdown returns exactly what our wasm engine returned).
 */
export function renderGateVectorTests(
  file: GateVectorFile,
  wasmOutcomes: readonly GateVectorOutcome[],
): string {
  const ref = 'data.seg.gates.decision';
  const lines = [`package ${gateVectorTestPackage(file.name)}`, ''];
  file.vectors.forEach((vector, n) => {
    const input = JSON.stringify(vector.input);
    lines.push(
      `# ${vector.name.replace(/\n/g, ' ')}`,
      `test_expect_${n} if {`,
      `\t${ref} == ${JSON.stringify(vector.expected)} with input as ${input}`,
      '}',
      '',
    );
    const actual = wasmOutcomes.find((o) => o.name === vector.name)?.actual;
    lines.push(
      `test_parity_${n} if {`,
      actual === undefined
        ? `\tnot ${ref} with input as ${input}`
        : `\t${ref} == ${JSON.stringify(actual)} with input as ${input}`,
      '}',
      '',
    );
  });
  return lines.join('\n');
}

/** One `opa test` result, traced back to the vector it was generated from. */
export interface OpaTestOutcome {
  /** `data.<package>.<rule>`, as opa reports it. */
  test: string;
  ok: boolean;
  /** `expect` (the vector's expectation under topdown) or `parity` (topdown equals wasm). */
  kind?: 'expect' | 'parity';
  control_id?: string;
  /** The vector's name. */
  vector?: string;
  /** opa's error, when the test errored rather than failed. */
  error?: string;
}

interface OpaTestJson {
  package: string;
  name: string;
  fail?: boolean;
  error?: unknown;
}

/**
 * Parses `opa test --format=json` output and maps each generated test back to its control and vector.
 * Throws `SEG_POLICY_LOAD_FAILED` with opa's output when it is not a JSON result list (a compile error).
 */
export function parseOpaTestResults(
  output: { stdout: string; stderr: string },
  vectors: ReadonlyMap<string, VectorFile>,
): OpaTestOutcome[] {
  return traceOpaTests(
    output,
    new Map([...vectors.values()].map((f) => [vectorTestPackage(f.control_id), f])),
  );
}

/**
 * {@link parseOpaTestResults} for the tests of {@link renderGateVectorTests}: each test is traced back to
 * its vector (no control is concerned).
 */
export function parseGateOpaTestResults(
  output: { stdout: string; stderr: string },
  vectors: ReadonlyMap<string, GateVectorFile>,
): OpaTestOutcome[] {
  return traceOpaTests(
    output,
    new Map([...vectors.values()].map((f) => [gateVectorTestPackage(f.name), { vectors: f.vectors }])),
  );
}

function traceOpaTests(
  output: { stdout: string; stderr: string },
  byPackage: ReadonlyMap<string, { control_id?: string; vectors: ReadonlyArray<{ name: string }> }>,
): OpaTestOutcome[] {
  let results: OpaTestJson[];
  try {
    results = JSON.parse(output.stdout) as OpaTestJson[];
    if (!Array.isArray(results)) throw new Error('not a list');
  } catch {
    throw new SegError({
      error_code: 'SEG_POLICY_LOAD_FAILED',
      message: `opa test failed:\n${(output.stdout + output.stderr).trim()}`,
    });
  }
  return results.map((r) => {
    const file = byPackage.get(r.package.replace(/^data\./, ''));
    const match = /^test_(expect|parity)_(\d+)$/.exec(r.name);
    const vector = match && file ? file.vectors[Number(match[2])] : undefined;
    return {
      test: `${r.package}.${r.name}`,
      ok: !r.fail && !r.error,
      ...(match ? { kind: match[1] as 'expect' | 'parity' } : {}),
      ...(file?.control_id === undefined ? {} : { control_id: file.control_id }),
      ...(vector ? { vector: vector.name } : {}),
      ...(r.error ? { error: JSON.stringify(r.error) } : {}),
    };
  });
}
