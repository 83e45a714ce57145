import { Command, Option } from 'commander';
import type { RunDiff } from '@neurocipher/seg-lakehouse';
import { EXIT_OK } from '../cli/exit-codes.ts';
import type { CliIo } from '../cli/io.ts';
import { renderFindings } from '../output/render-findings.ts';
import type { FindingsFormat } from '../output/render-findings.ts';
import { terminalText } from '../output/terminal-text.ts';
import { bundleMetadata, loadRun } from './run-data.ts';
import { configFor, usageError, withLakehouse } from './shared.ts';
import type { GlobalOptions } from './shared.ts';

interface FindingsOptions {
  run?: string;
  diff?: string[];
  format: FindingsFormat;
}

/** The text of a run diff: one line per new (+), changed (~) and resolved (-) finding; controls escaped. */
export function renderDiff(diff: RunDiff, base: string, head: string): string {
  const line = (mark: string, s: RunDiff['new'][number], extra = ''): string =>
    `${mark} ${s.finding.control_id} ${s.finding.asset.urn} ${s.finding.result}${extra}`;
  const out = [
    `diff ${base} → ${head}: ${diff.new.length} new, ${diff.changed.length} changed, ${diff.resolved.length} resolved, ${diff.unchanged.length} unchanged`,
    ...diff.new.map((s) => line('+', s)),
    ...diff.changed.map(({ before, after }) =>
      line('~', after, ` (was ${before.finding.result}: ${before.finding.message})`),
    ),
    ...diff.resolved.map((s) => line('-', s)),
  ];
  return out.map(terminalText).join('\n') + '\n';
}

/** `seg findings`: a committed run's findings, or the diff of two runs. */
export function findingsCommand(
  io: CliIo,
  global: () => GlobalOptions,
  setExit: (code: number) => void,
): Command {
  return new Command('findings')
    .description("List a committed run's findings (the latest by default), or diff two runs")
    .option('--run <id>', 'run id (default: the latest run of the tenant)')
    .option('--diff <runs...>', 'two run ids, base then head: what is new, changed and resolved')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['table', 'summary', 'json', 'csv', 'sarif', 'ocsf'])
        .default('table'),
    )
    .addHelpText(
      'after',
      '\nExample:\n  seg findings --format sarif > findings.sarif\n  seg findings --diff 0b6f…-run-a 9c1e…-run-b\n',
    )
    .action(async (options: FindingsOptions) => {
      const { config } = configFor(io, global());
      if (options.diff !== undefined && options.diff.length !== 2) {
        throw usageError('--diff takes exactly two run ids: --diff RUN_A RUN_B');
      }
      await withLakehouse(config, async (lake) => {
        if (options.diff) {
          const [base, head] = options.diff as [string, string];
          const diff = await lake.store.diffRuns(config.tenant, base, head);
          if (options.format === 'json') {
            io.stdout.write(JSON.stringify(diff, null, 2) + '\n');
          } else if (options.format === 'table' || options.format === 'summary') {
            io.stdout.write(renderDiff(diff, base, head));
          } else {
            throw usageError('--diff prints table or json');
          }
        } else {
          const { run, findings } = await loadRun(lake.store, config.tenant, options.run);
          const meta = await bundleMetadata(config);
          io.stdout.write(renderFindings(options.format, { findings, run, ...meta, tool_version: '0.1.0' }));
        }
      });
      setExit(EXIT_OK);
    });
}
