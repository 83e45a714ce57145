// The engine announces a run on the configured bus: in-process by default, and on NATS JetStream with
// `queue: nats://…` (a real nats-server), where a durable consumer of the events stream reads each event
// once, also when the same run is committed again.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import type { SegEvent } from '@neurocipher/seg-contracts';
import type { NatsServer } from '@neurocipher/seg-messaging/testing';
import { EventBusId } from '@neurocipher/seg-ports';
import { parseSegConfig } from '../src/config/seg-config.ts';
import { createEngine } from '../src/engine/create-engine.ts';

const repo = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'seg-engine-events-'));
const snapshot = join(work, 'acme.ndjson');
let nats: NatsServer;

// The runtime loads the messaging package lazily (only for a nats:// queue), and so does this test.
const messaging = () => import('@neurocipher/seg-messaging');

beforeAll(async () => {
  const { startNatsServer } = await import('@neurocipher/seg-messaging/testing');
  nats = await startNatsServer();
  await writeSnapshotFile(snapshot, generateDemoTenant({ assets: 30 }));
}, 60_000);
afterAll(async () => {
  await nats?.stop();
  rmSync(work, { recursive: true, force: true });
});

const configFor = (home: string, queue: string) =>
  parseSegConfig(
    {
      tenant: 'acme',
      home: join(work, home),
      bundles_dir: join(repo, 'bundles'),
      trusted_keys: join(repo, 'tools', 'bundle', 'trusted-keys.json'),
      queue,
    },
    { cwd: work },
  );

const RUN_EVENTS = [
  'seg.run.started',
  'seg.findings.committed',
  'seg.attestation.published',
  'seg.run.completed',
];

describe('the engine announces each run', () => {
  it('on the in-process bus by default', async () => {
    const engine = await createEngine(configFor('memory', 'memory'), {
      provider: { kind: 'snapshot', path: snapshot },
    });
    try {
      const heard: SegEvent[] = [];
      await (
        await engine.get(EventBusId)
      ).subscribe(
        ['seg.run.started', 'seg.run.completed', 'seg.findings.committed', 'seg.attestation.published'],
        (event) => void heard.push(event),
      );
      const outcome = await engine.scan();
      const runId = outcome.run.run_id;
      expect(heard.map((e) => e.type)).toEqual(RUN_EVENTS);
      expect(heard.every((e) => e.org_id === 'acme')).toBe(true);
      expect(heard.map((e) => e.subject)).toEqual([runId, runId, outcome.attestation!.attestation.id, runId]);
    } finally {
      await engine.close();
    }
  }, 120_000);

  it('on NATS JetStream with queue: nats://…, each event once in the stream', async () => {
    const engine = await createEngine(configFor('nats', nats.url), {
      provider: { kind: 'snapshot', path: snapshot },
    });
    let runId: string;
    try {
      const request = await engine.scanRequest({ now: '2026-12-03T00:00:00Z' });
      const service = await engine.runService();
      const first = await service.run({ ...request, run_id: '6c1d7b1e-2f0a-4e59-8b77-3f8a0d9c1e21' });
      runId = first.run.run_id;
      // The same run again (a redelivered job): a replayed commit whose events the stream already has.
      const again = await service.run({ ...request, run_id: runId });
      expect(again.commit?.replayed).toBe(true);
    } finally {
      await engine.close();
    }
    const connection = await (await messaging()).connectNats({ servers: nats.url });
    try {
      const { readEventStream } = await import('@neurocipher/seg-messaging/testing');
      const seen = await readEventStream(connection, 50);
      const runEvents = seen.filter((e) => e.type !== 'seg.attestation.published');
      expect(runEvents.map((e) => [e.type, e.subject])).toEqual([
        ['seg.run.started', runId],
        ['seg.findings.committed', runId],
        ['seg.run.completed', runId],
      ]);
      const keys = seen.map((e) => e.key);
      expect(new Set(keys).size).toBe(keys.length);
    } finally {
      await connection.close();
    }
  }, 120_000);
});
