// `npm run bench:cli`: how long `seg` takes to start, against `node -e 0` in the same run. Each round runs
// `seg --version`, `seg --help`, `seg findings --help` and `node -e 0` once, in that order, as separate
// processes under this Node (no shell in between); a warm-up round first. Prints the wall-clock medians
// as one JSON line: version_ms, help_ms, findings_help_ms, node_ms, ratio_version_vs_node (target <= 3).
// Option: --rounds N (default 15).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' } } });
const rounds = Number(values.rounds);
const seg = join(import.meta.dirname, '..', '..', 'apps', 'cli', 'bin', 'seg.js');
const cases = {
  version_ms: [seg, '--version'],
  help_ms: [seg, '--help'],
  findings_help_ms: [seg, 'findings', '--help'],
  node_ms: ['-e', '0'],
} as const;

function once(args: readonly string[]): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const ms = performance.now() - start;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited ${child.status}`);
  return ms;
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
out['ratio_version_vs_node'] = Math.round((out['version_ms']! / out['node_ms']!) * 100) / 100;
out['runs'] = rounds;
process.stdout.write(`${JSON.stringify(out)}\n`);
