import { resolve } from 'node:path';
import { Command } from 'commander';
import { renderHtmlReport } from '@neurocipher/seg-reports';
import { EXIT_OK } from '../cli/exit-codes.ts';
import { writeUserFileSync } from '@neurocipher/seg-runtime';
import type { CliIo } from '../cli/io.ts';
import { bundleMetadata, loadRun } from './run-data.ts';
import { configFor, usageError, withLakehouse } from './shared.ts';
import type { GlobalOptions } from './shared.ts';

interface ReportOptions {
  html?: boolean;
  run?: string;
  out?: string;
}

/** `seg report --html`: one self-contained HTML file of a run, with the trend of every run. */
export function reportCommand(
  io: CliIo,
  global: () => GlobalOptions,
  setExit: (code: number) => void,
): Command {
  return new Command('report')
    .description('Write a report of a committed run: one self-contained HTML file with charts')
    .option('--html', 'write the HTML report')
    .option('--run <id>', 'run id (default: the latest run of the tenant)')
    .option('--out <file>', 'where to write (default: <home>/report.html)')
    .addHelpText('after', '\nExample:\n  seg report --html --out report.html && xdg-open report.html\n')
    .action(async (options: ReportOptions) => {
      if (!options.html) throw usageError('choose a report format: --html');
      const { config } = configFor(io, global());
      await withLakehouse(config, async (lake) => {
        const { run, findings, history } = await loadRun(lake.store, config.tenant, options.run);
        const meta = await bundleMetadata(config);
        const out = resolve(io.cwd, options.out ?? `${config.home}/report.html`);
        writeUserFileSync(
          'report',
          out,
          renderHtmlReport({
            findings,
            run,
            history,
            ...meta,
            tool_version: '0.1.0',
            generated_at: new Date().toISOString(),
          }),
        );
        io.stdout.write(`report: ${out}\n`);
      });
      setExit(EXIT_OK);
    });
}
