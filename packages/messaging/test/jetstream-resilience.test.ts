// JetStream queue and bus when things go wrong, on a real nats-server -js: a worker process killed with
// SIGKILL mid-job, a server restart under the queue and under a subscription, and a retried publish.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { isSegError, makeEvent } from '@neurocipher/seg-contracts';
import type { SegEvent } from '@neurocipher/seg-contracts';
import type { NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventBus } from '../src/nats/jetstream-event-bus.ts';
import { JetStreamJobQueue } from '../src/nats/jetstream-job-queue.ts';
import { connectNats } from '../src/nats/nats-connection.ts';
import { readEventStream } from '../src/testing/event-stream.ts';
import { startNatsServer } from '../src/testing/nats-server.ts';
import type { NatsServer } from '../src/testing/nats-server.ts';

const ACK_WAIT_MS = 1_500;
let server: NatsServer;
let connection: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  connection = await connectNats({ servers: server.url });
});
afterAll(async () => {
  await connection?.close();
  await server?.stop();
});

/** Retries a call that may fail while the server restarts (only with a retryable error), up to 20 s. */
async function eventually<T>(call: () => Promise<T>): Promise<{ value: T; failures: number }> {
  const deadline = Date.now() + 20_000;
  for (let failures = 0; ; failures++) {
    try {
      return { value: await call(), failures };
    } catch (error) {
      if (!isSegError(error) || error.error_code !== 'SEG_ADAPTER_UNAVAILABLE' || !error.retryable)
        throw error;
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function runStarted(org_id: string, run_id: string): SegEvent {
  return makeEvent({
    type: 'seg.run.started',
    id: randomUUID(),
    org_id,
    subject: run_id,
    occurred_at: new Date().toISOString(),
    data: { run_id, scope: { org_id, tags: {} }, control_ids: ['c1'] },
  });
}

describe('the JetStream job queue', () => {
  it('delivers the job of a worker killed with SIGKILL mid-job to another worker', async () => {
    const names = ['KILL_JOBS', 'kill.jobs', 'KILL_DEAD', 'kill.dead'] as const;
    const queue = await JetStreamJobQueue.open(connection, {
      stream: names[0],
      subject_prefix: names[1],
      dead_stream: names[2],
      dead_subject_prefix: names[3],
      ack_wait_ms: ACK_WAIT_MS,
      max_deliver: 3,
    });
    await queue.enqueue({ id: 'run-1', type: 'run', payload: { tenant: 'acme' } });
    const worker = spawn(
      process.execPath,
      [
        '--conditions=@neurocipher/source',
        join(import.meta.dirname, 'fixtures', 'reserve-and-hang.ts'),
        server.url,
        ...names,
        String(ACK_WAIT_MS),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      worker.once('exit', (_c, signal) => resolve(signal)),
    );
    const said = await new Promise<string>((resolve) => {
      let out = '';
      worker.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
    });
    expect(said).toBe('reserved run-1 1');
    // While the worker heartbeats, nobody else gets the job, though the ack wait passes.
    expect(await queue.reserve({ wait_ms: ACK_WAIT_MS * 2 })).toBeNull();
    worker.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const again = await queue.reserve({ wait_ms: ACK_WAIT_MS * 3 });
    expect(again).toEqual({ id: 'run-1', type: 'run', payload: { tenant: 'acme' }, attempts: 2 });
    await queue.complete('run-1');
    expect(await queue.reserve({ wait_ms: ACK_WAIT_MS * 2 })).toBeNull();
    await queue.close();
  });

  it('keeps queued jobs across a server restart; calls meanwhile fail retryable, then succeed', async () => {
    const queue = await JetStreamJobQueue.open(connection, {
      stream: 'RESTART_JOBS',
      subject_prefix: 'restart.jobs',
      dead_stream: 'RESTART_DEAD',
      dead_subject_prefix: 'restart.dead',
      ack_wait_ms: ACK_WAIT_MS,
    });
    await queue.enqueue({ id: 'before', type: 'run', payload: 1 });
    await server.restart();
    const { value } = await eventually(() => queue.enqueue({ id: 'after', type: 'run', payload: 2 }));
    expect(value).toEqual({ duplicate: false });
    // A retried enqueue of a job already stored is a duplicate, not a second job.
    expect((await eventually(() => queue.enqueue({ id: 'before', type: 'run', payload: 1 }))).value).toEqual({
      duplicate: true,
    });
    const first = (await eventually(() => queue.reserve({ wait_ms: 2_000 }))).value;
    const second = (await eventually(() => queue.reserve({ wait_ms: 2_000 }))).value;
    expect([first?.id, second?.id]).toEqual(['before', 'after']);
    await queue.complete('before');
    await queue.complete('after');
    await queue.close();
  });
});

describe('the JetStream event bus', () => {
  it('stores and delivers a retried publish once, and a subscription goes on across a server restart', async () => {
    const bus = await JetStreamEventBus.open(connection);
    const seen: string[] = [];
    const subscription = await bus.subscribe(['seg.run.started', 'seg.run.completed'], (event) => {
      seen.push(event.key);
    });
    const runA = randomUUID();
    const event = runStarted('acme', runA);
    expect(await bus.publish(event)).toEqual({ duplicate: false });
    // The same logical event again (a retry, with a new emission id): same key, not stored again.
    expect(await bus.publish({ ...event, id: randomUUID() })).toEqual({ duplicate: true });

    await server.restart();
    const runB = randomUUID();
    expect((await eventually(() => bus.publish(runStarted('acme', runB)))).value).toEqual({
      duplicate: false,
    });

    const deadline = Date.now() + 15_000;
    while (seen.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual([`seg.run.started/${runA}`, `seg.run.started/${runB}`]);
    await subscription.close();

    // A durable JetStream consumer reading the whole stream finds each key once.
    const keys = (await readEventStream(connection, 10)).map((e) => e.key);
    expect(keys).toEqual([`seg.run.started/${runA}`, `seg.run.started/${runB}`]);
  });

  it('refuses an event that does not validate and an unknown event type', async () => {
    const bus = await JetStreamEventBus.open(connection);
    await expect(bus.publish({ type: 'seg.run.started' } as never)).rejects.toMatchObject({
      error_code: 'SEG_SCHEMA_VIOLATION',
    });
    await expect(bus.subscribe(['seg.nope' as never], () => undefined)).rejects.toMatchObject({
      error_code: 'SEG_SCHEMA_VIOLATION',
    });
  });
});
