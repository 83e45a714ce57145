import { snakeId, type VectorFile, type VectorOutcome } from '@neurocipher/seg-core';

/**
 * Renders one control's vectors as an `opa test` file. Per vector, two tests:
 * `test_expect_<n>` asserts the vector's expected result (and message fragment) under topdown, and
 * `test_parity_<n>` asserts topdown returns exactly the value our wasm engine returned — so a passing
 * `opa test` proves the two engines agree on every vector.
 */
export function renderVectorTests(file: VectorFile, wasmOutcomes: readonly VectorOutcome[]): string {
  const ref = `data.seg.controls.${snakeId(file.control_id)}.result`;
  const lines = [`package seg.vectors.${snakeId(file.control_id)}_test`, ''];
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
