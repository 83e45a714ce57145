import { z } from 'zod';
import type { RegisteredSchema } from './contract-schemas.ts';

/** The `$id` of a registry schema: a URN naming the contract and its version. */
export function registrySchemaId(name: string, version: string): string {
  return `urn:neurocipher:seg:schema:${name}:${version}`;
}

/**
 * The JSON Schema (draft 2020-12) of one registry entry, as documents on the wire are validated:
 * fields with defaults are optional. Deterministic, so the committed files can be compared with a
 * fresh generation.
 */
export function registryJsonSchema(entry: RegisteredSchema): Record<string, unknown> {
  const generated = z.toJSONSchema(entry.schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'throw',
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: registrySchemaId(entry.name, entry.version),
    title: entry.name,
    'x-seg-version': entry.version,
    ...rest,
  };
}
