import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { SegError, contractExamples, contractSchemas, makeParser, registryJsonSchema } from '../index.ts';

/** Names of the keys a JSON Schema object requires, following one `$ref` into `$defs`. */
function requiredKeys(entry: (typeof contractSchemas)[number]): string[] {
  const json = registryJsonSchema(entry) as {
    $ref?: string;
    $defs?: Record<string, { required?: string[] }>;
    required?: string[];
  };
  const target = json.$ref ? json.$defs?.[json.$ref.replace('#/$defs/', '')] : json;
  return target?.required ?? [];
}

describe('contractSchemas', () => {
  it('names every contract once, in kebab-case, at a semantic version', () => {
    const names = contractSchemas.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of contractSchemas) {
      expect(entry.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(entry.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  describe.each(contractSchemas.map((c) => [c.name, c] as const))('%s', (name, entry) => {
    const parse = makeParser(name, entry.schema);
    const examples = contractExamples[name] ?? [];

    it('has at least one valid example, and each parses', () => {
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) expect(() => parse(example)).not.toThrow();
    });

    it('rejects each example with any required field removed, naming that field', () => {
      const required = requiredKeys(entry);
      for (const example of examples) {
        if (typeof example !== 'object' || example === null) continue;
        for (const key of required) {
          const broken: Record<string, unknown> = { ...(example as Record<string, unknown>) };
          delete broken[key];
          let error: unknown;
          try {
            parse(broken);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(SegError);
          expect((error as SegError).error_code).toBe('SEG_SCHEMA_VIOLATION');
          expect((error as SegError).details['paths']).toContain(key);
        }
      }
    });

    it('rejects a document that is not an object', () => {
      expect(() => parse('not a document')).toThrow(SegError);
      expect(() => parse(null)).toThrow(SegError);
    });

    it('generates a draft 2020-12 JSON Schema with a versioned $id', () => {
      const json = registryJsonSchema(entry);
      expect(json['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(json['$id']).toBe(`urn:neurocipher:seg:schema:${name}:${entry.version}`);
    });
  });

  it('has no example for a contract that is not registered', () => {
    const names = new Set(contractSchemas.map((c) => c.name));
    expect(Object.keys(contractExamples).filter((n) => !names.has(n))).toEqual([]);
  });

  it('refuses to generate a JSON Schema for a type JSON cannot represent', () => {
    expect(() => registryJsonSchema({ name: 'bad', version: '1.0.0', schema: z.bigint() })).toThrow();
  });
});
