// The API in process (Fastify's inject) over a real embedded lakehouse holding a committed run of tenant
// acme, tokens signed with a key of the test's own JWKS file. The authz matrix is generated from the route
// table: every route × each role × own tenant / other tenant / no token / expired / wrong audience / wrong
// issuer / alg none / tampered signature, each cell with its expected status.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import { InMemoryJobQueue } from '@neurocipher/seg-ports';
import { LakehouseId, createEngine, parseSegConfig } from '@neurocipher/seg-runtime';
import type { Engine } from '@neurocipher/seg-runtime';
import { buildApi, routes } from '../src/app.ts';
import type { Route } from '../src/app.ts';
import { ROLES, oidcAuthenticator } from '../src/auth.ts';
import type { Role } from '../src/auth.ts';

const repo = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'seg-api-'));
const ISSUER = 'https://idp.example/';
const AUDIENCE = 'seg-api';
let app: FastifyInstance;
let engine: Engine;
let queue: InMemoryJobQueue;
let runId: string;
type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let key: SigningKey;
let otherKey: SigningKey;

type Claims = Record<string, unknown>;
async function token(claims: Claims, options: { key?: SigningKey; exp?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ org_id: 'acme', roles: ['seg.reader'], ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(String(claims['iss'] ?? ISSUER))
    .setAudience(String(claims['aud'] ?? AUDIENCE))
    .setSubject('user-1')
    .setIssuedAt(now - 10)
    .setExpirationTime(options.exp ?? now + 600)
    .sign(options.key ?? key);
}

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  key = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  writeFileSync(join(work, 'jwks.json'), JSON.stringify({ keys: [jwk] }));
  await writeSnapshotFile(join(work, 'acme.ndjson'), generateDemoTenant({ assets: 60 }));
  const config = parseSegConfig(
    {
      tenant: 'acme',
      home: join(work, 'home'),
      bundles_dir: join(repo, 'bundles'),
      trusted_keys: join(repo, 'tools', 'bundle', 'trusted-keys.json'),
      oidc: { issuer: ISSUER, audience: AUDIENCE, jwks_file: 'jwks.json' },
    },
    { cwd: work },
  );
  engine = await createEngine(config, { provider: { kind: 'snapshot', path: join(work, 'acme.ndjson') } });
  runId = (await engine.scan({ attest: false })).run.run_id;
  queue = new InMemoryJobQueue();
  const lake = await engine.get(LakehouseId);
  app = await buildApi({
    authenticate: oidcAuthenticator(config.oidc!, work),
    queue,
    store: lake.store,
    ready: async () => ({ catalog: true, blobs: true, queue: true }),
    rate_per_minute: 100_000,
  });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await engine?.close();
  rmSync(work, { recursive: true, force: true });
});

const ids = () => ({ id: runId, a: runId, b: runId });
const urlOf = (route: Route) =>
  route.url.replace(/:([a-z]+)/g, (_m, p: keyof ReturnType<typeof ids>) => ids()[p]);

async function call(route: Route, authorization?: string) {
  return app.inject({
    method: route.method,
    url: urlOf(route),
    headers: authorization ? { authorization } : {},
    ...(route.method === 'POST' ? { payload: {} } : {}),
  });
}

describe('the authz matrix (every route of the table)', () => {
  const table = routes({
    authenticate: async () => {
      throw new Error('unused');
    },
    queue: new InMemoryJobQueue(),
    store: null as never,
    ready: async () => ({}),
  });
  const guarded = table.filter((r) => r.role !== null);

  it('covers every route: the guarded ones need a role, the open ones are health and readiness', () => {
    expect(table.filter((r) => r.role === null).map((r) => r.url)).toEqual(['/healthz', '/readyz']);
    expect(guarded.length).toBeGreaterThanOrEqual(5);
  });

  for (const route of guarded) {
    describe(`${route.method} ${route.url} (needs ${route.role})`, () => {
      it.each(ROLES.map((r) => [r]))('%s of the own tenant', async (role: Role) => {
        const res = await call(route, `Bearer ${await token({ roles: [role] })}`);
        const allowed = ROLES.indexOf(role) >= ROLES.indexOf(route.role!);
        expect(res.statusCode).toBe(allowed ? route.status : 403);
        if (!allowed) expect(res.json()).toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
      });

      it('an admin of another tenant learns nothing: reads are empty, a run of acme is not found', async () => {
        const res = await call(route, `Bearer ${await token({ roles: ['seg.admin'], org_id: 'beta' })}`);
        if (route.url.includes(':')) {
          expect(res.statusCode).toBe(404);
          expect(res.json()).toMatchObject({ error_code: 'SEG_NOT_FOUND', details: {} });
          expect(res.body).not.toContain('counts');
        } else if (route.method === 'GET') {
          expect(res.statusCode).toBe(200);
          expect(res.body).not.toContain(runId);
        } else {
          expect(res.statusCode).toBe(route.status);
        }
      });

      const now = Math.floor(Date.now() / 1000);
      it.each([
        ['no token', async () => undefined],
        ['not a bearer token', async () => 'Basic dXNlcjpwYXNz'],
        [
          'an expired token (past the 60 s skew)',
          async () => `Bearer ${await token({}, { exp: now - 120 })}`,
        ],
        ['a wrong audience', async () => `Bearer ${await token({ aud: 'other-api' })}`],
        ['a wrong issuer', async () => `Bearer ${await token({ iss: 'https://evil.example/' })}`],
        ['a key the issuer never published', async () => `Bearer ${await token({}, { key: otherKey })}`],
        [
          'alg none',
          async () => {
            const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
            return `Bearer ${enc({ alg: 'none', typ: 'JWT' })}.${enc({ iss: ISSUER, aud: AUDIENCE, org_id: 'acme', roles: ['seg.admin'], exp: now + 600 })}.`;
          },
        ],
        [
          'a tampered signature',
          async () => {
            const [h, p, s] = (await token({ roles: ['seg.admin'] })).split('.');
            const flipped = s!.slice(0, 5) + (s![5] === 'A' ? 'B' : 'A') + s!.slice(6);
            return `Bearer ${h}.${p}.${flipped}`;
          },
        ],
        [
          'a payload tampered to another tenant',
          async () => {
            const [h, , s] = (await token({ roles: ['seg.admin'] })).split('.');
            const p = Buffer.from(
              JSON.stringify({
                iss: ISSUER,
                aud: AUDIENCE,
                org_id: 'beta',
                roles: ['seg.admin'],
                exp: now + 600,
              }),
            ).toString('base64url');
            return `Bearer ${h}.${p}.${s}`;
          },
        ],
      ])('%s is 401 in the §14 shape', async (_what, make) => {
        const res = await call(route, await make());
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual({
          error_code: 'SEG_INVALID_ARGUMENT',
          message: expect.any(String),
          retryable: false,
          details: {},
        });
      });
    });
  }
});

describe('the routes', () => {
  const auth = async (role: Role = 'seg.reader') => ({
    authorization: `Bearer ${await token({ roles: [role] })}`,
  });

  it('serves the OpenAPI 3.1 document, every $ref resolving inside it', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/runs', '/runs/{id}', '/runs/{id}/findings']),
    );
    const refs = [...res.body.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const name of refs) expect(doc.components.schemas[name]).toBeDefined();
  });

  it('queues a run: 202 with the run id and Location, a run job on the queue for the caller tenant', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/runs',
      headers: await auth('seg.operator'),
      payload: { control_ids: ['cis-storage-secure-transport'] },
    });
    expect(res.statusCode).toBe(202);
    const { run_id } = res.json() as { run_id: string };
    expect(res.headers['location']).toBe(`/runs/${run_id}`);
    // Earlier cases queued runs too: find this one.
    let job = await queue.reserve();
    while (job !== null && job.id !== run_id) job = await queue.reserve();
    expect(job).toMatchObject({
      id: run_id,
      type: 'run',
      payload: { run_id, org_id: 'acme', control_ids: ['cis-storage-secure-transport'] },
    });
  });

  it('refuses a body of the wrong shape, another tenant in the scope, and a body too large', async () => {
    const headers = await auth('seg.operator');
    const bad = await app.inject({ method: 'POST', url: '/runs', headers, payload: { controls: 'all' } });
    expect([bad.statusCode, bad.json().error_code]).toEqual([400, 'SEG_INVALID_ARGUMENT']);
    const other = await app.inject({
      method: 'POST',
      url: '/runs',
      headers,
      payload: { scope: { org_id: 'beta' } },
    });
    expect(other.statusCode).toBe(404);
    const big = await app.inject({
      method: 'POST',
      url: '/runs',
      headers,
      payload: { control_ids: ['x'.repeat(2 * 1024 * 1024)] },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
  });

  it('lists the runs, shows one, and pages its findings with stable cursors and filters', async () => {
    const headers = await auth();
    const runs = (await app.inject({ method: 'GET', url: '/runs', headers })).json() as {
      runs: Array<{ run_id: string }>;
    };
    expect(runs.runs.map((r) => r.run_id)).toContain(runId);
    const one = await app.inject({ method: 'GET', url: `/runs/${runId}`, headers });
    expect(one.json()).toMatchObject({ status: 'completed', run: { run_id: runId } });
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/runs/${runId}/findings?limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await app.inject({ method: 'GET', url: q, headers })).json() as {
        findings: Array<{ id: string }>;
        next_cursor: string | null;
      };
      all.push(...page.findings.map((f) => f.id));
      cursor = page.next_cursor;
    } while (cursor !== null);
    const total = Object.values(
      (one.json() as { run: { counts: Record<string, number> } }).run.counts,
    ).reduce((a, b) => a + b, 0);
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
    const failing = (
      await app.inject({ method: 'GET', url: `/runs/${runId}/findings?result=fail&limit=500`, headers })
    ).json() as { findings: Array<{ result: string }> };
    expect(failing.findings.length).toBeGreaterThan(0);
    expect(failing.findings.every((f) => f.result === 'fail')).toBe(true);
    const bad = await app.inject({ method: 'GET', url: `/runs/${runId}/findings?cursor=abc`, headers });
    expect(bad.statusCode).toBe(400);
    const missing = await app.inject({
      method: 'GET',
      url: '/runs/9b2f4c1e-0d3a-4b6c-8d7e-1f2a3b4c5d6e',
      headers,
    });
    expect([missing.statusCode, missing.json().error_code]).toEqual([404, 'SEG_NOT_FOUND']);
  });

  it('answers health, readiness and unknown routes without a token, and never a stack', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready' });
    const nope = await app.inject({ method: 'GET', url: '/etc/passwd' });
    expect(nope.statusCode).toBe(404);
    expect(nope.body).not.toMatch(/at .*\.ts|\/work\/|stack/);
  });
});
