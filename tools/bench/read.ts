// `npm run bench:read`: what reading the latest run costs with one run or ten in the history. The demo
// tenant (default 15,000 assets, streamed to a file by tools/demo/generate.ts in a child process) is
// scanned into two fresh embedded lakehouses: once into one, ten times into the other (each scan a child
// `seg scan`). Then `seg findings --format json` and `seg report --html` for the latest run run as child
// processes, alternating between the two lakehouses, --reps times each (default 5). Each child reports
// its own peak RSS (`maxRSS`); the parent times it from spawn to exit. stderr gets one line per step; the
// last line on stdout is one JSON object: the findings per run, and per command the medians (wall_s,
// peak_rss_mb) with one and with ten runs and the ratios ten / one.
//   node --conditions=@neurocipher/source tools/bench/read.ts [--assets N] [--reps N]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CAPTURED_AT } from '@neurocipher/seg-adapter-snapshot';

const root = resolve(import.meta.dirname, '..', '..');
const node = process.execPath;
const nodeFlags = ['--conditions=@neurocipher/source', '--disable-warning=ExperimentalWarning'];

// The environment that points `seg` at the lakehouse in `home`.
const envOf = (home: string): NodeJS.ProcessEnv => ({
  ...process.env,
  SEG_HOME: home,
  SEG_CATALOG: `sqlite:${join(home, 'catalog.db')}`,
  SEG_WAREHOUSE: `file:${join(home, 'warehouse')}`,
  SEG_BLOBS: `file:${join(home, 'blobs')}`,
  SEG_SIGNING_KEY: join(home, 'keys/attest-ed25519.pem'),
  SEG_MASTER_KEY: join(home, 'keys/master.key'),
});

/** What one measured child reported. */
interface Sample {
  wall_s: number;
  peak_rss_mb: number;
  stdout_bytes: number;
}

// Child mode: run `seg <argv>` in this process with stdout counted, not kept, then report maxRSS.
async function child(home: string, argv: string[]): Promise<void> {
  await import('reflect-metadata');
  const { runCli } = await import('@neurocipher/seg-cli');
  let bytes = 0;
  let err = '';
  const code = await runCli(argv, {
    stdout: { write: (t: string) => void (bytes += Buffer.byteLength(t)) },
    stderr: { write: (t: string) => void (err += t) },
    env: envOf(home),
    cwd: root,
  });
  if (code !== 0) {
    process.stderr.write(err);
    process.exit(code);
  }
  const peak = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ peak_rss_mb: Math.round(peak), stdout_bytes: bytes }) + '\n');
}

function measure(home: string, argv: string[]): Sample {
  const started = performance.now();
  const r = spawnSync(node, [...nodeFlags, import.meta.filename, '--child', home, '--', ...argv], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const wall = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`seg ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as Omit<Sample, 'wall_s'>;
  return { wall_s: Number(wall.toFixed(2)), ...out };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    assets: { type: 'string', default: '15000' },
    reps: { type: 'string', default: '5' },
    child: { type: 'string' },
  },
});
if (values.child !== undefined) {
  await child(values.child, positionals);
} else {
  const assets = Number(values.assets);
  const reps = Number(values.reps);
  const work = mkdtempSync(join(tmpdir(), 'seg-bench-read-'));
  try {
    const tenant = join(work, 'tenant.ndjson');
    execFileSync(
      node,
      [...nodeFlags, join(root, 'tools/demo/generate.ts'), '--assets', String(assets), '--out', tenant],
      { stdio: ['ignore', process.stderr, process.stderr] },
    );
    const homes = { one: join(work, 'one'), ten: join(work, 'ten') };
    const scan = (home: string) =>
      execFileSync(
        node,
        [
          ...nodeFlags,
          join(root, 'apps/cli/src/main.ts'),
          'scan',
          '--provider',
          'snapshot',
          '--snapshot',
          tenant,
          '--now',
          DEMO_CAPTURED_AT,
          '--no-progress',
        ],
        { env: envOf(home), cwd: root, stdio: ['ignore', 'pipe', process.stderr], encoding: 'utf8' },
      );
    let findings = 0;
    for (const [name, runs] of [
      ['one', 1],
      ['ten', 10],
    ] as const) {
      for (let i = 1; i <= runs; i++) {
        const started = performance.now();
        findings = Number(/^findings: (\d+)/m.exec(scan(homes[name]))?.[1] ?? 0);
        const s = ((performance.now() - started) / 1000).toFixed(1);
        process.stderr.write(`scan ${i}/${runs} into the ${name}-run lakehouse: ${s} s\n`);
      }
    }
    const commands = {
      findings_json: ['findings', '--format', 'json'],
      report_html: ['report', '--html', '--out', join(work, 'report.html')],
    };
    const result: Record<string, unknown> = { assets, findings_per_run: findings, reps };
    for (const [label, argv] of Object.entries(commands)) {
      const samples: Record<'one' | 'ten', Sample[]> = { one: [], ten: [] };
      // Alternating, so both histories see the same machine load.
      for (let i = 0; i < reps; i++) {
        for (const name of ['one', 'ten'] as const) {
          const s = measure(homes[name], argv);
          samples[name].push(s);
          process.stderr.write(
            `${label} with ${name} run(s): ${s.wall_s} s, ${s.peak_rss_mb} MB, ${s.stdout_bytes} bytes out\n`,
          );
        }
      }
      const summary = (xs: Sample[]) => ({
        wall_s: median(xs.map((x) => x.wall_s)),
        peak_rss_mb: median(xs.map((x) => x.peak_rss_mb)),
        stdout_bytes: xs[0]?.stdout_bytes ?? 0,
      });
      const one = summary(samples.one);
      const ten = summary(samples.ten);
      result[label] = {
        one,
        ten,
        rss_ratio: Number((ten.peak_rss_mb / one.peak_rss_mb).toFixed(3)),
        wall_ratio: Number((ten.wall_s / one.wall_s).toFixed(3)),
      };
    }
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
