// The SEG API (spec §10): a route table, each route with the least role it needs; every read and write
// scoped to the caller's tenant (another tenant's run is a 404, never a 403); §14 errors with a fixed
// HTTP status, no stack, path or secret; body size limits and a per-tenant rate limit.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import type { EvalResult, Finding, SegErrorCode } from '@neurocipher/seg-contracts';
import type { JobQueue } from '@neurocipher/seg-ports';
import { RUN_JOB_TYPE } from '@neurocipher/seg-runtime';
import type { Lakehouse, RunJob } from '@neurocipher/seg-runtime';
import { allows } from './auth.ts';
import type { Authenticator, Caller, Role } from './auth.ts';
import { FindingsQuery, RunId, RunsBody } from './api-schemas.ts';
import { openApiDocument } from './openapi.ts';

/** What the API works with. */
export interface ApiDeps {
  authenticate: Authenticator;
  queue: JobQueue;
  /** The finding store the runs are read from. */
  store: Lakehouse['store'];
  /** Whether the catalog, the blob store and the queue answer (each check throws when not). */
  ready(): Promise<Record<string, boolean>>;
  /** Requests per tenant per minute (default 600). */
  rate_per_minute?: number | undefined;
  /** Largest request body, bytes (default 1 MiB). */
  body_limit?: number | undefined;
}

/** One route: what it needs, how it is called, what it answers. */
export interface Route {
  method: 'GET' | 'POST';
  url: string;
  /** The least role it needs, or null for an open route. */
  role: Role | null;
  summary: string;
  /** Status of a success. */
  status: number;
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

/** The routes of the API (the authz matrix test is generated from this table). */
export function routes(deps: ApiDeps): Route[] {
  const { store, queue } = deps;
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
          if (!allows(caller, route.role))
            throw new SegError({
              error_code: 'SEG_INVALID_ARGUMENT',
              message: `this needs the role ${route.role}`,
              details: { status: 403 },
              retryable: false,
            });
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
