import type { ReportInput } from './report-context.ts';

/** Column order of {@link toCsv}. */
export const CSV_COLUMNS = [
  'finding_id',
  'run_id',
  'control_id',
  'control_version',
  'control_title',
  'severity',
  'result',
  'asset_urn',
  'asset_name',
  'asset_kind',
  'message',
  'fingerprint',
  'created_at',
  'updated_at',
  'evidence_sha256',
] as const;

// A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading apostrophe
// (OWASP CSV injection guidance): findings quote cloud resource names an attacker may choose.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell per RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * Findings as RFC 4180 CSV with a header row ({@link CSV_COLUMNS}), CRLF line ends, one row per finding
 * in input order; evidence hashes joined by `;`. Cells that would start a spreadsheet formula are
 * prefixed with `'`. Pure; same input, same output.
 */
export function toCsv(input: ReportInput): string {
  const controls = new Map(input.controls.map((c) => [c.id, c]));
  const lines = [CSV_COLUMNS.join(',')];
  for (const f of input.findings) {
    const asset = input.assets?.get(f.asset.urn);
    const row = [
      f.id,
      input.run?.run_id ?? '',
      f.control_id,
      f.control_version,
      controls.get(f.control_id)?.title ?? '',
      f.severity,
      f.result,
      f.asset.urn,
      asset?.name ?? '',
      asset?.kind ?? '',
      f.message,
      f.fingerprint,
      f.created_at,
      f.updated_at,
      f.evidence.map((e) => e.hash).join(';'),
    ];
    lines.push(row.map(csvCell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
