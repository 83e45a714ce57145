import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EVIDENCE_CHECKS } from '../checks/evidence-checks.ts';
import { FAULT_CHECKS } from '../checks/fault-checks.ts';
import { HISTORY_CHECKS } from '../checks/history-checks.ts';
import { INVENTORY_CHECKS } from '../checks/inventory-checks.ts';
import { MUTATION_CHECKS } from '../checks/mutation-checks.ts';
import { REMEDIATION_CHECKS } from '../checks/remediation-checks.ts';
import type { AnySubject, ConformanceCheck } from '../checks/conformance-check.ts';
import { CAPABILITIES } from './capabilities.ts';
import type { AdapterConformanceOptions, Capability, OptionalCapability } from './capabilities.ts';
import type { CheckResult, ConformanceReport } from './conformance-report.ts';

/** Every check of the kit, in report order (by capability). */
export const CONFORMANCE_CHECKS: readonly ConformanceCheck[] = [
  ...INVENTORY_CHECKS,
  ...HISTORY_CHECKS,
  ...MUTATION_CHECKS,
  ...REMEDIATION_CHECKS,
  ...EVIDENCE_CHECKS,
  ...FAULT_CHECKS,
];

/** The kit's options with the capability type erased, as the runners use them. */
export type AnyConformanceOptions = Omit<
  AdapterConformanceOptions<OptionalCapability>,
  'setup' | 'capabilities'
> & {
  capabilities: readonly string[];
  setup(): Promise<AnySubject>;
};

/** One check with what it needs and whether it may run. */
export interface PlannedCheck {
  check: ConformanceCheck;
  /** Undeclared capabilities the check needs; empty when it runs. */
  missing: Capability[];
  /** Its entry in the report, updated as it runs. */
  result: CheckResult;
}

/**
 * Validates the declared capabilities and builds the report skeleton: declared checks `not run` (until
 * they run), the others `not declared`.
 */
export function planConformance(options: AnyConformanceOptions): {
  report: ConformanceReport;
  checks: PlannedCheck[];
} {
  const unknown = options.capabilities.filter(
    (c) => c === 'inventory' || !CAPABILITIES.includes(c as Capability),
  );
  if (unknown.length > 0) {
    throw new Error(
      `unknown capabilities [${unknown.join(', ')}]: declare any of ${CAPABILITIES.filter((c) => c !== 'inventory').join(', ')} (inventory is always checked)`,
    );
  }
  const declared = new Set<Capability>(['inventory', ...(options.capabilities as OptionalCapability[])]);
  const capabilities = Object.fromEntries(
    CAPABILITIES.map((c) => [c, declared.has(c) ? 'declared' : 'not declared']),
  ) as ConformanceReport['capabilities'];
  const checks = CONFORMANCE_CHECKS.map((check): PlannedCheck => {
    const missing = check.requires.filter((c) => !declared.has(c));
    const result: CheckResult = {
      id: check.id,
      capability: check.capability,
      title: check.title,
      status: missing.length === 0 ? 'not run' : 'not declared',
      ...(missing.length === 0 ? {} : { missing: [...missing] }),
    };
    return { check, missing, result };
  });
  return { report: { adapter: options.name, capabilities, checks: checks.map((c) => c.result) }, checks };
}

/**
 * Runs one declared check: a fresh subject from `setup` (closed afterwards, even on failure) for subject
 * checks, the `faulty` hook for standalone ones. Records the outcome in the report and rethrows a failure.
 */
export async function executeCheck(planned: PlannedCheck, options: AnyConformanceOptions): Promise<void> {
  const started = performance.now();
  try {
    if (planned.check.kind === 'subject') {
      const subject = await options.setup();
      try {
        await planned.check.run(subject);
      } finally {
        await subject.close();
      }
    } else {
      await planned.check.run(options.faulty === undefined ? {} : { faulty: options.faulty });
    }
    planned.result.status = 'passed';
  } catch (error) {
    planned.result.status = 'failed';
    planned.result.error = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    throw error;
  } finally {
    planned.result.duration_ms = Math.round(performance.now() - started);
  }
}

/** Writes the report as JSON (creating the directory). */
export async function writeConformanceReport(path: string, report: ConformanceReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
}
