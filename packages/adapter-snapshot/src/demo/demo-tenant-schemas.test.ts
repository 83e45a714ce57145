import { describe, expect, it } from '@jest/globals';
import { normalizedConfigSchemaFor } from '@neurocipher/seg-contracts';
import { DEMO_KINDS, generateDemoTenant } from './demo-tenant.ts';

describe('generateDemoTenant configs', () => {
  it('are valid under the normalized config schema of their kind, at its version, misconfigured or not', () => {
    const seen = new Set<string>();
    for (const rate of [0, 0.15, 1]) {
      for (const record of generateDemoTenant({
        assets: 3_000,
        misconfiguration_rate: rate,
        seed: `schemas-${rate}`,
      })) {
        const normalized = normalizedConfigSchemaFor(record.asset.kind);
        expect(normalized).toBeDefined();
        for (const config of record.configs) {
          const parsed = normalized!.schema.safeParse(config.body);
          if (!parsed.success) {
            throw new Error(`${record.asset.ref.urn}: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`);
          }
          expect(config.schema_version).toBe(normalized!.version);
        }
        seen.add(record.asset.kind);
      }
    }
    expect([...seen].sort()).toEqual([...DEMO_KINDS].sort());
  });
});
