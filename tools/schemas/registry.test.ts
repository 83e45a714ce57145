import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import {
  REGISTRY_DIR,
  checkCompatibility,
  checkRegistry,
  compareVersions,
  readCommitted,
  registryEntries,
  renderJson,
  renderRegistry,
} from './registry.ts';
import { registryJsonSchema } from '@neurocipher/seg-contracts';

function version(v: string, schema: z.ZodType, examples: unknown[]) {
  return { version: v, schema: registryJsonSchema({ name: 'widget', version: v, schema }), examples };
}

describe('schema registry', () => {
  it('has committed schemas equal to a fresh generation, and N-1 compatible', () => {
    expect(checkRegistry(REGISTRY_DIR, registryEntries())).toEqual([]);
  });

  it('has example documents for every schema, so the N-1 check has something to check', () => {
    expect(
      registryEntries()
        .filter((e) => e.examples.length === 0)
        .map((e) => e.name),
    ).toEqual([]);
  });

  it('covers every registered contract', () => {
    const committed = readCommitted(REGISTRY_DIR);
    for (const entry of registryEntries()) {
      expect(committed.get(entry.name)?.map((v) => v.version)).toContain(entry.version);
    }
  });

  describe('#checkCompatibility', () => {
    const v1 = z.object({ name: z.string(), size: z.number().optional() });
    it('accepts a compatible change (a new optional field)', () => {
      const v2 = v1.extend({ colour: z.string().optional() });
      expect(
        checkCompatibility('widget', [
          version('1.0.0', v1, [{ name: 'a' }]),
          version('1.1.0', v2, [{ name: 'b', colour: 'red' }]),
        ]),
      ).toEqual([]);
    });
    it('fails a breaking change (a new required field): N-1 examples no longer validate', () => {
      const v2 = v1.extend({ colour: z.string() });
      const problems = checkCompatibility('widget', [
        version('1.0.0', v1, [{ name: 'a' }]),
        version('2.0.0', v2, [{ name: 'b', colour: 'red' }]),
      ]);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/example 0 of 1.0.0 is invalid under 2.0.0: .*colour/);
    });
    it('fails a narrowed type', () => {
      const v2 = z.object({ name: z.string(), size: z.number().int().optional() });
      expect(
        checkCompatibility('widget', [
          version('1.0.0', v1, [{ name: 'a', size: 1.5 }]),
          version('1.0.1', v2, []),
        ]),
      ).toHaveLength(1);
    });
    it('fails an example that does not match its own version', () => {
      expect(checkCompatibility('widget', [version('1.0.0', v1, [{ size: 1 }])])).toHaveLength(1);
    });
  });

  describe('#checkRegistry', () => {
    const entries = [
      { name: 'widget', version: '1.1.0', schema: z.object({ name: z.string() }), examples: [{ name: 'x' }] },
    ];
    function registryWith(files: Record<string, unknown>): string {
      const dir = mkdtempSync(join(tmpdir(), 'seg-registry-'));
      for (const [path, value] of Object.entries(files)) {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), typeof value === 'string' ? value : renderJson(value));
      }
      return dir;
    }
    const generated = Object.fromEntries(renderRegistry(entries));

    it('passes when the committed files are the generated ones', () => {
      expect(checkRegistry(registryWith(generated), entries)).toEqual([]);
    });
    it('reports a schema changed in code but not regenerated', () => {
      const changed = [{ ...entries[0]!, schema: z.object({ name: z.string(), extra: z.number() }) }];
      expect(checkRegistry(registryWith(generated), changed)).toEqual([
        expect.stringMatching(/widget\/1.1.0.json: differs/),
      ]);
    });
    it('reports a missing schema file', () => {
      expect(checkRegistry(registryWith({}), entries)).toEqual(
        expect.arrayContaining([expect.stringMatching(/widget\/1.1.0.json: missing/)]),
      );
    });
    it('reports a committed contract that the code no longer has', () => {
      const dir = registryWith({ ...generated, 'gadget/1.0.0.json': { type: 'object' } });
      expect(checkRegistry(dir, entries)).toEqual([
        expect.stringMatching(/gadget: committed but no longer generated/),
      ]);
    });
    it('reads the frozen N-1 version and fails when the new version breaks its examples', () => {
      const old = { name: 'widget', version: '1.0.0', schema: z.object({ name: z.string() }) };
      const dir = registryWith({
        ...generated,
        'widget/1.0.0.json': registryJsonSchema(old),
        'widget/1.0.0.examples.json': [{ name: 'x' }, { name: 'y', legacy: true }],
      });
      expect(checkRegistry(dir, entries)).toEqual([]);
      const breaking = [
        {
          ...entries[0]!,
          schema: z.object({ name: z.string(), id: z.string() }),
          examples: [{ name: 'x', id: '1' }],
        },
      ];
      const dir2 = registryWith({
        ...Object.fromEntries(renderRegistry(breaking)),
        'widget/1.0.0.json': registryJsonSchema(old),
        'widget/1.0.0.examples.json': [{ name: 'x' }],
      });
      expect(checkRegistry(dir2, breaking)).toEqual([
        expect.stringMatching(/example 0 of 1.0.0 is invalid under 1.1.0/),
      ]);
    });
  });

  it('orders versions numerically', () => {
    expect(['1.10.0', '1.2.0', '0.9.9'].sort(compareVersions)).toEqual(['0.9.9', '1.2.0', '1.10.0']);
  });
});
