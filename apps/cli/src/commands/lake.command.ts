import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { SegError } from '@neurocipher/seg-contracts';
import { DEAD_RUN_GRACE_MS, DEFAULT_RETENTION_DAYS } from '@neurocipher/seg-lakehouse';
import type { CompactedTable } from '@neurocipher/seg-lakehouse';
import type { Lakehouse, SegConfig } from '@neurocipher/seg-runtime';
import { EXIT_OK } from '../cli/exit-codes.ts';
import type { CliIo } from '../cli/io.ts';
import { configFor, usageError, withLakehouse } from './shared.ts';
import type { GlobalOptions } from './shared.ts';

type Format = 'text' | 'json';

/** Hashes a text purge report lists before it summarises the rest. */
const LISTED = 20;

const formatOption = () =>
  new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

// The grace period of `--grace` (`90s`, `30m`, `1h`, `2d`, `0`) in milliseconds (default 1 h); a usage
// error otherwise.
function graceMs(text: string | undefined): number {
  if (text === undefined) return DEAD_RUN_GRACE_MS;
  const m = /^(\d{1,9})(ms|s|m|h|d)?$/.exec(text);
  if (!m || (m[2] === undefined && m[1] !== '0')) {
    throw usageError(
      `--grace takes a duration such as 30m, 1h or 2d (or 0), got ${JSON.stringify(text.slice(0, 40))}`,
      {
        grace: text.slice(0, 40),
      },
    );
  }
  return Number(m[1]) * (UNITS[m[2] ?? 'ms'] as number);
}

const graceOption = () =>
  new Option(
    '--grace <duration>',
    'rows of a run without a runs row count as dead (a commit that died) once older than this; ' +
      `younger ones may be a commit in flight (default: ${DEAD_RUN_GRACE_MS / 3_600_000}h)`,
  );

/** The removal counts of a compaction, over every table. */
function deadRuns(compacted: readonly CompactedTable[], grace_ms: number) {
  const runs = new Set(compacted.flatMap((c) => c.runs_removed));
  return {
    grace_ms,
    runs_removed: [...runs].sort(),
    rows_removed: compacted.reduce((n, c) => n + c.rows_removed, 0),
  };
}

// The configured lakehouse for one maintenance action. A catalog that does not exist yet is an error:
// maintenance in the wrong folder must not create an empty one.
async function withLake<T>(config: SegConfig, action: (lake: Lakehouse) => Promise<T>): Promise<T> {
  const db = config.catalog.startsWith('sqlite:') ? config.catalog.slice('sqlite:'.length) : null;
  if (db !== null && !existsSync(db)) {
    throw new SegError({
      error_code: 'SEG_NOT_FOUND',
      message: `no lakehouse catalog at ${db}: run seg scan first, or point --config at the lakehouse`,
      details: { catalog: config.catalog },
    });
  }
  return withLakehouse(config, action);
}

/** `seg lake compact|purge`: maintenance of the configured lakehouse (every tenant in it). */
export function lakeCommand(
  io: CliIo,
  global: () => GlobalOptions,
  setExit: (code: number) => void,
): Command {
  const lake = new Command('lake').description(
    'Maintain the lakehouse: compact its tables, purge evidence past retention',
  );
  lake
    .command('compact')
    .description(
      'Rewrite every partition that holds more than one data file as one file, and remove the rows of ' +
        'dead runs (runs with no runs row, older than --grace) from the evidence, findings, assets and ' +
        'controls tables (one rewrite snapshot per table, naming the runs removed; older snapshots stay readable)',
    )
    .addOption(graceOption())
    .addOption(formatOption())
    .addHelpText('after', '\nExample:\n  seg lake compact --grace 2h --format json\n')
    .action(async (options: { format: Format; grace?: string }) => {
      const grace_ms = graceMs(options.grace);
      const { config } = configFor(io, global());
      const compacted = await withLake(config, (l) => l.store.compact({ graceMs: grace_ms }));
      const dead = deadRuns(compacted, grace_ms);
      if (options.format === 'json') {
        io.stdout.write(JSON.stringify({ compacted, dead_runs: dead }) + '\n');
      } else {
        if (compacted.length === 0)
          io.stdout.write('compacted: nothing (every partition is one data file)\n');
        for (const c of compacted) {
          const removed = c.rows_removed > 0 ? `, ${c.rows_removed} row(s) of dead runs removed` : '';
          io.stdout.write(
            `compacted: ${c.table} (${c.files_added} file(s) written, ${c.files_removed} replaced${removed})\n`,
          );
        }
        io.stdout.write(
          `dead runs: removed ${dead.rows_removed} row(s) of ${dead.runs_removed.length} run(s) without a runs row older than ${options.grace ?? `${DEAD_RUN_GRACE_MS / 3_600_000}h`}\n`,
        );
        for (const id of dead.runs_removed.slice(0, LISTED)) io.stdout.write(`  ${id}\n`);
        if (dead.runs_removed.length > LISTED)
          io.stdout.write(
            `  … and ${dead.runs_removed.length - LISTED} more (--format json lists them all)\n`,
          );
      }
      setExit(EXIT_OK);
    });
  lake
    .command('purge')
    .description(
      `Delete evidence blobs whose every reference is older than the retention (${DEFAULT_RETENTION_DAYS} ` +
        'days); a blob any newer row references stays. Rows of dead runs (no runs row, older than --grace) ' +
        'keep no blob. Run it while no scan is committing',
    )
    .option('--dry-run', 'list what would be deleted, delete nothing')
    .addOption(graceOption())
    .addOption(formatOption())
    .action(async (options: { dryRun?: boolean; format: Format; grace?: string }) => {
      const grace_ms = graceMs(options.grace);
      const { config } = configFor(io, global());
      const dryRun = options.dryRun === true;
      const { deleted, repacked } = await withLake(config, async (l) =>
        l.evidence.purgeExpired(await l.store.evidenceReferences({ graceMs: grace_ms }), { dryRun }),
      );
      if (options.format === 'json')
        io.stdout.write(JSON.stringify({ dry_run: dryRun, deleted, repacked }) + '\n');
      else {
        const verb = dryRun ? 'would delete' : 'deleted';
        const packs = repacked > 0 ? ` (${repacked} pack(s) rewritten without them)` : '';
        io.stdout.write(`purge: ${verb} ${deleted.length} evidence blob(s)${packs}\n`);
        for (const h of deleted.slice(0, LISTED)) io.stdout.write(`  ${h}\n`);
        if (deleted.length > LISTED)
          io.stdout.write(`  … and ${deleted.length - LISTED} more (--format json lists them all)\n`);
      }
      setExit(EXIT_OK);
    });
  return lake;
}
