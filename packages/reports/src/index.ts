// @neurocipher/seg-reports: the report formats of SEG findings, shared by the CLI and the API. Pure
// functions of a `ReportInput` (findings, controls, run, frameworks, assets); no I/O, no clock.
export { CSV_COLUMNS, csvCell, toCsv } from './csv.ts';
export { escapeHtml, renderHtmlReport } from './html-report.ts';
export type { HtmlReportInput } from './html-report.ts';
export {
  OCSF_COMPLIANCE_FINDING_CLASS_UID,
  OCSF_FINDINGS_CATEGORY_UID,
  OCSF_VERSION,
  toOcsf,
} from './ocsf.ts';
export type { OcsfComplianceFinding } from './ocsf.ts';
export { PRODUCT_NAME, VENDOR_NAME, controlIndex } from './report-context.ts';
export type { FrameworkRefs, ReportInput } from './report-context.ts';
export { SARIF_SCHEMA_URI, SARIF_VERSION, toSarif } from './sarif.ts';
export type { SarifLog, SarifOptions } from './sarif.ts';
