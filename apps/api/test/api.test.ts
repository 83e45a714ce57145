// The API in process (Fastify's inject) over a real embedded lakehouse holding a committed run of tenant
// acme, tokens signed with a key of the test's own JWKS file. The authz matrix is generated from the route
// table: every route × each role × own tenant / other tenant / no token / expired / wrong audience / wrong
// issuer / alg none / tampered signature, each cell with its expected status.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import { InMemoryJobQueue, sha256Hex } from '@neurocipher/seg-ports';
import {
  AttestationDeskId,
  LakehouseId,
  TenantEngines,
  createEngine,
  parseSegConfig,
} from '@neurocipher/seg-runtime';
import type { Engine } from '@neurocipher/seg-runtime';
import { apiDeps } from '../src/api-deps.ts';
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
let attestationId: string;
let failingFindingId: string;
let engines: TenantEngines;
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
      api: { rate_per_minute: 100_000 },
      tenants: { acme: { inventory: { kind: 'snapshot', path: 'acme.ndjson' } } },
    },
    { cwd: work },
  );
  engine = await createEngine(config, { provider: { kind: 'snapshot', path: join(work, 'acme.ndjson') } });
  runId = (await engine.scan({ attest: false })).run.run_id;
  queue = new InMemoryJobQueue();
  engines = new TenantEngines(config, { cwd: work });
  // The run was committed without an attestation: attested after the fact, as POST /attestations does.
  const attested = await (await (await engines.for('acme')).get(AttestationDeskId)).attest(runId);
  attestationId = attested.attestation.id;
  const lake = await engine.get(LakehouseId);
  failingFindingId = (await lake.store.runFindings('acme', runId, { result: 'fail' }))[0]!.finding.id;
  app = await buildApi(
    await apiDeps({ engine, engines, queue, authenticate: oidcAuthenticator(config.oidc!, work) }),
  );
}, 180_000);

afterAll(async () => {
  await app?.close();
  await engines?.close();
  await engine?.close();
  rmSync(work, { recursive: true, force: true });
});

// A run of an outside producer for tenant `org_id`: two findings (one with a producer's own fingerprint),
// one evidence body given inline.
function producerRun(org_id = 'acme') {
  const run_id: string = randomUUID();
  const body = Buffer.from(JSON.stringify({ bucket: 'logs', versioning: 'Suspended', run_id }));
  const hash = sha256Hex(body);
  const at = '2026-12-04T10:00:00Z';
  const finding = (i: number, result: 'pass' | 'fail') => ({
    id: randomUUID(),
    control_id: 'ext-storage-versioning',
    control_version: '1.0.0',
    asset: { urn: `urn:asset:aws:bucket:arn:aws:s3:::logs-${i}` },
    result,
    severity: 'medium',
    message: `bucket logs-${i}`,
    evidence: [{ hash, media_type: 'application/json' }],
    created_at: at,
    updated_at: at,
    fingerprint: `fp-${i}`,
  });
  const findings = [finding(1, 'fail'), finding(2, 'pass')];
  return {
    run: {
      run_id,
      scope: { org_id },
      started_at: at,
      ended_at: at,
      controls: ['ext-storage-versioning'],
      counts: { pass: 1, warn: 0, fail: 1, error: 0 },
    },
    findings,
    evidence: [{ hash, media_type: 'application/json', finding_ids: findings.map((f) => f.id) }],
    blobs: [{ media_type: 'application/json', content_base64: body.toString('base64') }],
  };
}

// Every route's cell values: the path ids, a body, and the status of an allowed role of the own tenant
// and of an admin of another tenant. A route missing here fails the matrix (a new route cannot be left
// out). The plan routes run on a snapshot tenant here (nothing to remediate: 400 and 404); plan, apply
// and rollback on AWS run in test/service-events.test.ts.
const NO_PLAN = '0e9d8c7b-6a5f-5e4d-8c3b-2a1f0e9d8c7b';
interface Cell {
  ids?: () => Record<string, string>;
  body?: () => unknown;
  own: number;
  other: number;
}
const runIds = () => ({ id: runId, a: runId, b: runId });
const CELLS: Record<string, Cell> = {
  'POST /runs': { body: () => ({}), own: 202, other: 202 },
  'GET /runs': { own: 200, other: 200 },
  'GET /runs/:id': { ids: runIds, own: 200, other: 404 },
  'GET /runs/:id/findings': { ids: runIds, own: 200, other: 404 },
  'GET /runs/:a/diff/:b': { ids: runIds, own: 200, other: 404 },
  'POST /findings': { body: () => producerRun('acme'), own: 201, other: 404 },
  'POST /plans': { body: () => ({ finding_id: failingFindingId }), own: 400, other: 404 },
  'GET /plans/:id': { ids: () => ({ id: NO_PLAN }), own: 404, other: 404 },
  'POST /plans/:id/apply': { ids: () => ({ id: NO_PLAN }), body: () => ({}), own: 404, other: 404 },
  'POST /plans/:id/rollback': { ids: () => ({ id: NO_PLAN }), body: () => ({}), own: 404, other: 404 },
  'POST /plans/:id/approvals': {
    ids: () => ({ id: NO_PLAN }),
    body: () => ({ role: 'security-owner' }),
    own: 404,
    other: 404,
  },
  'POST /attestations': { body: () => ({ run_id: runId }), own: 200, other: 404 },
  'GET /attestations/:id': { ids: () => ({ id: attestationId }), own: 200, other: 404 },
};
const keyOf = (route: Route) => `${route.method} ${route.url}`;

async function call(route: Route, authorization?: string) {
  const cell = CELLS[keyOf(route)]!;
  const ids = cell.ids?.() ?? {};
  return app.inject({
    method: route.method,
    url: route.url.replace(/:([a-z]+)/g, (_m, p: string) => ids[p]!),
    headers: authorization ? { authorization } : {},
    ...(route.method === 'POST' ? { payload: (cell.body?.() ?? {}) as object } : {}),
  });
}

describe('the authz matrix (every route of the table)', () => {
  const table = routes({
    authenticate: async () => {
      throw new Error('unused');
    },
    queue: new InMemoryJobQueue(),
    store: null as never,
    evidence: null as never,
    desks: async () => null as never,
    ready: async () => ({}),
  });
  const guarded = table.filter((r) => r.role !== null);

  it('covers every route: the guarded ones need a role and have a cell, the open ones are health and readiness', () => {
    expect(table.filter((r) => r.role === null).map((r) => r.url)).toEqual(['/healthz', '/readyz']);
    expect(guarded.map(keyOf).filter((key) => CELLS[key] === undefined)).toEqual([]);
    expect(guarded.length).toBe(Object.keys(CELLS).length);
  });

  for (const route of guarded) {
    describe(`${route.method} ${route.url} (needs ${route.role})`, () => {
      it.each(ROLES.map((r) => [r]))('%s of the own tenant', async (role: Role) => {
        const res = await call(route, `Bearer ${await token({ roles: [role] })}`);
        const allowed = ROLES.indexOf(role) >= ROLES.indexOf(route.role!);
        expect(res.statusCode).toBe(allowed ? CELLS[keyOf(route)]!.own : 403);
        if (!allowed) expect(res.json()).toMatchObject({ error_code: 'SEG_INVALID_ARGUMENT' });
      });

      it('an admin of another tenant learns nothing: reads are empty, anything of acme is not found', async () => {
        const res = await call(route, `Bearer ${await token({ roles: ['seg.admin'], org_id: 'beta' })}`);
        expect(res.statusCode).toBe(CELLS[keyOf(route)]!.other);
        if (res.statusCode < 300) {
          expect(res.body).not.toContain(runId);
          expect(res.body).not.toContain(attestationId);
        } else {
          // Exactly what an id nobody has gets: the id asked for echoed, nothing of acme's.
          expect(res.json()).toMatchObject({ error_code: 'SEG_NOT_FOUND', details: {} });
          expect(res.body).not.toMatch(/counts|signature|control_id/);
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

  it("commits an outside producer's run (its own fingerprints, evidence given inline), once", async () => {
    const headers = await auth('seg.operator');
    const body = producerRun();
    const res = await app.inject({ method: 'POST', url: '/findings', headers, payload: body });
    expect(res.statusCode).toBe(201);
    expect(res.headers['location']).toBe(`/runs/${body.run.run_id}`);
    expect(res.json()).toMatchObject({
      result: { run_id: body.run.run_id, findings_written: 2, evidence_written: 1, replayed: false },
    });
    const page = (
      await app.inject({ method: 'GET', url: `/runs/${body.run.run_id}/findings`, headers })
    ).json() as { findings: Array<{ id: string; fingerprint: string }> };
    expect(page.findings.map((f) => f.fingerprint).sort()).toEqual(['fp-1', 'fp-2']);
    // A retry of the same run writes nothing.
    const again = await app.inject({ method: 'POST', url: '/findings', headers, payload: body });
    expect([again.statusCode, again.json().result.replayed]).toEqual([200, true]);
    const rows = (
      await app.inject({ method: 'GET', url: `/runs/${body.run.run_id}/findings?limit=500`, headers })
    ).json() as { findings: unknown[] };
    expect(rows.findings).toHaveLength(2);
  });

  it('refuses a producer run that miscounts, cites evidence it never gave, or takes another tenant’s run id', async () => {
    const headers = await auth('seg.operator');
    const miscounted = producerRun();
    miscounted.run.counts = { pass: 2, warn: 0, fail: 0, error: 0 };
    const a = await app.inject({ method: 'POST', url: '/findings', headers, payload: miscounted });
    expect([a.statusCode, a.json().error_code]).toEqual([400, 'SEG_INVALID_ARGUMENT']);
    expect(a.json().message).toMatch(/run\.counts\.(pass|fail)/);
    const unstored = { ...producerRun(), blobs: [] };
    const b = await app.inject({ method: 'POST', url: '/findings', headers, payload: unstored });
    expect([b.statusCode, b.json().message]).toEqual([
      400,
      expect.stringMatching(/neither stored nor among blobs/),
    ]);
    const invalidFinding = producerRun();
    (invalidFinding.findings[0] as Record<string, unknown>)['fingerprint'] = '';
    const c = await app.inject({ method: 'POST', url: '/findings', headers, payload: invalidFinding });
    expect([c.statusCode, c.json().error_code]).toEqual([400, 'SEG_INVALID_ARGUMENT']);
    // beta names acme's run id for a run of its own: refused, and nothing of acme's run is said.
    const taken = producerRun('beta');
    taken.run.run_id = runId;
    const betaHeaders = {
      authorization: `Bearer ${await token({ roles: ['seg.operator'], org_id: 'beta' })}`,
    };
    const d = await app.inject({ method: 'POST', url: '/findings', headers: betaHeaders, payload: taken });
    expect([d.statusCode, d.json().error_code]).toEqual([409, 'SEG_CONFLICT']);
    expect(d.body).not.toMatch(/acme|counts/);
    // None of them committed anything.
    const runs = (await app.inject({ method: 'GET', url: '/runs', headers })).json() as {
      runs: Array<{ run_id: string }>;
    };
    for (const refused of [miscounted, unstored, invalidFinding])
      expect(runs.runs.map((r) => r.run_id)).not.toContain(refused.run.run_id);
  });

  it('attests a run once: the envelope is a DSSE over the run, read back by id', async () => {
    const admin = await auth('seg.admin');
    const body = producerRun();
    expect(
      (await app.inject({ method: 'POST', url: '/findings', headers: admin, payload: body })).statusCode,
    ).toBe(201);
    const made = await app.inject({
      method: 'POST',
      url: '/attestations',
      headers: admin,
      payload: { run_id: body.run.run_id },
    });
    expect(made.statusCode).toBe(201);
    const { attestation, verify } = made.json() as {
      attestation: { id: string; run_id: string; signature: string };
      verify: { valid: boolean };
    };
    expect(attestation.run_id).toBe(body.run.run_id);
    expect(verify.valid).toBe(true);
    expect(made.headers['location']).toBe(`/attestations/${attestation.id}`);
    const envelope = JSON.parse(attestation.signature) as { payloadType: string; signatures: unknown[] };
    expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
    expect(envelope.signatures.length).toBeGreaterThan(0);
    const again = await app.inject({
      method: 'POST',
      url: '/attestations',
      headers: admin,
      payload: { run_id: body.run.run_id },
    });
    expect([again.statusCode, again.json().attestation.id]).toEqual([200, attestation.id]);
    const read = await app.inject({
      method: 'GET',
      url: `/attestations/${attestation.id}`,
      headers: await auth(),
    });
    expect(read.json()).toMatchObject({ id: attestation.id, run_id: body.run.run_id });
  });

  it('lets an operator dry-run an apply but not apply', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/plans/${NO_PLAN}/apply`,
      headers: await auth('seg.operator'),
      payload: { dry_run: false },
    });
    expect([res.statusCode, res.json().message]).toEqual([403, 'this needs the role seg.admin']);
  });

  it('answers health, readiness and unknown routes without a token, and never a stack', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready' });
    const nope = await app.inject({ method: 'GET', url: '/etc/passwd' });
    expect(nope.statusCode).toBe(404);
    expect(nope.body).not.toMatch(/at .*\.ts|\/work\/|stack/);
  });
});
