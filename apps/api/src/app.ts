// The SEG API (spec §10): a route table, each route with the least role it needs; every read and write
// scoped to the caller's tenant (another tenant's run is a 404, never a 403); §14 errors with a fixed
// HTTP status, no stack, path or secret; body size limits and a per-tenant rate limit.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import type { EvalResult, Finding, SegErrorCode } from '@neurocipher/seg-contracts';
import type { EvidenceStore } from '@neurocipher/seg-lakehouse';
import type { JobQueue } from '@neurocipher/seg-ports';
import { RUN_JOB_TYPE } from '@neurocipher/seg-runtime';
import type { RemediationDesk } from '@neurocipher/seg-core';
import type { AttestationDesk, Lakehouse, Readiness, RunJob } from '@neurocipher/seg-runtime';
import { allows } from './auth.ts';
import type { Authenticator, Caller, Role } from './auth.ts';
import {
  ApplyBody,
  ApprovalBody,
  AttestationsBody,
  FindingsBody,
  FindingsQuery,
  PlansBody,
  RollbackBody,
  RunId,
  RunsBody,
} from './api-schemas.ts';
import { openApiDocument } from './openapi.ts';

/** The use cases of one tenant that need its own engine (its AWS accounts, its signer). */
export interface TenantDesks {
  remediation: RemediationDesk;
  attestations: AttestationDesk;
}

/** What the API works with. */
export interface ApiDeps {
  authenticate: Authenticator;
  queue: JobQueue;
  /** The finding store runs are read from and outside producers' runs are committed to. */
  store: Lakehouse['store'];
  /** Where outside producers' evidence bodies are stored. */
  evidence: Pick<EvidenceStore, 'putBytes' | 'missing'>;
  /** The desks of a tenant (`SEG_NOT_FOUND` for a tenant the config does not list). */
  desks(org_id: string): Promise<TenantDesks>;
  /** Whether the catalog, the blob store and the queue answer. */
  ready: Readiness;
  /** Requests per tenant per minute (default 600). */
  rate_per_minute?: number | undefined;
  /** Largest request body, bytes (default 1 MiB). */
  body_limit?: number | undefined;
  /** Largest body of POST /findings, bytes (default 16 MiB). */
  ingest_body_limit?: number | undefined;
}

/** One route: what it needs, how it is called, what it answers. */
export interface Route {
  method: 'GET' | 'POST';
  url: string;
  /** The least role it needs, or null for an open route. */
  role: Role | null;
  summary: string;
  /** Status of a success (a handler may answer another 2xx it documents). */
  status: number;
  /** The body it parses (the OpenAPI document shows it). */
  body?: z.ZodType;
  /** The query it parses. */
  query?: z.ZodType;
  /** Its own body limit, bytes. */
  body_limit?: number;
  handler(request: FastifyRequest, reply: FastifyReply, caller: Caller | null): Promise<unknown>;
}

/** HTTP status of each §14 code (a `details.status` of 401 or 403 from authentication wins). */
export const STATUS_OF: Record<SegErrorCode, number> = {
  SEG_INVALID_ARGUMENT: 400,
  SEG_SCHEMA_VIOLATION: 400,
  SEG_NOT_FOUND: 404,
  SEG_CONFLICT: 409,
  SEG_APPLY_PARTIAL: 409,
  SEG_ATTEST_VERIFY_FAILED: 422,
  SEG_POLICY_LOAD_FAILED: 500,
  SEG_INTERNAL: 500,
  SEG_EVIDENCE_WRITE_FAILED: 503,
  SEG_ADAPTER_UNAVAILABLE: 503,
  SEG_ADAPTER_TIMEOUT: 504,
};

function invalid(message: string, details: Record<string, unknown> = {}): SegError {
  return new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message, details, retryable: false });
}

function notFound(what: string): SegError {
  return new SegError({ error_code: 'SEG_NOT_FOUND', message: `no ${what}`, retryable: false });
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw invalid(`${what}: ${issues.join('; ')}`, { issues });
}

/** The wire body of an error: the §14 shape, with nothing internal in it. */
export function errorBody(error: unknown): { status: number; body: Record<string, unknown> } {
  const seg = isSegError(error)
    ? error
    : new SegError({ error_code: 'SEG_INTERNAL', message: 'internal error', cause: error });
  const forced = seg.details['status'];
  const status = forced === 401 || forced === 403 ? forced : STATUS_OF[seg.error_code];
  const shape = seg.toJSON();
  const { status: _internal, ...details } = shape.details;
  // A server-side failure says what failed, never how (paths, hosts and causes stay in the log).
  const body =
    status >= 500
      ? { ...shape, message: status === 500 ? 'internal error' : shape.message, details: {} }
      : { ...shape, details };
  return { status, body };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function forbidden(role: Role): SegError {
  return new SegError({
    error_code: 'SEG_INVALID_ARGUMENT',
    message: `this needs the role ${role}`,
    details: { status: 403 },
    retryable: false,
  });
}

// A SEG_NOT_FOUND of a use case, as the API words it (the id only, nothing of the store).
async function orNotFound<T>(what: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isSegError(error) && error.error_code === 'SEG_NOT_FOUND') throw notFound(what);
    throw error;
  }
}

// A producer's run summary must count its findings as they are.
function checkCounts(body: z.infer<typeof FindingsBody>): void {
  const counted: Record<string, number> = {};
  const ids = new Set<string>();
  for (const f of body.findings) {
    counted[f.result] = (counted[f.result] ?? 0) + 1;
    if (ids.has(f.id)) throw invalid(`finding ${f.id} is given twice`, { finding_id: f.id });
    ids.add(f.id);
  }
  for (const result of new Set([...Object.keys(counted), ...Object.keys(body.run.counts)])) {
    const said = body.run.counts[result] ?? 0;
    if (said !== (counted[result] ?? 0))
      throw invalid(`run.counts.${result} is ${said}, but ${counted[result] ?? 0} findings are ${result}`, {
        result,
      });
  }
}

/** The routes of the API (the authz matrix test is generated from this table). */
export function routes(deps: ApiDeps): Route[] {
  const { store, queue } = deps;
  const desks = (caller: Caller | null) => orNotFound(`tenant ${caller!.org_id}`, deps.desks(caller!.org_id));
  const idOf = (request: FastifyRequest) => parse(RunId, (request.params as { id: string }).id, 'id');
  const runOf = async (caller: Caller, id: string) => {
    const run_id = parse(RunId, id, 'run id');
    try {
      return await store.run(caller.org_id, run_id);
    } catch (error) {
      if (isSegError(error) && error.error_code === 'SEG_NOT_FOUND') throw notFound(`run ${run_id}`);
      throw error;
    }
  };
  return [
    {
      method: 'GET',
      url: '/healthz',
      role: null,
      status: 200,
      summary: 'The process is up',
      handler: async () => ({ status: 'ok' }),
    },
    {
      method: 'GET',
      url: '/readyz',
      role: null,
      status: 200,
      summary: 'The catalog, the blob store and the queue answer',
      handler: async (_request, reply) => {
        const checks = await deps.ready();
        const ready = Object.values(checks).every(Boolean);
        void reply.code(ready ? 200 : 503);
        return { status: ready ? 'ready' : 'not ready', checks };
      },
    },
    {
      method: 'POST',
      url: '/runs',
      role: 'seg.operator',
      status: 202,
      summary:
        'Queue a run of the tenant (Prefer: wait=N answers 200 with the EvalResult when it ends in time)',
      body: RunsBody,
      handler: async (request, reply, caller) => {
        const body = parse(RunsBody, request.body, 'body');
        if (body.scope && body.scope.org_id !== caller!.org_id) throw notFound(`tenant ${body.scope.org_id}`);
        const job: RunJob = {
          run_id: randomUUID(),
          org_id: caller!.org_id,
          now: new Date().toISOString(),
          ...(body.control_ids ? { control_ids: body.control_ids } : {}),
        };
        await queue.enqueue({ id: job.run_id, type: RUN_JOB_TYPE, payload: job });
        void reply.header('location', `/runs/${job.run_id}`);
        const wait = /(?:^|[,;\s])wait=(\d{1,3})(?:$|[,;\s])/.exec(String(request.headers['prefer'] ?? ''));
        if (wait) {
          const deadline = Date.now() + Math.min(Number(wait[1]), 300) * 1_000;
          while (Date.now() < deadline) {
            const done = await store.run(caller!.org_id, job.run_id).catch(() => null);
            if (done) {
              const findings = (await store.runFindings(caller!.org_id, job.run_id)).map((s) => s.finding);
              const evidence = findings.flatMap((f: Finding) => f.evidence ?? []);
              const result: EvalResult = { run: done, findings, evidence };
              void reply.code(200).header('preference-applied', `wait=${wait[1]}`);
              return result;
            }
            await sleep(250);
          }
        }
        void reply.code(202);
        return { run_id: job.run_id, status: 'queued' };
      },
    },
    {
      method: 'GET',
      url: '/runs',
      role: 'seg.reader',
      status: 200,
      summary: "The tenant's committed runs, newest first",
      handler: async (_request, _reply, caller) => ({ runs: await store.runs(caller!.org_id) }),
    },
    {
      method: 'GET',
      url: '/runs/:id',
      role: 'seg.reader',
      status: 200,
      summary: 'A run: its status and summary',
      handler: async (request, _reply, caller) => {
        const id = parse(RunId, (request.params as { id: string }).id, 'run id');
        const run = await store.run(caller!.org_id, id).catch((error: unknown) => {
          if (isSegError(error) && error.error_code === 'SEG_NOT_FOUND') return null;
          throw error;
        });
        if (run) return { run_id: id, status: 'completed', run };
        // Not committed yet: still on the queue (another tenant's job is as absent as a missing one).
        const found = await queue.find(id);
        const payload = found?.job.payload as Partial<RunJob> | undefined;
        if (!found || found.job.type !== RUN_JOB_TYPE || payload?.org_id !== caller!.org_id)
          throw notFound(`run ${id}`);
        if (found.state === 'dead')
          return {
            run_id: id,
            status: 'failed',
            error: found.error ? errorBody(new SegError(found.error)).body : null,
          };
        return { run_id: id, status: found.state === 'running' ? 'running' : 'queued' };
      },
    },
    {
      method: 'GET',
      url: '/runs/:id/findings',
      role: 'seg.reader',
      status: 200,
      summary: "A run's findings, paged (a cursor is stable: the run's findings never change)",
      query: FindingsQuery,
      handler: async (request, _reply, caller) => {
        const run = await runOf(caller!, (request.params as { id: string }).id);
        const q = parse(FindingsQuery, request.query, 'query');
        const filter = {
          ...(q.control_id ? { control_id: q.control_id } : {}),
          ...(q.severity ? { severity: q.severity } : {}),
          ...(q.result ? { result: q.result } : {}),
        };
        const all = (await store.runFindings(caller!.org_id, run.run_id, filter))
          .map((s) => s.finding)
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        const start = q.cursor === undefined ? 0 : Number(q.cursor);
        const page = all.slice(start, start + q.limit);
        const next = start + page.length < all.length ? String(start + page.length) : null;
        return { findings: page, next_cursor: next };
      },
    },
    {
      method: 'GET',
      url: '/runs/:a/diff/:b',
      role: 'seg.reader',
      status: 200,
      summary: 'What changed from run a to run b',
      handler: async (request, _reply, caller) => {
        const { a, b } = request.params as { a: string; b: string };
        const base = await runOf(caller!, a);
        const head = await runOf(caller!, b);
        return store.diffRuns(caller!.org_id, base.run_id, head.run_id);
      },
    },
    {
      method: 'POST',
      url: '/findings',
      role: 'seg.operator',
      status: 201,
      summary:
        'Commit one run of an outside producer: its summary, findings, evidence and the evidence bodies (a retry of a committed run is 200, replayed)',
      body: FindingsBody,
      body_limit: deps.ingest_body_limit ?? 16 * 1024 * 1024,
      handler: async (request, reply, caller) => {
        const body = parse(FindingsBody, request.body, 'body');
        const org_id = caller!.org_id;
        if (body.run.scope.org_id !== org_id) throw notFound(`tenant ${body.run.scope.org_id}`);
        checkCounts(body);
        const run_id = body.run.run_id;
        const own = await store.run(org_id, run_id).then(
          () => true,
          (error: unknown) => {
            if (isSegError(error) && error.error_code === 'SEG_NOT_FOUND') return false;
            throw error;
          },
        );
        // Run ids are global in the tables: one another tenant committed cannot be taken.
        if (
          !own &&
          (await store.runCommits(run_id).then(
            () => true,
            () => false,
          ))
        )
          throw new SegError({
            error_code: 'SEG_CONFLICT',
            message: `run id ${run_id} is taken: give the run a fresh UUID`,
            retryable: false,
          });
        for (const blob of body.blobs)
          await deps.evidence.putBytes(Buffer.from(blob.content_base64, 'base64'), blob.media_type);
        const cited = new Set([
          ...body.evidence.map((e) => e.hash),
          ...body.findings.flatMap((f) => f.evidence.map((p) => p.hash)),
        ]);
        const [hash, ...more] = await deps.evidence.missing(cited);
        if (hash !== undefined)
          throw invalid(
            `evidence ${hash}${more.length > 0 ? ` (and ${more.length} more)` : ''} is neither stored nor among blobs`,
            { hash, missing: more.length + 1 },
          );
        const result = await store.commit(body.findings, body.evidence, {
          run: body.run,
          assets: body.assets,
          controls: body.controls,
        });
        await store.ack(run_id);
        void reply.code(result.replayed ? 200 : 201).header('location', `/runs/${run_id}`);
        return { result };
      },
    },
    {
      method: 'POST',
      url: '/plans',
      role: 'seg.operator',
      status: 201,
      summary:
        'Plan the remediation of a failing finding from the live config: steps, diff, blast radius, risk (200 with no steps when the asset already complies)',
      body: PlansBody,
      handler: async (request, reply, caller) => {
        const body = parse(PlansBody, request.body, 'body');
        const { remediation } = await desks(caller);
        const made = await remediation.plan(
          body.finding_id,
          body.settings ?? {},
          (key) => `give settings.${key}`,
        );
        if (made.preview === null) {
          void reply.code(200);
          return { plan: made.plan, preview: null, history: [] };
        }
        void reply.header('location', `/plans/${made.plan.id}`);
        return { plan: made.plan, preview: made.preview, history: made.history };
      },
    },
    {
      method: 'GET',
      url: '/plans/:id',
      role: 'seg.reader',
      status: 200,
      summary: 'A plan of the tenant, with its apply and rollback log',
      handler: async (request, _reply, caller) => {
        const id = idOf(request);
        const { remediation } = await desks(caller);
        const { record, history } = await orNotFound(`plan ${id}`, remediation.show(id));
        return { plan: record.plan, control_id: record.control_id, asset: record.asset, history };
      },
    },
    {
      method: 'POST',
      url: '/plans/:id/apply',
      role: 'seg.operator',
      status: 200,
      summary:
        'Apply a plan: a dry run (diff, blast radius, drift) unless dry_run is false, which needs seg.admin and every approval the plan requires',
      body: ApplyBody,
      handler: async (request, _reply, caller) => {
        const id = idOf(request);
        const body = parse(ApplyBody, request.body, 'body');
        if (!body.dry_run && !allows(caller!, 'seg.admin')) throw forbidden('seg.admin');
        const { remediation } = await desks(caller);
        if (body.dry_run) {
          const dry = await orNotFound(`plan ${id}`, remediation.dryRun(id));
          return { applied: false, plan: dry.plan, preview: dry.preview, drift: dry.drift };
        }
        return {
          applied: true,
          result: await orNotFound(`plan ${id}`, remediation.apply(id)),
        };
      },
    },
    {
      method: 'POST',
      url: '/plans/:id/approvals',
      role: 'seg.admin',
      status: 201,
      summary:
        "Record the caller's approval of a plan in a role (the approver is the token's subject; an approval names the exact plan by its digest)",
      body: ApprovalBody,
      handler: async (request, _reply, caller) => {
        const id = idOf(request);
        const body = parse(ApprovalBody, request.body, 'body');
        const { remediation } = await desks(caller);
        return {
          approval: await orNotFound(
            `plan ${id}`,
            remediation.approve(id, {
              approver: caller!.subject,
              role: body.role,
              justification: body.justification,
            }),
          ),
        };
      },
    },
    {
      method: 'POST',
      url: '/plans/:id/rollback',
      role: 'seg.admin',
      status: 200,
      summary: 'Roll back an applied plan: restore the pre-state captured before each step changed it',
      body: RollbackBody,
      handler: async (request, _reply, caller) => {
        const id = idOf(request);
        parse(RollbackBody, request.body, 'body');
        const { remediation } = await desks(caller);
        return { result: await orNotFound(`plan ${id}`, remediation.rollback(id)) };
      },
    },
    {
      method: 'POST',
      url: '/attestations',
      role: 'seg.admin',
      status: 201,
      summary:
        'Sign, publish and verify the attestation of a committed run (200 with the one it has when it is attested already)',
      body: AttestationsBody,
      handler: async (request, reply, caller) => {
        const body = parse(AttestationsBody, request.body, 'body');
        const { attestations } = await desks(caller);
        const made = await orNotFound(`run ${body.run_id}`, attestations.attest(body.run_id));
        void reply.code(made.created ? 201 : 200).header('location', `/attestations/${made.attestation.id}`);
        return made.created
          ? { attestation: made.attestation, publish: made.publish, verify: made.verify }
          : { attestation: made.attestation };
      },
    },
    {
      method: 'GET',
      url: '/attestations/:id',
      role: 'seg.reader',
      status: 200,
      summary: 'An attestation of the tenant, its DSSE envelope in signature',
      handler: async (request, _reply, caller) => {
        const id = idOf(request);
        const { attestations } = await desks(caller);
        return orNotFound(`attestation ${id}`, attestations.get(id));
      },
    },
  ];
}

/** Builds the API (not listening yet: `app.listen`, or `app.inject` in tests). */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: deps.body_limit ?? 1024 * 1024, return503OnClosing: true });
  const table = routes(deps);
  const limit = deps.rate_per_minute ?? 600;
  const windows = new Map<string, { start: number; count: number }>();
  app.setErrorHandler((error, _request, reply) => {
    // Fastify's own refusals (a body too large, bad JSON) keep their 4xx, in the §14 shape.
    const fastifyStatus = (error as { statusCode?: number }).statusCode;
    const seg =
      !isSegError(error) && fastifyStatus !== undefined && fastifyStatus >= 400 && fastifyStatus < 500
        ? new SegError({
            error_code: 'SEG_INVALID_ARGUMENT',
            message: fastifyStatus === 413 ? 'the request body is too large' : 'the request is malformed',
            retryable: false,
          })
        : error;
    const { status, body } = errorBody(seg);
    void reply.code(fastifyStatus === 413 ? 413 : status).send(body);
  });
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send(errorBody(notFound('such route')).body);
  });
  app.get('/openapi.json', async () => openApiDocument(table));
  for (const route of table) {
    app.route({
      method: route.method,
      url: route.url,
      ...(route.body_limit !== undefined ? { bodyLimit: route.body_limit } : {}),
      handler: async (request, reply) => {
        let caller: Caller | null = null;
        if (route.role !== null) {
          caller = await deps.authenticate(request.headers.authorization);
          const now = Date.now();
          const window = windows.get(caller.org_id);
          if (!window || now - window.start >= 60_000) windows.set(caller.org_id, { start: now, count: 1 });
          else if (++window.count > limit) {
            void reply.header('retry-after', String(Math.ceil((window.start + 60_000 - now) / 1000)));
            return reply.code(429).send(
              errorBody(
                new SegError({
                  error_code: 'SEG_ADAPTER_UNAVAILABLE',
                  message: 'rate limit reached',
                  retryable: true,
                }),
              ).body,
            );
          }
          if (!allows(caller, route.role)) throw forbidden(route.role);
        }
        reply.code(route.status);
        return route.handler(request, reply, caller);
      },
    });
  }
  // A method a path does not have is 405 with Allow, not 404 (HEAD comes with each GET).
  const declared = new Map<string, Set<string>>();
  for (const route of [...table, { method: 'GET', url: '/openapi.json' }])
    (declared.get(route.url) ?? declared.set(route.url, new Set()).get(route.url)!).add(route.method);
  for (const [url, methods] of declared) {
    const allow = [...methods, ...(methods.has('GET') ? ['HEAD'] : [])];
    const others = app.supportedMethods.filter((m) => !allow.includes(m));
    app.route({
      method: others,
      url,
      handler: async (_request, reply) => {
        void reply.code(405).header('allow', allow.join(', '));
        return errorBody(invalid(`this path takes ${allow.join(', ')}`)).body;
      },
    });
  }
  return app;
}
