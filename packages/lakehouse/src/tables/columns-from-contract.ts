// Derives flat Iceberg columns from a contract's JSON Schema (generated from its zod schema). Nested
// objects with fixed properties are flattened (`asset.urn` → `asset_urn`); lists, maps and free-form
// values become canonical JSON strings, so every engine reads them without nested-type support.
import type { IcebergType } from '../iceberg/schema.ts';

/** One column derived from a contract. */
export interface ContractColumn {
  /** Column name (`asset_urn`). */
  name: string;
  /** Property path in the contract object (`['asset', 'urn']`). */
  path: string[];
  type: IcebergType;
  required: boolean;
  /** The value is stored as canonical JSON text (RFC 8785). */
  json: boolean;
  doc?: string;
}

type Json = Record<string, unknown>;

function resolve(node: Json, root: Json): Json {
  let n = node;
  while (typeof n.$ref === 'string') {
    const ref = n.$ref;
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((acc, key) => (acc as Json)[key], root) as Json;
    const { $ref: _drop, ...rest } = n;
    n = { ...target, ...rest };
  }
  return n;
}

function unwrapNullable(node: Json, root: Json): { node: Json; nullable: boolean } {
  const n = resolve(node, root);
  if (Array.isArray(n.anyOf)) {
    const branches = (n.anyOf as Json[]).map((b) => resolve(b, root));
    const nonNull = branches.filter((b) => b.type !== 'null');
    if (nonNull.length === 1 && branches.length === 2) return { node: nonNull[0] as Json, nullable: true };
    return { node: n, nullable: branches.length !== nonNull.length };
  }
  if (Array.isArray(n.type)) {
    const types = (n.type as string[]).filter((t) => t !== 'null');
    if (types.length === 1)
      return { node: { ...n, type: types[0] }, nullable: types.length !== n.type.length };
  }
  return { node: n, nullable: false };
}

function scalarType(n: Json): IcebergType | undefined {
  switch (n.type) {
    case 'string':
      return n.format === 'date-time' ? 'timestamptz' : 'string';
    case 'integer':
      return 'long';
    case 'number':
      return 'double';
    case 'boolean':
      return 'boolean';
    default:
      return undefined;
  }
}

function walk(node: Json, root: Json, path: string[], required: boolean, out: ContractColumn[]): void {
  const props = node.properties as Record<string, Json> | undefined;
  const requiredKeys = new Set((node.required as string[] | undefined) ?? []);
  for (const [key, raw] of Object.entries(props ?? {})) {
    const { node: n, nullable } = unwrapNullable(raw, root);
    const isRequired = required && requiredKeys.has(key) && !nullable && !('default' in raw);
    const p = [...path, key];
    const doc = typeof raw.description === 'string' ? raw.description : undefined;
    if (n.type === 'object' && n.properties && !n.additionalProperties) {
      walk(n, root, p, isRequired, out);
      continue;
    }
    const type = scalarType(n);
    out.push({
      name: p.join('_'),
      path: p,
      type: type ?? 'string',
      required: isRequired,
      json: type === undefined,
      ...(doc !== undefined ? { doc } : {}),
    });
  }
}

/** The flat columns of a contract object schema (a JSON Schema document, `$ref`s into `$defs` allowed). */
export function columnsFromContract(jsonSchema: Record<string, unknown>): ContractColumn[] {
  const root = resolve(jsonSchema, jsonSchema);
  if (root.type !== 'object') throw new Error('a table contract must be an object schema');
  const out: ContractColumn[] = [];
  walk(root, jsonSchema, [], true, out);
  return out;
}
