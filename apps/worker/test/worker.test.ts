// Two real seg-worker processes on a real nats-server -js share run jobs of two tenants. One is killed with
// SIGKILL mid-run: its job is delivered again and the other worker completes it, and every run's committed
// findings are exactly those of a single-process scan of the same tenant (same finding ids, no duplicate
// row). SIGTERM then stops the other worker cleanly.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import { fromRow, openEmbeddedLakehouse } from '@neurocipher/seg-lakehouse';
import { JetStreamJobQueue, connectNats } from '@neurocipher/seg-messaging';
import { startNatsServer } from '@neurocipher/seg-messaging/testing';
import type { NatsServer } from '@neurocipher/seg-messaging/testing';
import {
  RUN_JOB_TYPE,
  createEngine,
  parseSegConfig,
  runJob,
  tenantEngineConfig,
} from '@neurocipher/seg-runtime';
import type { RunJob } from '@neurocipher/seg-runtime';

const repo = join(import.meta.dirname, '..', '..', '..');
const bin = join(import.meta.dirname, '..', 'bin', 'seg-worker.js');
const work = mkdtempSync(join(tmpdir(), 'seg-worker-'));
const NOW = '2026-12-03T00:00:00Z';
const TENANTS = { acme: 1_500, beta: 400 } as const;

type Worker = ChildProcessByStdio<null, Readable, Readable> & { lines: Array<Record<string, unknown>> };
let nats: NatsServer;
const workers: Worker[] = [];

const settings = (home: string, queue: string) => ({
  home: join(work, home),
  bundles_dir: join(repo, 'bundles'),
  trusted_keys: join(repo, 'tools', 'bundle', 'trusted-keys.json'),
  queue,
  jobs: { ack_wait_ms: 3_000, heartbeat_ms: 500, max_deliver: 5 },
  tenants: Object.fromEntries(
    Object.keys(TENANTS).map((org) => [org, { inventory: { kind: 'snapshot', path: `${org}.ndjson` } }]),
  ),
});

function startWorker(): Worker {
  const child = spawn(process.execPath, [bin], {
    cwd: work,
    env: { ...process.env, SEG_CONFIG: join(work, 'seg.config.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as Worker;
  child.lines = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts)
      if (line.trim() !== '') child.lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) process.stderr.write(`seg-worker exited ${code}: ${err.slice(-2000)}\n`);
  });
  workers.push(child);
  return child;
}

async function until(what: string, check: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const said = (w: Worker, msg: string) => w.lines.filter((l) => l['msg'] === msg);

beforeAll(async () => {
  nats = await startNatsServer();
  for (const [org, assets] of Object.entries(TENANTS))
    await writeSnapshotFile(join(work, `${org}.ndjson`), generateDemoTenant({ assets, seed: org }));
  writeFileSync(join(work, 'seg.config.json'), JSON.stringify(settings('home', nats.url)));
}, 60_000);

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await nats?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('seg-worker on NATS JetStream', () => {
  it('completes every run exactly once when a worker is killed mid-run, and stops on SIGTERM', async () => {
    const connection = await connectNats({ servers: nats.url });
    const queue = await JetStreamJobQueue.open(connection, { ack_wait_ms: 3_000, max_deliver: 5 });
    const jobs: RunJob[] = [];
    for (const org of Object.keys(TENANTS))
      for (let i = 0; i < 2; i++) jobs.push({ run_id: randomUUID(), org_id: org, now: NOW });
    for (const job of jobs) await queue.enqueue({ id: job.run_id, type: RUN_JOB_TYPE, payload: job });

    const a = startWorker();
    await until('worker a to start a run', () => said(a, 'run started').length > 0);
    const victim = String(said(a, 'run started')[0]?.['job_id']);
    a.kill('SIGKILL');
    const b = startWorker();

    const completed = () =>
      new Set([...said(a, 'run completed'), ...said(b, 'run completed')].map((l) => String(l['job_id'])));
    await until('every run to complete', () => completed().size === jobs.length, 180_000);
    // The killed worker's run was delivered again and finished by the other.
    expect(said(a, 'run completed').map((l) => l['job_id'])).not.toContain(victim);
    expect(said(b, 'run started').find((l) => l['job_id'] === victim)?.['attempt']).toBe(2);
    expect(said(b, 'run failed')).toEqual([]);

    b.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => b.once('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(said(b, 'stopped')).toHaveLength(1);
    await queue.close();
    await connection.drain();

    // What the workers committed, against the same runs done in one process into another lakehouse.
    const lake = openEmbeddedLakehouse({ root: join(work, 'home') });
    const reference = parseSegConfig(settings('reference', 'memory'), { cwd: work });
    try {
      const rows = (await lake.tables.table('findings').scan()).map((r) => {
        const { value, seg } = fromRow<{ id: string }>(lake.tables.layout('findings'), r);
        return { id: value.id, run_id: String(seg.run_id) };
      });
      expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
      const runs = await lake.tables.table('runs').scan();
      expect(runs).toHaveLength(jobs.length);
      for (const job of jobs) {
        const tenant = tenantEngineConfig(reference, job.org_id, work);
        const engine = await createEngine(tenant.config, { provider: tenant.provider });
        try {
          const outcome = await runJob(engine, job);
          const committed = rows.filter((r) => r.run_id === job.run_id).map((r) => r.id);
          expect(committed.sort()).toEqual(outcome.findings.map((f) => f.id).sort());
        } finally {
          await engine.close();
        }
      }
    } finally {
      await lake.close();
    }
  });
});
