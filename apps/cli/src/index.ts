// Public surface of @neurocipher/seg-cli used by tools (demo, benchmarks) and tests: the CLI entry point
// (run in-process with injected streams) and the output formats.
export { CLI_VERSION, runCli } from './cli/run-cli.ts';
export type { CliIo } from './cli/io.ts';
export { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './cli/exit-codes.ts';
export { CSV_COLUMNS, csvCell, toCsv } from './output/csv.ts';
export { escapeHtml, renderHtmlReport } from './output/html-report.ts';
export type { HtmlReportInput } from './output/html-report.ts';
export {
  OCSF_COMPLIANCE_FINDING_CLASS_UID,
  OCSF_FINDINGS_CATEGORY_UID,
  OCSF_VERSION,
  toOcsf,
} from './output/ocsf.ts';
export type { OcsfComplianceFinding } from './output/ocsf.ts';
export { PRODUCT_NAME, VENDOR_NAME, controlIndex } from './output/report-context.ts';
export type { FrameworkRefs, ReportInput } from './output/report-context.ts';
export { SARIF_SCHEMA_URI, SARIF_VERSION, toSarif } from './output/sarif.ts';
export type { SarifLog, SarifOptions } from './output/sarif.ts';
