// Public surface of @neurocipher/seg-cli used by tools (demo, benchmarks): the CLI entry point, run
// in-process with injected streams, and the exit codes it returns. The report formats live in
// @neurocipher/seg-reports.
export { runCli } from './cli/run-cli.ts';
export type { CliIo } from './cli/io.ts';
export { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './cli/exit-codes.ts';
