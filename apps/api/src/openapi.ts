// The OpenAPI 3.1 document of the API, generated from the route table and the contracts' zod schemas
// (JSON Schema 2020-12, as OpenAPI 3.1 takes it), so the document cannot drift from the code.
import { z } from 'zod';
// The contracts register their schemas (with ids) in zod's global registry when they load.
import '@neurocipher/seg-contracts';
import type { Route } from './app.ts';

// Every contract schema with an id (`.meta({ id })`), each nested one a $ref into the components, so the
// document holds each once.
function contractSchemas(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-2020-12',
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema]),
  );
}

// One request schema as JSON Schema 2020-12, as the handler parses it (its input side), all inline (an
// empty metadata registry, so no contract id becomes a $defs entry the document would not resolve).
function requestSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    metadata: z.registry<{ id?: string }>(),
  }) as Record<string, unknown>;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });

// The success body of each route, by method and URL.
const BODIES: Record<string, Record<string, unknown>> = {
  'GET /healthz': { type: 'object', properties: { status: { type: 'string' } } },
  'GET /readyz': { type: 'object', properties: { status: { type: 'string' }, checks: { type: 'object' } } },
  'POST /runs': ref('EvalResult'),
  'GET /runs': { type: 'object', properties: { runs: { type: 'array', items: ref('RunSummary') } } },
  'GET /runs/:id': {
    type: 'object',
    required: ['run_id', 'status'],
    properties: {
      run_id: { type: 'string', format: 'uuid' },
      status: { enum: ['queued', 'running', 'completed', 'failed'] },
      run: ref('RunSummary'),
      error: { oneOf: [ref('SegError'), { type: 'null' }] },
    },
  },
  'GET /runs/:id/findings': {
    type: 'object',
    properties: {
      findings: { type: 'array', items: ref('Finding') },
      next_cursor: { type: ['string', 'null'] },
    },
  },
  'GET /runs/:a/diff/:b': { type: 'object' },
  'POST /findings': {
    type: 'object',
    required: ['result'],
    properties: { result: ref('AppendResult') },
  },
  'POST /plans': {
    type: 'object',
    required: ['plan'],
    properties: {
      plan: ref('RemediationPlan'),
      preview: { type: ['object', 'null'] },
      history: { type: 'array', items: { type: 'object' } },
    },
  },
  'GET /plans/:id': {
    type: 'object',
    required: ['plan', 'control_id', 'asset', 'history'],
    properties: {
      plan: ref('RemediationPlan'),
      control_id: { type: 'string' },
      asset: { type: 'string' },
      history: { type: 'array', items: { type: 'object' } },
    },
  },
  'POST /plans/:id/apply': {
    type: 'object',
    required: ['applied'],
    properties: {
      applied: { type: 'boolean' },
      plan: ref('RemediationPlan'),
      preview: { type: 'object' },
      drift: { type: 'array', items: { type: 'object' } },
      result: ref('ApplyResult'),
    },
  },
  'POST /plans/:id/approvals': {
    type: 'object',
    required: ['approval'],
    properties: {
      approval: {
        type: 'object',
        required: ['approver', 'role', 'approved_at', 'justification', 'plan_digest'],
        properties: {
          approver: { type: 'string' },
          role: { type: 'string' },
          approved_at: { type: 'string' },
          justification: { type: ['string', 'null'] },
          plan_digest: { type: 'string' },
        },
      },
    },
  },
  'POST /plans/:id/rollback': {
    type: 'object',
    required: ['result'],
    properties: { result: ref('RollbackResult') },
  },
  'POST /attestations': {
    type: 'object',
    required: ['attestation'],
    properties: {
      attestation: ref('Attestation'),
      publish: ref('PublishReport'),
      verify: ref('VerifyReport'),
    },
  },
  'GET /attestations/:id': ref('Attestation'),
};

// The other successes a route documents besides its own status (same body unless given).
const ALSO: Record<string, Record<string, { description: string; body?: Record<string, unknown> }>> = {
  'POST /runs': {
    '202': {
      description: 'Queued; Location names the run',
      body: {
        type: 'object',
        properties: { run_id: { type: 'string', format: 'uuid' }, status: { type: 'string' } },
      },
    },
    '200': { description: 'The run ended within Prefer: wait=N', body: ref('EvalResult') },
  },
  'POST /findings': { '200': { description: 'The run was committed already: nothing new written' } },
  'POST /plans': { '200': { description: 'The asset already complies: a plan without steps, not recorded' } },
  'POST /attestations': { '200': { description: 'The run is attested already: its newest attestation' } },
};

// The routes whose successes name what they made in Location.
const LOCATED = new Set(['POST /runs', 'POST /findings', 'POST /plans', 'POST /attestations']);

/** The document served at `/openapi.json`. */
export function openApiDocument(routes: readonly Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([a-z]+)/g, '{$1}');
    const params = [...route.url.matchAll(/:([a-z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string', format: 'uuid' },
    }));
    const key = `${route.method} ${route.url}`;
    const location = LOCATED.has(key) ? { headers: { Location: { schema: { type: 'string' } } } } : {};
    const responses: Record<string, unknown> = {
      [String(route.status)]: {
        description: route.summary,
        ...location,
        content: json(BODIES[key] ?? { type: 'object' }),
      },
      default: { description: 'A §14 error', content: json(ref('SegError')) },
    };
    for (const [status, also] of Object.entries(ALSO[key] ?? {}))
      responses[status] = {
        description: also.description,
        ...location,
        content: json(also.body ?? BODIES[key] ?? { type: 'object' }),
      };
    const operation: Record<string, unknown> = {
      operationId: key.replace(/[^A-Za-z]+/g, '_').replace(/^_|_$/g, ''),
      summary: route.summary,
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(route.role !== null ? { security: [{ bearer: [] }], 'x-seg-role': route.role } : { security: [] }),
      responses,
    };
    if (route.body) operation['requestBody'] = { required: false, content: json(requestSchema(route.body)) };
    if (route.query) {
      const query = requestSchema(route.query) as { properties: Record<string, unknown> };
      operation['parameters'] = [
        ...params,
        ...Object.entries(query.properties).map(([name, schema]) => ({
          name,
          in: 'query',
          required: false,
          schema,
        })),
      ];
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'SEG API',
      version: '0.1.0',
      description: 'The Neurocipher Security Engine (spec SEG-001 §10)',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: contractSchemas(),
    },
  };
}
