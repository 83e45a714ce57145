// `npm run bench:service`: SEG as a service against the same scans one after another. The service side is
// the e2e fixture (`@neurocipher/seg-service-fixture`): a real nats-server -js, seg-api and 2 seg-worker
// processes; every tenant's run is queued at once through POST /runs, and GET /runs/{id} is polled for
// each run not completed yet, one call after another, every --poll-ms, each call timed. The baseline is
// the same tenants scanned by `seg scan --provider snapshot` (bin/seg.js, a process per scan, from the
// TypeScript sources as the workers run) one after another, into a home of its own, in the same run.
// Afterwards the service's lakehouse is read: a run is lost when it never reached `completed` or has no
// `runs` row, duplicated when it has more than one `runs` row or a finding id twice. Peak resident sets are
// the VmHWM of /proc/<pid>/status of the API and each worker, read while they run.
//
// Options (flag or variable): --tenants N / SEG_BENCH_TENANTS (default 10), --assets N / SEG_BENCH_ASSETS
// (demo assets per tenant, default 10000), --workers N / SEG_BENCH_WORKERS (default 2), --poll-ms N
// (default 200). stderr gets progress lines; the last line on stdout is one JSON object: tenants,
// assets_per_tenant, workers, all_done_s, sequential_cli_s, ratio_vs_cli, api_p50_ms, api_p95_ms,
// api_max_ms, api_calls, post_p95_ms, service_run_median_s, cli_scan_median_s, lost_runs, duplicate_runs,
// peak_rss_mb {api, worker-1, …}.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CAPTURED_AT } from '@neurocipher/seg-adapter-snapshot';
import { fromRow, openEmbeddedLakehouse } from '@neurocipher/seg-lakehouse';
import { startServiceFixture } from '@neurocipher/seg-service-fixture';
import type { ServiceFixture } from '@neurocipher/seg-service-fixture';

const { values } = parseArgs({
  options: {
    tenants: { type: 'string', default: process.env['SEG_BENCH_TENANTS'] ?? '10' },
    assets: { type: 'string', default: process.env['SEG_BENCH_ASSETS'] ?? '10000' },
    workers: { type: 'string', default: process.env['SEG_BENCH_WORKERS'] ?? '2' },
    'poll-ms': { type: 'string', default: '200' },
  },
});
const TENANTS = Number(values.tenants);
const ASSETS = Number(values.assets);
const WORKERS = Number(values.workers);
const POLL_MS = Number(values['poll-ms']);
const DEADLINE_MS = 60 * 60 * 1000;
const root = resolve(import.meta.dirname, '..', '..');
const seg = join(root, 'apps', 'cli', 'bin', 'seg.js');

const say = (line: string): void => void process.stderr.write(`bench:service: ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** This process's environment without its SEG_* settings (the scans read only their config file). */
const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SEG_')));

interface Queued {
  run_id: string;
  org_id: string;
  done_ms: number | null;
}

/** Queues every tenant's run at once, polls until all are completed; times the calls. */
async function serviceSide(service: ServiceFixture) {
  const peaks = () => {
    for (const p of [service.api, ...service.workers]) p.peakRssMb();
  };
  const started = performance.now();
  const posted = await Promise.all(
    service.tenants.map(async (org_id) => {
      const t = performance.now();
      const res = await service.call(org_id, 'POST', '/runs');
      if (res.status !== 202)
        throw new Error(`POST /runs for ${org_id}: ${res.status} ${JSON.stringify(res.body)}`);
      return { org_id, run_id: (res.body as { run_id: string }).run_id, ms: performance.now() - t };
    }),
  );
  const runs: Queued[] = posted.map((p) => ({ run_id: p.run_id, org_id: p.org_id, done_ms: null }));
  say(`queued ${runs.length} runs in ${round(performance.now() - started)} ms`);
  const latencies: number[] = [];
  const errors: number[] = [];
  let lastReport = performance.now();
  while (runs.some((r) => r.done_ms === null) && performance.now() - started < DEADLINE_MS) {
    for (const run of runs) {
      if (run.done_ms !== null) continue;
      const t = performance.now();
      const res = await service.call(run.org_id, 'GET', `/runs/${run.run_id}`);
      latencies.push(performance.now() - t);
      if (res.status !== 200) errors.push(res.status);
      else if ((res.body as { status: string }).status === 'completed')
        run.done_ms = performance.now() - started;
      else if ((res.body as { status: string }).status === 'failed')
        throw new Error(`run ${run.run_id} failed: ${JSON.stringify(res.body)}`);
    }
    peaks();
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      say(
        `${runs.filter((r) => r.done_ms !== null).length}/${runs.length} completed at ${round((lastReport - started) / 1000)} s, load ${loadavg()[0]!.toFixed(1)}`,
      );
    }
    await sleep(POLL_MS);
  }
  const all_done_s = (Math.max(...runs.map((r) => r.done_ms ?? Number.NaN)) || Number.NaN) / 1000;
  const durations = service.workers.flatMap((w) => {
    const startedAt = new Map(w.said('run started').map((l) => [l['job_id'], Date.parse(String(l['time']))]));
    return w
      .said('run completed')
      .map((l) => (Date.parse(String(l['time'])) - (startedAt.get(l['job_id']) ?? Number.NaN)) / 1000);
  });
  peaks();
  return { runs, all_done_s, latencies, errors, post_ms: posted.map((p) => p.ms), durations };
}

/** What the service committed: runs never completed or without a `runs` row, runs committed twice. */
async function audit(service: ServiceFixture, runs: readonly Queued[]) {
  const lake = openEmbeddedLakehouse({ root: service.home });
  try {
    const runRows = new Map<string, number>();
    for (const row of await lake.tables.table('runs').scan())
      runRows.set(String(row['run_id']), (runRows.get(String(row['run_id'])) ?? 0) + 1);
    const ids = new Map<string, string[]>();
    for (const row of await lake.tables.table('findings').scan()) {
      const { value, seg: meta } = fromRow<{ id: string }>(lake.tables.layout('findings'), row);
      const list = ids.get(String(meta.run_id)) ?? [];
      list.push(value.id);
      ids.set(String(meta.run_id), list);
    }
    const lost = runs.filter((r) => r.done_ms === null || !runRows.has(r.run_id));
    const duplicated = runs.filter((r) => {
      const found = ids.get(r.run_id) ?? [];
      return (runRows.get(r.run_id) ?? 0) > 1 || new Set(found).size !== found.length;
    });
    return {
      lost_runs: lost.length,
      duplicate_runs: duplicated.length,
      extra_runs: runRows.size - runs.length,
    };
  } finally {
    await lake.close();
  }
}

/** The same tenants, `seg scan` one after another, each its own process, into a home of its own. */
async function cliSide(work: string, tenants: readonly string[]) {
  const config = join(work, 'cli.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      home: join(work, 'cli-home'),
      bundles_dir: join(root, 'bundles'),
      trusted_keys: join(root, 'tools', 'bundle', 'trusted-keys.json'),
    }),
  );
  const scans: number[] = [];
  const started = performance.now();
  for (const org of tenants) {
    const t = performance.now();
    const args = [seg, '--config', config, '--tenant', org, 'scan', '--provider', 'snapshot'];
    args.push('--snapshot', join(work, `${org}.ndjson`), '--now', DEMO_CAPTURED_AT, '--no-progress');
    const code = await new Promise<number | null>((done) => {
      const child = spawn(process.execPath, args, {
        cwd: work,
        env: { ...cleanEnv(), SEG_CLI_FROM: 'source' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.once('exit', (c) => done(c));
    });
    if (code !== 0) throw new Error(`seg scan of ${org} exited ${code}`);
    scans.push((performance.now() - t) / 1000);
    say(`seg scan ${org}: ${round(scans.at(-1)!, 2)} s`);
  }
  return { sequential_cli_s: (performance.now() - started) / 1000, scans };
}

const work = mkdtempSync(join(tmpdir(), 'seg-bench-service-'));
try {
  const names = Array.from({ length: TENANTS }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
  say(`${TENANTS} tenants x ${ASSETS} assets, ${WORKERS} workers, ${cpus().length} cores; writing snapshots`);
  const service = await startServiceFixture({
    tenants: Object.fromEntries(names.map((n) => [n, ASSETS])),
    workers: WORKERS,
    // Production's delivery settings (the config defaults), not the e2e test's quick ones.
    jobs: { ack_wait_ms: 30_000, heartbeat_ms: 10_000, max_deliver: 5 },
    work,
    keep: true,
    // The workers run the TypeScript sources, as the `seg scan` processes below do.
    env: { SEG_CLI_FROM: 'source' },
  });
  let side: Awaited<ReturnType<typeof serviceSide>>;
  let audited: Awaited<ReturnType<typeof audit>>;
  const peak: Record<string, number | null> = {};
  try {
    say(`service up (api pid ${service.api.pid}, workers ${service.workers.map((w) => w.pid).join(', ')})`);
    side = await serviceSide(service);
    for (const p of [service.api, ...service.workers]) peak[p.name] = p.peakRssMb();
    say(`service: all ${side.runs.length} runs completed in ${round(side.all_done_s, 2)} s`);
    audited = await audit(service, side.runs);
  } finally {
    await service.stop();
  }
  const cli = await cliSide(work, names);
  say(`cli: ${TENANTS} scans one after another in ${round(cli.sequential_cli_s, 2)} s`);
  const failedCalls = side.errors.length;
  if (failedCalls > 0)
    say(`${failedCalls} GET /runs/{id} answered other than 200: ${[...new Set(side.errors)].join(', ')}`);
  if (audited.extra_runs !== 0) say(`${audited.extra_runs} runs committed that were never queued`);
  const out = {
    tenants: TENANTS,
    assets_per_tenant: ASSETS,
    workers: WORKERS,
    all_done_s: round(side.all_done_s, 2),
    sequential_cli_s: round(cli.sequential_cli_s, 2),
    ratio_vs_cli: round(cli.sequential_cli_s / side.all_done_s, 3),
    api_p50_ms: round(quantile(side.latencies, 0.5)),
    api_p95_ms: round(quantile(side.latencies, 0.95)),
    api_max_ms: round(Math.max(...side.latencies)),
    api_calls: side.latencies.length,
    post_p95_ms: round(quantile(side.post_ms, 0.95)),
    service_run_median_s: round(median(side.durations), 2),
    cli_scan_median_s: round(median(cli.scans), 2),
    lost_runs: audited.lost_runs,
    duplicate_runs: audited.duplicate_runs,
    peak_rss_mb: peak,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
