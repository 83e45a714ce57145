import { SegError, normalizedConfigSchemaFor } from '@neurocipher/seg-contracts';

/**
 * Checks a normalized body against the contracts' schema of its kind (`normalizedConfigSchemaFor`);
 * `SEG_SCHEMA_VIOLATION` listing the offending paths when it does not conform, or when the kind has none.
 */
export function validateNormalizedBody(kind: string, body: Record<string, unknown>): void {
  const entry = normalizedConfigSchemaFor(kind);
  if (!entry) {
    throw new SegError({
      error_code: 'SEG_SCHEMA_VIOLATION',
      message: `no normalized schema for kind ${kind}`,
      details: { kind },
    });
  }
  const r = entry.schema.safeParse(body);
  if (!r.success) {
    throw new SegError({
      error_code: 'SEG_SCHEMA_VIOLATION',
      message: `normalized ${kind} config does not match its schema`,
      details: { kind, issues: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
    });
  }
}
