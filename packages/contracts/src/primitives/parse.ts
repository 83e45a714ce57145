import type { z } from 'zod';
import { SegError } from '../errors/seg-error.ts';

/** One offending location reported by a failed parse. */
export interface SchemaIssue {
  /** Dotted path into the document (`asset.urn`, `findings.3.severity`); empty for the root. */
  path: string;
  code: string;
  message: string;
}

/**
 * Builds the `parse<Model>` function of a schema: returns the parsed value or throws
 * `SegError('SEG_SCHEMA_VIOLATION')` whose details list every offending path.
 */
export function makeParser<S extends z.ZodType>(name: string, schema: S): (value: unknown) => z.output<S> {
  return (value: unknown) => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issues: SchemaIssue[] = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      code: issue.code,
      message: issue.message,
    }));
    throw new SegError({
      error_code: 'SEG_SCHEMA_VIOLATION',
      message: `${name} failed validation at ${issues.map((i) => i.path || '(root)').join(', ')}`,
      details: { schema: name, paths: issues.map((i) => i.path), issues },
    });
  };
}
