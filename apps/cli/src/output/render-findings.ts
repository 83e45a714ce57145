import type { Result, Severity } from '@neurocipher/seg-contracts';
import { toCsv, toOcsf, toSarif } from '@neurocipher/seg-reports';
import type { ReportInput } from '@neurocipher/seg-reports';
import { terminalText } from './terminal-text.ts';

/** The text formats `seg scan` and `seg findings` print. */
export type FindingsFormat = 'summary' | 'table' | 'json' | 'csv' | 'sarif' | 'ocsf';

const RESULTS: readonly Result[] = ['fail', 'warn', 'error', 'pass', 'not_applicable'];
const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

// One cell of the table: whitespace runs flattened, control characters escaped, cut to `width`.
function cut(text: string, width: number): string {
  const flat = terminalText(text.replace(/\s+/g, ' '));
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat.padEnd(width);
}

/**
 * The run summary: counts by result and by severity of failing findings, and the top failing controls.
 * Data (ids, titles) is printed through `terminalText`: control characters escaped, one line each.
 */
export function renderSummary(input: ReportInput): string {
  const lines: string[] = [];
  if (input.run) lines.push(`run: ${input.run.run_id} (tenant ${input.run.scope.org_id})`);
  const assets = new Set(input.findings.map((f) => f.asset.urn)).size;
  lines.push(
    `findings: ${input.findings.length} over ${assets} assets and ${input.controls.length} controls`,
  );
  const byResult = RESULTS.map((r) => `${r} ${input.findings.filter((f) => f.result === r).length}`);
  lines.push(`by result: ${byResult.join(', ')}`);
  const failing = input.findings.filter((f) => f.result === 'fail');
  const bySeverity = SEVERITIES.map((s) => `${s} ${failing.filter((f) => f.severity === s).length}`);
  lines.push(`failing by severity: ${bySeverity.join(', ')}`);
  const perControl = new Map<string, number>();
  for (const f of failing) perControl.set(f.control_id, (perControl.get(f.control_id) ?? 0) + 1);
  const top = [...perControl].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
  if (top.length > 0) {
    lines.push('top failing controls:');
    const titles = new Map(input.controls.map((c) => [c.id, c.title]));
    for (const [id, n] of top)
      lines.push(`  ${String(n).padStart(6)}  ${id}  ${titles.get(id) ?? ''}`.trimEnd());
  }
  return lines.map(terminalText).join('\n') + '\n';
}

/** A fixed-width table of the findings, most severe first; cells flattened to one line, controls escaped. */
export function renderTable(input: ReportInput): string {
  const rank = new Map(SEVERITIES.map((s, i) => [s, i]));
  const rows = [...input.findings].sort(
    (a, b) =>
      (rank.get(a.severity) ?? 9) - (rank.get(b.severity) ?? 9) ||
      (a.control_id < b.control_id ? -1 : a.control_id > b.control_id ? 1 : 0) ||
      (a.asset.urn < b.asset.urn ? -1 : 1),
  );
  const header = `${'SEVERITY'.padEnd(9)} ${'RESULT'.padEnd(14)} ${'CONTROL'.padEnd(38)} ${'ASSET'.padEnd(60)} MESSAGE`;
  const body = rows.map(
    (f) =>
      `${cut(f.severity, 9)} ${cut(f.result, 14)} ${cut(f.control_id, 38)} ${cut(f.asset.urn, 60)} ${cut(f.message, 80).trimEnd()}`,
  );
  return [header, ...body].join('\n') + '\n';
}

/**
 * Renders findings in `format` (JSON formats pretty-printed, one document). The human formats (summary,
 * table) escape control characters of the data; the machine formats keep it exact.
 */
export function renderFindings(format: FindingsFormat, input: ReportInput): string {
  switch (format) {
    case 'summary':
      return renderSummary(input);
    case 'table':
      return renderTable(input);
    case 'json':
      return JSON.stringify({ run: input.run ?? null, findings: input.findings }, null, 2) + '\n';
    case 'csv':
      return toCsv(input);
    case 'sarif':
      return JSON.stringify(toSarif(input), null, 2) + '\n';
    case 'ocsf':
      return JSON.stringify(toOcsf(input), null, 2) + '\n';
  }
}
