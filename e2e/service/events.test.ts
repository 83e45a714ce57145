// The service's whole loop on real parts, and the six §10.2 events it announces: the API and a worker
// (in this process) on a real nats-server -js, a tenant whose inventory is an AWS account on moto. A run
// through POST /runs, a plan of one of its failing findings, a dry run, an apply (twice: the second is a
// retry of the same plan) and a rollback through the API; then a JetStream consumer of the events stream
// reads every event once: each of the six types is there, and no exactly-once key twice.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import type { FastifyInstance } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { motoClientConfig, startMotoServer } from '@neurocipher/seg-adapter-aws/testing';
import type { MotoServer } from '@neurocipher/seg-adapter-aws/testing';
import { apiDeps, buildApi, oidcAuthenticator } from '@neurocipher/seg-api';
import { EVENT_TYPES } from '@neurocipher/seg-contracts';
import type { EvalResult } from '@neurocipher/seg-contracts';
import { connectNats, openMessaging } from '@neurocipher/seg-messaging';
import type { Messaging } from '@neurocipher/seg-messaging';
import { readEventStream, startNatsServer } from '@neurocipher/seg-messaging/testing';
import type { NatsServer } from '@neurocipher/seg-messaging/testing';
import { EventBusId } from '@neurocipher/seg-ports';
import { TenantEngines, createEngine, parseSegConfig, replace } from '@neurocipher/seg-runtime';
import type { Engine } from '@neurocipher/seg-runtime';
import { RunWorker } from '@neurocipher/seg-worker';

const repo = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'seg-service-events-'));
const PLAIN = 'seg-events-plain-bucket';
const ISSUER = 'https://idp.example/';
const AUDIENCE = 'seg-api';
const saved = { ...process.env };
let moto: MotoServer;
let nats: NatsServer;
let messaging: Messaging;
let engine: Engine;
let engines: TenantEngines;
let worker: RunWorker;
let app: FastifyInstance;
let key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

// The six §10.2 events.
const SIX = EVENT_TYPES;

async function bearer(roles: string[], org_id = 'acme'): Promise<Record<string, string>> {
  const token = await new SignJWT({ org_id, roles })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('events-test')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key);
  return { authorization: `Bearer ${token}` };
}

beforeAll(async () => {
  [moto, nats] = await Promise.all([startMotoServer({ loadManagedPolicies: true }), startNatsServer()]);
  const s3 = new S3Client(motoClientConfig(moto));
  await s3.send(new CreateBucketCommand({ Bucket: PLAIN }));
  s3.destroy();
  // The SDK's default credential chain reads the process environment (the simulator's test principal).
  process.env['AWS_ACCESS_KEY_ID'] = moto.credentials.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] = moto.credentials.secretAccessKey;
  process.env['AWS_REGION'] = moto.region;
  const pair = await generateKeyPair('ES256');
  key = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  writeFileSync(join(work, 'jwks.json'), JSON.stringify({ keys: [jwk] }));
  const config = parseSegConfig(
    {
      tenant: 'acme',
      home: join(work, 'home'),
      bundles_dir: join(repo, 'bundles'),
      trusted_keys: join(repo, 'tools', 'bundle', 'trusted-keys.json'),
      queue: nats.url,
      oidc: { issuer: ISSUER, audience: AUDIENCE, jwks_file: 'jwks.json' },
      aws: { endpoint_url: moto.endpoint, regions: [moto.region] },
      tenants: {
        acme: {
          inventory: {
            kind: 'aws',
            accounts: [moto.accountId],
            regions: [moto.region],
            role_name: 'SegAudit',
          },
        },
      },
    },
    { cwd: work },
  );
  messaging = await openMessaging(config.queue, {
    name: 'events-test',
    queue: { ack_wait_ms: config.jobs.ack_wait_ms, max_deliver: config.jobs.max_deliver },
  });
  const shared = [replace(EventBusId, messaging.events)];
  engine = await createEngine(config, { replace: shared });
  engines = new TenantEngines(config, { cwd: work, replace: shared });
  app = await buildApi(
    await apiDeps({
      engine,
      engines,
      queue: messaging.queue,
      authenticate: oidcAuthenticator(config.oidc!, work),
    }),
  );
  worker = new RunWorker({
    queue: messaging.queue,
    engineFor: (org_id) => engines.for(org_id),
    heartbeat_ms: config.jobs.heartbeat_ms,
    log: () => undefined,
  });
  worker.start();
}, 180_000);

afterAll(async () => {
  await app?.close();
  await worker?.stop();
  await engines?.close();
  await engine?.close();
  await messaging?.close();
  await Promise.all([nats?.stop(), moto?.stop()]);
  process.env = saved;
  rmSync(work, { recursive: true, force: true });
});

describe('the service on NATS and moto', () => {
  it('runs, plans, applies and rolls back through the API, and announces each of the six events once', async () => {
    const operator = await bearer(['seg.operator']);
    const admin = await bearer(['seg.admin']);
    const ran = await app.inject({
      method: 'POST',
      url: '/runs',
      headers: { ...operator, prefer: 'wait=120' },
      payload: {},
    });
    expect(ran.statusCode).toBe(200);
    const result = ran.json() as EvalResult;
    const failing = result.findings.find(
      (f) => f.control_id === 'cis-storage-secure-transport' && f.asset.urn.endsWith(`:${PLAIN}`),
    );
    expect(failing?.result).toBe('fail');

    const planned = await app.inject({
      method: 'POST',
      url: '/plans',
      headers: operator,
      payload: { finding_id: failing!.id },
    });
    expect(planned.statusCode).toBe(201);
    const { plan } = planned.json() as { plan: { id: string; steps: unknown[] } };
    expect(planned.headers['location']).toBe(`/plans/${plan.id}`);
    expect(plan.steps.length).toBeGreaterThan(0);

    // Another tenant's admin cannot see, dry-run or apply it.
    const beta = await bearer(['seg.admin'], 'beta');
    for (const [method, url, payload] of [
      ['GET', `/plans/${plan.id}`, undefined],
      ['POST', `/plans/${plan.id}/apply`, { dry_run: false }],
      ['POST', `/plans/${plan.id}/rollback`, {}],
    ] as const) {
      const res = await app.inject({ method, url, headers: beta, ...(payload ? { payload } : {}) });
      expect([url, res.statusCode]).toEqual([url, 404]);
    }

    const dry = await app.inject({
      method: 'POST',
      url: `/plans/${plan.id}/apply`,
      headers: operator,
      payload: {},
    });
    expect(dry.json()).toMatchObject({ applied: false, plan: { id: plan.id }, drift: [] });
    const s3 = new S3Client(motoClientConfig(moto));
    const policy = () =>
      s3.send(new GetBucketPolicyCommand({ Bucket: PLAIN })).then(
        (r) => r.Policy ?? null,
        () => null,
      );
    expect(await policy()).toBeNull();

    const applied = await app.inject({
      method: 'POST',
      url: `/plans/${plan.id}/apply`,
      headers: admin,
      payload: { dry_run: false },
    });
    expect(applied.json()).toMatchObject({ applied: true, result: { plan_id: plan.id, status: 'success' } });
    expect(await policy()).toContain('aws:SecureTransport');
    // A retried apply of the same plan changes nothing and announces nothing new.
    const retried = await app.inject({
      method: 'POST',
      url: `/plans/${plan.id}/apply`,
      headers: admin,
      payload: { dry_run: false },
    });
    expect(retried.json()).toMatchObject({ applied: true, result: { status: 'success' } });

    const shown = (
      await app.inject({ method: 'GET', url: `/plans/${plan.id}`, headers: operator })
    ).json() as {
      history: Array<{ kind: string }>;
    };
    expect(shown.history.map((e) => e.kind)).toContain('apply');
    const rolled = await app.inject({
      method: 'POST',
      url: `/plans/${plan.id}/rollback`,
      headers: admin,
      payload: {},
    });
    expect(rolled.json()).toMatchObject({ result: { plan_id: plan.id, status: 'success' } });
    expect(await policy()).toBeNull();
    s3.destroy();

    // A consumer of its own reads the whole events stream.
    const connection = await connectNats({ servers: nats.url });
    const seen = await readEventStream(connection).finally(() => connection.close());
    const runId = result.run.run_id;
    const count = (type: string) => seen.filter((e) => e.type === type).length;
    expect(Object.fromEntries(SIX.map((type) => [type, count(type)]))).toEqual({
      'seg.run.started': 1,
      'seg.run.completed': 1,
      'seg.findings.committed': 1,
      'seg.plan.created': 1,
      'seg.plan.applied': 1,
      'seg.attestation.published': 1,
    });
    expect(seen.filter((e) => e.type.startsWith('seg.run.')).map((e) => e.subject)).toEqual([runId, runId]);
    expect(seen.filter((e) => e.type.startsWith('seg.plan.')).map((e) => e.subject)).toEqual([
      plan.id,
      plan.id,
    ]);
    expect(seen.every((e) => e.org_id === 'acme')).toBe(true);
    const keys = seen.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  }, 300_000);
});
