// The API's own request schemas (bodies, queries, path ids): the handlers parse with them and the OpenAPI
// document is generated from them, so the document says exactly what the API accepts.
import { z } from 'zod';
import { ResultSchema, SeveritySchema } from '@neurocipher/seg-contracts';

/** Largest page of findings. */
export const PAGE_MAX = 500;
/** `POST /runs`: the scope (the caller's tenant only) and the controls, both optional. */
export const RunsBody = z
  .object({
    scope: z
      .object({ org_id: z.string().min(1) })
      .strict()
      .optional(),
    control_ids: z.array(z.string().min(1)).min(1).max(1_000).optional(),
  })
  .strict();
/** `GET /runs/{id}/findings`: filters and the page. */
export const FindingsQuery = z
  .object({
    control_id: z.string().min(1).optional(),
    severity: SeveritySchema.optional(),
    result: ResultSchema.optional(),
    limit: z.coerce.number().int().min(1).max(PAGE_MAX).default(100),
    cursor: z
      .string()
      .regex(/^\d{1,9}$/, 'must be a cursor this API gave')
      .optional(),
  })
  .strict();
/** A run id in a path. */
export const RunId = z.uuid();
