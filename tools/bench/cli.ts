// `npm run bench:cli`: how long `seg` takes to start, against `node -e 0` in the same run. The script builds
// first (`tsc -b`), so bin/seg.js runs the built dist/ as an installed package does; it checks that it
// does. Each round runs `seg --version`, `seg --help`, `seg findings --help`, `seg --version` from the
// TypeScript sources (SEG_CLI_FROM=source, a workspace with unbuilt changes) and `node -e 0` once, in
// that order, as separate processes under this Node (no shell in between); a warm-up round first. Prints
// the wall-clock medians as one JSON line: version_ms, help_ms, findings_help_ms, source_version_ms,
// node_ms, ratio_version_vs_node (target <= 3), ratio_source_version_vs_node. Option: --rounds N
// (default 15).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' } } });
const rounds = Number(values.rounds);
const seg = join(import.meta.dirname, '..', '..', 'apps', 'cli', 'bin', 'seg.js');
const fromSource = { SEG_CLI_FROM: 'source' };
const cases: Record<string, { args: readonly string[]; env?: Record<string, string> }> = {
  version_ms: { args: [seg, '--version'] },
  help_ms: { args: [seg, '--help'] },
  findings_help_ms: { args: [seg, 'findings', '--help'] },
  source_version_ms: { args: [seg, '--version'], env: fromSource },
  node_ms: { args: ['-e', '0'] },
};

function once({ args, env }: { args: readonly string[]; env?: Record<string, string> }): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env },
  });
  const ms = performance.now() - start;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited ${child.status}`);
  return ms;
}

// Which entry module each mode loads (Node's ESM loader names every module it loads under NODE_DEBUG).
function entryOf(env: Record<string, string> = {}): string {
  const child = spawnSync(process.execPath, [seg, '--version'], {
    encoding: 'utf8',
    env: { ...process.env, ...env, NODE_DEBUG: 'esm' },
  });
  return /apps\/cli\/(dist\/main\.js|src\/main\.ts)/.exec(child.stderr)?.[1] ?? 'unknown';
}
for (const [mode, env, want] of [
  ['built', {}, 'dist/main.js'],
  ['source', fromSource, 'src/main.ts'],
] as const) {
  const got = entryOf(env);
  if (got !== want) throw new Error(`seg ${mode}: expected to run ${want}, ran ${got} (is the build fresh?)`);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

for (const args of Object.values(cases)) once(args);
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < rounds; r++) for (const [k, args] of Object.entries(cases)) times[k]!.push(once(args));
const out: Record<string, number> = {};
for (const [k, xs] of Object.entries(times)) out[k] = Math.round(median(xs) * 10) / 10;
const ratio = (key: string) => Math.round((out[key]! / out['node_ms']!) * 100) / 100;
out['ratio_version_vs_node'] = ratio('version_ms');
out['ratio_source_version_vs_node'] = ratio('source_version_ms');
out['runs'] = rounds;
process.stdout.write(`${JSON.stringify(out)}\n`);
