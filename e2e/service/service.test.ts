// SEG as a service, as an operator runs it: a real nats-server -js, the seg-api process and two seg-worker
// processes on one settings file, three snapshot tenants. Twenty runs are queued through POST /runs; one
// worker is killed with SIGKILL in the middle of a run (a replacement is started) and the NATS server is
// restarted once while runs are in flight. Every run reaches `completed` through GET /runs/{id}, is
// committed exactly once (one `runs` row, no finding row twice), and its committed findings are those a
// single-process run of the same tenant, run id and `now` gives in a lakehouse of its own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Finding } from '@neurocipher/seg-contracts';
import { fromRow, openEmbeddedLakehouse } from '@neurocipher/seg-lakehouse';
import { createEngine, parseSegConfig, runJob, tenantEngineConfig } from '@neurocipher/seg-runtime';
import type { Engine } from '@neurocipher/seg-runtime';
import { startServiceFixture } from '@neurocipher/seg-service-fixture';
import type { ServiceFixture, ServiceLogLine, ServiceProcess } from '@neurocipher/seg-service-fixture';

const TENANTS = { acme: 300, beta: 250, gamma: 200 } as const;
const RUNS = 20;

interface Submitted {
  run_id: string;
  org_id: string;
  /** When the POST went out and when its answer came: the API's `now` lies between. */
  sent: number;
  answered: number;
}

let service: ServiceFixture;

beforeAll(async () => {
  service = await startServiceFixture({ tenants: TENANTS, workers: 2 });
}, 120_000);

afterAll(async () => {
  await service?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
const allLines = (msg: string): Array<ServiceLogLine & { worker: string }> =>
  service.workers.flatMap((w) => w.said(msg).map((line) => ({ ...line, worker: w.name })));

const RUN_LINES = new Set(['run started', 'run completed', 'run failed']);

/** Resolves with the first running worker (of `among`) whose last run line is `run started`: mid-run. */
async function midRun(among: readonly ServiceProcess[]): Promise<{ worker: ServiceProcess; run_id: string }> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    for (const worker of among) {
      const last = worker.lines.findLast((l) => RUN_LINES.has(l.msg));
      if (last?.msg === 'run started' && worker.running) return { worker, run_id: String(last['run_id']) };
    }
    await sleep(20);
  }
  throw new Error('no worker started a run within 120 s');
}

/** Runs `scenario`; when it fails, every process's log goes to stderr with the error. */
async function withLogsOnFailure(scenario: () => Promise<void>): Promise<void> {
  try {
    await scenario();
  } catch (error) {
    for (const p of [service.api, ...service.workers])
      process.stderr.write(
        `--- ${p.name} (${p.exit ? JSON.stringify(p.exit) : 'running'})\n${p.lines.map((l) => JSON.stringify(l)).join('\n')}\n${p.stderr}\n`,
      );
    throw error;
  }
}

describe('the API and workers on NATS JetStream', () => {
  it('completes 20 runs of 3 tenants exactly once through a worker killed mid-run and a NATS restart', () =>
    withLogsOnFailure(async () => {
      const orgs = Object.keys(TENANTS);
      const submitted: Submitted[] = [];
      for (let i = 0; i < RUNS; i++) {
        const org_id = orgs[i % orgs.length]!;
        const sent = Date.now();
        const res = await service.call(org_id, 'POST', '/runs');
        expect(res.status).toBe(202);
        const { run_id } = res.body as { run_id: string };
        expect(res.headers.get('location')).toBe(`/runs/${run_id}`);
        submitted.push({ run_id, org_id, sent, answered: Date.now() });
      }

      // Watch every run through the API from now on: each status seen, until it is completed.
      const seen = new Map<string, string[]>(submitted.map((s) => [s.run_id, []]));
      const unavailable: number[] = [];
      let watching = true;
      const watch = (async () => {
        while (watching) {
          for (const s of submitted) {
            const statuses = seen.get(s.run_id)!;
            if (statuses.at(-1) === 'completed') continue;
            const res = await service.call(s.org_id, 'GET', `/runs/${s.run_id}`).catch(() => null);
            if (res?.status === 200) statuses.push((res.body as { status: string }).status);
            else unavailable.push(res?.status ?? 0); // 503 while NATS is away (the run not committed yet)
          }
          await sleep(200);
        }
      })();
      const completed = () => submitted.filter((s) => seen.get(s.run_id)!.at(-1) === 'completed').length;
      let completedBeforeRestart = 0;
      let restartedAt = 0;
      let victim: { worker: ServiceProcess; run_id: string };
      try {
        // A worker killed with SIGKILL in the middle of a run, and a replacement.
        const [first, second] = service.workers as [ServiceProcess, ServiceProcess];
        victim = await midRun([first, second]);
        victim.worker.kill('SIGKILL');
        expect((await victim.worker.exited).signal).toBe('SIGKILL');
        await service.startWorker();

        // NATS restarted while a live worker is in the middle of a run, some runs done and others waiting.
        const live = service.workers.filter((w) => w.running);
        await until('4 runs to complete', () => allLines('run completed').length >= 4);
        await midRun(live);
        completedBeforeRestart = completed();
        expect(completedBeforeRestart).toBeLessThan(RUNS);
        await service.nats.restart();
        restartedAt = Date.now();

        await until('every run to be completed through GET /runs/{id}', () => completed() === RUNS, 180_000);
      } finally {
        watching = false;
        await watch;
      }
      expect(
        submitted.filter((s) => seen.get(s.run_id)!.at(-1) !== 'completed').map((s) => s.run_id),
      ).toEqual([]);
      // Every status ever answered was one of queued, running, completed, and never failed.
      for (const statuses of seen.values())
        for (const status of statuses) expect(['queued', 'running', 'completed']).toContain(status);

      // The victim's run went to another worker, and no worker dead-lettered or gave up a run for good.
      const retried = allLines('run started').filter((l) => l['run_id'] === victim.run_id);
      expect(retried.length).toBeGreaterThanOrEqual(2);
      expect(victim.worker.said('run completed', { run_id: victim.run_id })).toEqual([]);
      expect(allLines('run failed').filter((l) => l['retryable'] !== true)).toEqual([]);
      // At most one completion per run wrote rows (a redelivered run replays its commit).
      for (const s of submitted) {
        const writes = allLines('run completed').filter((l) => l['run_id'] === s.run_id && !l['replayed']);
        expect(writes.length).toBeLessThanOrEqual(1);
      }
      // Some runs were completed after the restart (they were in flight or queued across it).
      expect(allLines('run completed').some((l) => Date.parse(String(l['time'])) > restartedAt)).toBe(true);

      // What was committed: one runs row per queued run and nothing else, no finding row twice.
      const lake = openEmbeddedLakehouse({ root: service.home });
      const committed = new Map<string, Finding[]>();
      try {
        const runRows = (await lake.tables.table('runs').scan()).map((r) => String(r['run_id']));
        expect(runRows.sort()).toEqual(submitted.map((s) => s.run_id).sort());
        for (const row of await lake.tables.table('findings').scan()) {
          const { value, seg } = fromRow<Finding>(lake.tables.layout('findings'), row);
          const list = committed.get(String(seg.run_id)) ?? [];
          list.push(value);
          committed.set(String(seg.run_id), list);
        }
        // Every run attested once, and nothing else: a run redelivered after its attestation was recorded
        // (its worker lost NATS while publishing seg.attestation.published, or died after recording) keeps
        // the attestation it has.
        const attested = (await lake.tables.table('attestations').scan()).map(
          (row) => fromRow<{ run_id: string }>(lake.tables.layout('attestations'), row).value.run_id,
        );
        expect(attested.sort()).toEqual(submitted.map((s) => s.run_id).sort());
      } finally {
        await lake.close();
      }
      for (const s of submitted) {
        const ids = (committed.get(s.run_id) ?? []).map((f) => f.id);
        expect(ids.length).toBeGreaterThan(0);
        expect(new Set(ids).size).toBe(ids.length);
      }

      // The same runs (run id, tenant, the `now` the API fixed) in this process, into a home of their own.
      const reference = parseSegConfig(service.settings({ home: 'reference', queue: 'memory' }), {
        cwd: service.work,
      });
      const engines = new Map<string, Engine>();
      try {
        for (const s of submitted) {
          const findings = committed.get(s.run_id)!;
          const now = findings[0]!.created_at;
          expect(new Set(findings.map((f) => f.created_at))).toEqual(new Set([now]));
          expect(Date.parse(now)).toBeGreaterThanOrEqual(s.sent);
          expect(Date.parse(now)).toBeLessThanOrEqual(s.answered);
          let engine = engines.get(s.org_id);
          if (!engine) {
            const tenant = tenantEngineConfig(reference, s.org_id, service.work);
            engine = await createEngine(tenant.config, { provider: tenant.provider });
            engines.set(s.org_id, engine);
          }
          const outcome = await runJob(engine, { run_id: s.run_id, org_id: s.org_id, now });
          const byId = (a: Finding, b: Finding) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
          expect([...findings].sort(byId)).toEqual([...outcome.findings].sort(byId));
        }
      } finally {
        for (const engine of engines.values()) await engine.close();
      }
      process.stderr.write(
        `e2e-service: ${RUNS} runs; ${victim.worker.name} killed during run ${victim.run_id}; NATS restarted with ${RUNS - completedBeforeRestart} runs not completed; ${allLines('run failed').length} attempts failed retryable and ran again; ${unavailable.length} GET /runs/{id} answered other than 200 (${[...new Set(unavailable)].join(', ')})\n`,
      );
    }));
});
