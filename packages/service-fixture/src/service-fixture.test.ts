// The fixture itself, small: one tenant of 40 assets, the API and one worker on a real nats-server. A run
// queued through POST /runs is completed and its findings can be paged; a token of another tenant does
// not see it; the caller's SEG_* settings do not reach the processes; stop() ends every process and
// removes the working folder.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServiceFixture } from './service-fixture.ts';
import type { ServiceFixture } from './service-fixture.ts';

let service: ServiceFixture;
// A setting of the caller's shell that would send the processes' lakehouse elsewhere.
const elsewhere = join(tmpdir(), `seg-fixture-elsewhere-${process.pid}`);

beforeAll(async () => {
  process.env['SEG_HOME'] = elsewhere;
  try {
    service = await startServiceFixture({ tenants: { acme: 40 }, workers: 1 });
  } finally {
    delete process.env['SEG_HOME'];
  }
}, 120_000);

afterAll(async () => {
  await service?.stop();
});

describe('startServiceFixture', () => {
  it('serves POST /runs through NATS to a worker, and GET /runs/{id} sees the run completed', async () => {
    const queued = await service.call('acme', 'POST', '/runs');
    expect(queued.status).toBe(202);
    const { run_id } = queued.body as { run_id: string };
    expect(queued.headers.get('location')).toBe(`/runs/${run_id}`);
    await service.workers[0]!.waitFor('run completed', { run_id });
    const shown = await service.call('acme', 'GET', `/runs/${run_id}`);
    expect(shown).toMatchObject({ status: 200, body: { run_id, status: 'completed' } });
    const page = await service.call('acme', 'GET', `/runs/${run_id}/findings?limit=5`);
    expect((page.body as { findings: unknown[] }).findings).toHaveLength(5);
    expect((await service.call('other', 'GET', `/runs/${run_id}`)).status).toBe(404);
    expect(service.api.peakRssMb()).toBeGreaterThan(10);
    // The run is in the fixture's home: the caller's SEG_HOME did not reach the processes.
    expect(existsSync(join(service.home, 'catalog.db'))).toBe(true);
    expect(existsSync(elsewhere)).toBe(false);
  });

  it('gives the settings a reference run reads: the same tenants and bundle, another home and queue', () => {
    const reference = service.settings({ home: 'reference', queue: 'memory' });
    expect(reference).toMatchObject({
      home: `${service.work}/reference`,
      queue: 'memory',
      tenants: { acme: { inventory: { kind: 'snapshot', path: 'acme.ndjson' } } },
    });
    expect(service.settings().queue).toBe(service.nats.url);
  });

  it('stops every process and removes its folder', async () => {
    await service.stop();
    expect(service.api.running).toBe(false);
    expect(service.workers.every((w) => !w.running)).toBe(true);
    expect(existsSync(service.work)).toBe(false);
  });
});
