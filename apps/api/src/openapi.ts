// The OpenAPI 3.1 document of the API, generated from the route table and the contracts' zod schemas
// (JSON Schema 2020-12, as OpenAPI 3.1 takes it), so the document cannot drift from the code.
import { z } from 'zod';
// The contracts register their schemas (with ids) in zod's global registry when they load.
import '@neurocipher/seg-contracts';
import { FindingsQuery, RunsBody } from './api-schemas.ts';
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
};

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
    const responses: Record<string, unknown> = {
      [String(route.status)]: {
        description: route.summary,
        content: json(BODIES[key] ?? { type: 'object' }),
      },
      default: { description: 'A §14 error', content: json(ref('SegError')) },
    };
    if (key === 'POST /runs') {
      responses['202'] = {
        description: 'Queued; Location names the run',
        headers: { Location: { schema: { type: 'string' } } },
        content: json({
          type: 'object',
          properties: { run_id: { type: 'string', format: 'uuid' }, status: { type: 'string' } },
        }),
      };
      responses['200'] = {
        description: 'The run ended within Prefer: wait=N',
        content: json(ref('EvalResult')),
      };
    }
    const operation: Record<string, unknown> = {
      operationId: key.replace(/[^A-Za-z]+/g, '_').replace(/^_|_$/g, ''),
      summary: route.summary,
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(route.role !== null ? { security: [{ bearer: [] }], 'x-seg-role': route.role } : { security: [] }),
      responses,
    };
    if (key === 'POST /runs')
      operation['requestBody'] = { required: false, content: json(requestSchema(RunsBody)) };
    if (key === 'GET /runs/:id/findings') {
      const query = requestSchema(FindingsQuery) as { properties: Record<string, unknown> };
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
