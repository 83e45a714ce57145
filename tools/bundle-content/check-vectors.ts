// Proves every test vector of a bundle with the real opa CLI, one `opa eval` per vector:
//   opa eval -d <bundle>/policies -d <bundle>/data --input <vector input> 'data.seg.controls.<snake_id>.result' -f json
// and, with --wasm, again through `opa build -t wasm` + @open-policy-agent/opa-wasm (the engine's runtime).
// Usage: node tools/bundle-content/check-vectors.ts [bundle dir] [--wasm] [--only <control id>]
// Exits 1 when any vector's result, message or result shape is wrong, or when a control has no vectors.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface Vector {
  name: string;
  input: unknown;
  expected: { result: string; message_contains?: string };
}
interface VectorFile {
  control_id: string;
  vectors: Vector[];
}

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const bundleDir = resolve(
  args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--only') ??
    join(here, '../../bundles/cis-aws-foundations'),
);
const withWasm = args.includes('--wasm');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
const opa = process.env.SEG_OPA ?? 'opa';
const RESULTS = new Set(['pass', 'fail', 'warn', 'error', 'not_applicable']);

/** Package path segment of a control id: `cis-iam-x` → `cis_iam_x`. */
function snake(id: string): string {
  return id.replaceAll('-', '_');
}

/** Returns the problems with one evaluated result against its vector, empty when it matches. */
function judge(value: unknown, vector: Vector): string[] {
  if (typeof value !== 'object' || value === null)
    return [`result is undefined or not an object: ${JSON.stringify(value)}`];
  const r = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof r.result !== 'string' || !RESULTS.has(r.result))
    problems.push(`bad result field ${JSON.stringify(r.result)}`);
  if (typeof r.message !== 'string' || r.message.length === 0)
    problems.push('message must be a non-empty string');
  if (!Array.isArray(r.evidence)) problems.push('evidence must be an array');
  else
    for (const e of r.evidence as Array<Record<string, unknown>>) {
      if (typeof e?.path !== 'string' || !(e.path === '' || e.path.startsWith('/')))
        problems.push(`evidence path is not a JSON pointer: ${JSON.stringify(e)}`);
      if (e?.media_type !== 'application/json')
        problems.push(`evidence media_type must be application/json: ${JSON.stringify(e)}`);
    }
  if (r.result !== vector.expected.result)
    problems.push(`expected ${vector.expected.result}, got ${String(r.result)} (${String(r.message)})`);
  const want = vector.expected.message_contains;
  if (want !== undefined && !(typeof r.message === 'string' && r.message.includes(want)))
    problems.push(`message ${JSON.stringify(r.message)} does not contain ${JSON.stringify(want)}`);
  return problems;
}

/** Evaluates one vector with `opa eval` and returns the value of the result rule. */
async function evalNative(work: string, id: string, index: number, vector: Vector): Promise<unknown> {
  const inputFile = join(work, `${id}-${index}.json`);
  writeFileSync(inputFile, JSON.stringify(vector.input));
  const query = `data.seg.controls.${snake(id)}.result`;
  const { stdout } = await run(
    opa,
    [
      'eval',
      '-d',
      join(bundleDir, 'policies'),
      '-d',
      join(bundleDir, 'data'),
      '--input',
      inputFile,
      query,
      '-f',
      'json',
    ],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const out = JSON.parse(stdout) as { result?: Array<{ expressions: Array<{ value: unknown }> }> };
  return out.result?.[0]?.expressions[0]?.value;
}

/** JSON with object keys sorted at every level, so results compare independent of key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Merges every data/*.json of the bundle the way `opa eval -d data` does (each file at the root). */
function loadData(): Record<string, unknown> {
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...a };
    for (const [k, val] of Object.entries(b)) {
      const prev = out[k];
      out[k] =
        typeof prev === 'object' &&
        prev !== null &&
        !Array.isArray(prev) &&
        typeof val === 'object' &&
        val !== null &&
        !Array.isArray(val)
          ? merge(prev as Record<string, unknown>, val as Record<string, unknown>)
          : val;
    }
    return out;
  };
  let data: Record<string, unknown> = {};
  for (const f of readdirSync(join(bundleDir, 'data'))
    .filter((n) => n.endsWith('.json'))
    .sort())
    data = merge(
      data,
      JSON.parse(readFileSync(join(bundleDir, 'data', f), 'utf8')) as Record<string, unknown>,
    );
  return data;
}

async function main(): Promise<void> {
  const files = readdirSync(join(bundleDir, 'tests'))
    .filter((n) => n.endsWith('.json') && (only === undefined || n === `${only}.json`))
    .sort();
  if (files.length === 0) {
    console.error(`FAIL no vector files${only === undefined ? '' : ` for ${only}`}`);
    process.exit(1);
  }
  const policies = readdirSync(join(bundleDir, 'policies')).filter((n) => n.endsWith('.rego'));
  const suites = files.map(
    (f) => JSON.parse(readFileSync(join(bundleDir, 'tests', f), 'utf8')) as VectorFile,
  );
  const failures: string[] = [];
  for (const [i, s] of suites.entries()) {
    if (`${s.control_id}.json` !== files[i])
      failures.push(`${files[i]}: control_id ${s.control_id} does not match the file name`);
    const kinds = new Set(s.vectors.map((x) => x.expected.result));
    if (
      s.vectors.length < 3 ||
      !kinds.has('pass') ||
      !kinds.has('fail') ||
      !(kinds.has('error') || kinds.has('not_applicable'))
    )
      failures.push(`${s.control_id}: needs at least a pass, a fail and an error or not_applicable vector`);
  }
  for (const p of only === undefined ? policies : []) {
    const id = p.replace(/\.rego$/, '').replaceAll('_', '-');
    if (!suites.some((s) => s.control_id === id)) failures.push(`${p}: no tests/${id}.json`);
  }

  const work = mkdtempSync(join(tmpdir(), 'seg-vectors-'));
  try {
    const tasks = suites.flatMap((s) =>
      s.vectors.map((vector, index) => async () => {
        const value = await evalNative(work, s.control_id, index, vector);
        return { id: s.control_id, vector, value, problems: judge(value, vector) };
      }),
    );
    const native = await pool(tasks, 4);
    for (const r of native)
      for (const p of r.problems) failures.push(`[opa] ${r.id} / ${r.vector.name}: ${p}`);

    if (withWasm) {
      const entrypoints = suites.map((s) => `seg/controls/${snake(s.control_id)}/result`);
      const out = join(work, 'bundle.tar.gz');
      await run(opa, [
        'build',
        '-t',
        'wasm',
        '-o',
        out,
        ...entrypoints.flatMap((e) => ['-e', e]),
        join(bundleDir, 'policies'),
      ]);
      await run('tar', ['-xzf', out, '-C', work, '/policy.wasm']);
      const { loadPolicy } = (await import('@open-policy-agent/opa-wasm')) as {
        loadPolicy: (wasm: Uint8Array) => Promise<{
          setData(d: unknown): void;
          evaluate(i: unknown, e: string): Array<{ result: unknown }>;
        }>;
      };
      const policy = await loadPolicy(readFileSync(join(work, 'policy.wasm')));
      policy.setData(loadData());
      for (const r of native) {
        const got = policy.evaluate(r.vector.input, `seg/controls/${snake(r.id)}/result`)[0]?.result;
        for (const p of judge(got, r.vector)) failures.push(`[wasm] ${r.id} / ${r.vector.name}: ${p}`);
        if (canonical(got) !== canonical(r.value))
          failures.push(`[wasm] ${r.id} / ${r.vector.name}: differs from opa eval`);
      }
    }
    const count = native.length;
    if (failures.length > 0) {
      for (const f of failures) console.error(`FAIL ${f}`);
      console.error(`${failures.length} problem(s) in ${count} vectors of ${suites.length} controls`);
      process.exitCode = 1;
    } else {
      console.log(
        `ok: ${count} vectors of ${suites.length} controls agree with opa eval${withWasm ? ' and opa-wasm' : ''}`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
