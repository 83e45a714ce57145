import type { Capability } from './capabilities.ts';
import { CAPABILITIES } from './capabilities.ts';

/**
 * Outcome of one check: `passed`, `failed`, `not declared` (its capability was not declared, so it did not
 * run and proves nothing), or `not run` (declared, but the run ended or was filtered before it).
 */
export type CheckStatus = 'passed' | 'failed' | 'not declared' | 'not run';

/** One check of the kit and its outcome. */
export interface CheckResult {
  /** Stable id, such as `inventory.paging`. */
  id: string;
  /** The capability whose suite the check belongs to. */
  capability: Capability;
  /** What the check proves. */
  title: string;
  /** Outcome. */
  status: CheckStatus;
  /** Undeclared capabilities the check needs (when `not declared`). */
  missing?: Capability[];
  /** First line of the failure (when `failed`). */
  error?: string;
  /** Wall time of setup, check and close (when run). */
  duration_ms?: number;
}

/** The kit's report for one adapter: what was declared and how every check ended. */
export interface ConformanceReport {
  /** The adapter's name, as given to the kit. */
  adapter: string;
  /** Every capability, `declared` or `not declared`. */
  capabilities: Record<Capability, 'declared' | 'not declared'>;
  /** Every check of the kit, in order, whether it ran or not. */
  checks: CheckResult[];
}

/** Whether every check of a declared capability passed (a report with any `failed` or `not run` is not). */
export function conformancePassed(report: ConformanceReport): boolean {
  return report.checks.every((c) => c.status === 'passed' || c.status === 'not declared');
}

/**
 * The report as plain text, one line per capability (`declared`, passed count, `not declared`) and one
 * per failed check, for logs and CI summaries.
 */
export function formatConformanceReport(report: ConformanceReport): string {
  const lines = [`adapter conformance: ${report.adapter}`];
  for (const capability of CAPABILITIES) {
    const checks = report.checks.filter((c) => c.capability === capability);
    const ran = checks.filter((c) => c.status !== 'not declared');
    const passed = ran.filter((c) => c.status === 'passed').length;
    const declared = report.capabilities[capability];
    const counts = ran.length === 0 ? '' : ` ${passed}/${ran.length} passed`;
    const skipped = checks.length - ran.length;
    const extra = declared === 'declared' && skipped > 0 ? `, ${skipped} not declared` : '';
    lines.push(`  ${capability.padEnd(12)} ${declared}${counts}${extra}`);
    for (const c of checks) {
      if (c.status === 'failed' || c.status === 'not run')
        lines.push(`    ${c.status}: ${c.id} ${c.error ?? ''}`.trimEnd());
    }
  }
  return lines.join('\n');
}
