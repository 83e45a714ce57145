import assert from 'node:assert/strict';
import { expectSegError } from './assertions.ts';
import type { StandaloneCheck } from './conformance-check.ts';
import type { ProviderFault } from '../suite/capabilities.ts';

const CODES = { timeout: 'SEG_ADAPTER_TIMEOUT', unavailable: 'SEG_ADAPTER_UNAVAILABLE' } as const;

function faultCheck(fault: ProviderFault): StandaloneCheck {
  const code = CODES[fault];
  return {
    kind: 'standalone',
    id: `faults.${fault}`,
    capability: 'faults',
    requires: ['faults'],
    title: `maps a provider that ${fault === 'timeout' ? 'hangs' : 'cannot be reached'} to a retryable ${code}`,
    async run(kit) {
      assert.ok(
        kit.faulty !== undefined,
        "capability 'faults' is declared, but the options have no faulty()",
      );
      const s = await kit.faulty(fault);
      try {
        await expectSegError(
          s.inventory.list_assets(s.scope, [], null, { limit: 10 }),
          [code],
          `list_assets (${fault})`,
          {
            retryable: true,
          },
        );
        await expectSegError(
          s.inventory.search({ scope: s.scope, properties: {}, limit: 10 }),
          [code],
          `search (${fault})`,
          {
            retryable: true,
          },
        );
      } finally {
        await s.close();
      }
    },
  };
}

/** The `faults` suite: provider timeouts and outages become retryable SegErrors (spec §14, §17 chaos). */
export const FAULT_CHECKS: readonly StandaloneCheck[] = [faultCheck('timeout'), faultCheck('unavailable')];
