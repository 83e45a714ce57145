import type { AdapterConformanceOptions, OptionalCapability } from './capabilities.ts';
import type { ConformanceReport } from './conformance-report.ts';
import { executeCheck, planConformance, writeConformanceReport } from './conformance-plan.ts';
import type { AnyConformanceOptions } from './conformance-plan.ts';

/**
 * Runs the whole kit for one adapter without registering Jest tests, one check after another, and
 * returns the report (a failed check is recorded, not thrown). For runners other than Jest, and for
 * checking the kit itself against adapters that are broken on purpose.
 */
export async function runConformance<const C extends OptionalCapability = never>(
  options: AdapterConformanceOptions<C>,
): Promise<ConformanceReport> {
  const erased = options as unknown as AnyConformanceOptions;
  const { report, checks } = planConformance(erased);
  for (const planned of checks) {
    if (planned.missing.length > 0) continue;
    try {
      await executeCheck(planned, erased);
    } catch {
      // Recorded in the report.
    }
  }
  if (options.reportFile !== undefined) await writeConformanceReport(options.reportFile, report);
  return report;
}
