// @neurocipher/seg-reports/testing: a small, varied report input for tests of the formats and of the apps
// that render them.
export {
  sampleAssets,
  sampleControls,
  sampleFindings,
  sampleFrameworks,
  sampleReport,
  sampleRun,
} from './sample-report.ts';
