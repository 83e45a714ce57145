import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { BucketConfigSchema, normalizedConfigSchemaFor, normalizedConfigSchemas } from './index.ts';

interface Vector {
  name: string;
  input: { asset?: { kind?: string }; config?: unknown };
  expected: { result: string };
}

const testsDir = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../bundles/cis-aws-foundations/tests',
);
const vectors = readdirSync(testsDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => {
    const file = JSON.parse(readFileSync(join(testsDir, f), 'utf8')) as {
      control_id: string;
      vectors: Vector[];
    };
    return file.vectors.map((v) => ({ id: `${file.control_id} / ${v.name}`, vector: v }));
  });
const withKind = vectors.filter((v) => typeof v.vector.input.asset?.kind === 'string');

// Error vectors whose config is schema-valid on purpose: the error comes from the rest of the input or
// from a rule the schema cannot express.
const semanticErrors = new Set([
  'cis-iam-access-key-rotation / error: max_age_days param is a string',
  'cis-iam-access-key-rotation / error: now missing',
  'cis-logging-kms-rotation / error: rotation unknown for a symmetric key',
  'cis-network-sg-no-admin-ingress / error: include_ipv6 param is not a boolean',
]);

describe('normalizedConfigSchemas', () => {
  it('lists each asset kind once, in kebab-case, at a semantic version', () => {
    const kinds = normalizedConfigSchemas.map((s) => s.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const entry of normalizedConfigSchemas) {
      expect(entry.kind).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(entry.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  it('exports every schema as JSON Schema for the registry', () => {
    for (const entry of normalizedConfigSchemas) {
      const json = z.toJSONSchema(entry.schema) as { type?: string; required?: string[] };
      expect(json.type).toBe('object');
      expect(json.required?.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('covers every asset kind the cis-aws-foundations vectors use', () => {
    expect(withKind.length).toBeGreaterThan(100);
    const missing = [...new Set(withKind.map((v) => v.vector.input.asset?.kind as string))].filter(
      (k) => normalizedConfigSchemaFor(k) === undefined,
    );
    expect(missing).toEqual([]);
  });

  describe('against the bundle vectors', () => {
    it.each(
      withKind.filter((v) => v.vector.expected.result !== 'error').map((v) => [v.id, v.vector] as const),
    )('accepts the config of %s', (_id, vector) => {
      const entry = normalizedConfigSchemaFor(vector.input.asset?.kind as string);
      const parsed = entry?.schema.safeParse(vector.input.config);
      expect(parsed?.error?.issues ?? []).toEqual([]);
      expect(parsed?.success).toBe(true);
    });

    it.each(
      withKind
        .filter((v) => v.vector.expected.result === 'error' && !semanticErrors.has(v.id))
        .map((v) => [v.id, v.vector] as const),
    )('rejects the malformed config of %s', (_id, vector) => {
      const entry = normalizedConfigSchemaFor(vector.input.asset?.kind as string);
      expect(entry?.schema.safeParse(vector.input.config).success).toBe(false);
    });

    it('keeps the schema-valid error vectors valid (the error is not in the config)', () => {
      const semantic = withKind.filter((v) => semanticErrors.has(v.id));
      expect(semantic.map((v) => v.id).sort()).toEqual([...semanticErrors].sort());
      for (const v of semantic)
        expect(
          normalizedConfigSchemaFor(v.vector.input.asset?.kind as string)?.schema.safeParse(
            v.vector.input.config,
          ).success,
        ).toBe(true);
    });
  });
});

describe('BucketConfigSchema', () => {
  const bucket = withKind.find((v) => v.id === 'cis-storage-versioning / pass: versioning enabled')?.vector
    .input.config;

  it('rejects an omitted setting, which must be null when the provider reports none', () => {
    const { logging: _logging, ...rest } = bucket as Record<string, unknown>;
    expect(BucketConfigSchema.safeParse(bucket).success).toBe(true);
    expect(BucketConfigSchema.safeParse(rest).success).toBe(false);
    expect(BucketConfigSchema.safeParse({ ...rest, logging: null }).success).toBe(true);
  });

  it('rejects a raw provider response shape', () => {
    const raw = { ...(bucket as Record<string, unknown>), versioning: { Status: 'Enabled' } };
    const result = BucketConfigSchema.safeParse(raw);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain('versioning.status');
  });
});
