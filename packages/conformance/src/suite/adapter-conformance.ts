import { afterAll, describe, it } from '@jest/globals';
import { CAPABILITIES } from './capabilities.ts';
import type { AdapterConformanceOptions, OptionalCapability } from './capabilities.ts';
import type { ConformanceReport } from './conformance-report.ts';
import { executeCheck, planConformance, writeConformanceReport } from './conformance-plan.ts';
import type { AnyConformanceOptions } from './conformance-plan.ts';

/**
 * Registers the SEG adapter conformance suite (spec §17, DESIGN.md §10) for one adapter, as Jest tests.
 * Call it at the top level of a test file.
 *
 * The inventory checks always run: paging with stable cursors, kinds, scope and `since` filters, search,
 * `get_config`, and the SegErrors of bad cursors, unknown refs and bad arguments. Each capability the
 * adapter declares (`history`, `mutation`, `remediation`, `evidence`, `faults`) adds its checks; the
 * checks of an undeclared capability register no test and are marked `not declared` in the report (and
 * its `reportFile`), never passed. `setup` runs before every subject check and the
 * subject's `close` after it.
 *
 * Returns the report, filled in as the checks run (read it from a later test, or set `reportFile`).
 */
export function describeAdapterConformance<const C extends OptionalCapability = never>(
  options: AdapterConformanceOptions<C>,
): ConformanceReport {
  const erased = options as unknown as AnyConformanceOptions;
  const { report, checks } = planConformance(erased);
  const timeout = options.timeoutMs ?? 60_000;
  describe(`adapter conformance: ${options.name}`, () => {
    for (const capability of CAPABILITIES) {
      const runnable = checks.filter((p) => p.check.capability === capability && p.missing.length === 0);
      if (runnable.length === 0) continue;
      describe(capability, () => {
        for (const planned of runnable) it(planned.check.title, () => executeCheck(planned, erased), timeout);
      });
    }
    if (options.reportFile !== undefined) {
      const path = options.reportFile;
      afterAll(() => writeConformanceReport(path, report));
    }
  });
  return report;
}
