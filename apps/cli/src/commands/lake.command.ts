import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { SegError } from '@neurocipher/seg-contracts';
import { DEFAULT_RETENTION_DAYS } from '@neurocipher/seg-lakehouse';
import type { Lakehouse } from '../container/lakehouse.module.ts';
import type { CliConfig } from '../config/cli-config.ts';
import { EXIT_OK } from '../cli/exit-codes.ts';
import type { CliIo } from '../cli/io.ts';
import { configFor, withLakehouse } from './shared.ts';
import type { GlobalOptions } from './shared.ts';

type Format = 'text' | 'json';

/** Hashes a text purge report lists before it summarises the rest. */
const LISTED = 20;

const formatOption = () =>
  new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

// The configured lakehouse for one maintenance action. A catalog that does not exist yet is an error:
// maintenance in the wrong folder must not create an empty one.
async function withLake<T>(config: CliConfig, action: (lake: Lakehouse) => Promise<T>): Promise<T> {
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
      'Rewrite every partition that holds more than one data file as one file (one replace snapshot per ' +
        'table; rows unchanged, older snapshots stay readable)',
    )
    .addOption(formatOption())
    .action(async (options: { format: Format }) => {
      const { config } = configFor(io, global());
      const compacted = await withLake(config, (l) => l.store.compact());
      if (options.format === 'json') io.stdout.write(JSON.stringify({ compacted }) + '\n');
      else if (compacted.length === 0)
        io.stdout.write('compacted: nothing (every partition is one data file)\n');
      else
        for (const c of compacted)
          io.stdout.write(`compacted: ${c.table} (${c.files_added} file(s) written)\n`);
      setExit(EXIT_OK);
    });
  lake
    .command('purge')
    .description(
      `Delete evidence blobs whose every reference is older than the retention (${DEFAULT_RETENTION_DAYS} ` +
        'days); a blob any newer row references stays. Run it while no scan is committing',
    )
    .option('--dry-run', 'list what would be deleted, delete nothing')
    .addOption(formatOption())
    .action(async (options: { dryRun?: boolean; format: Format }) => {
      const { config } = configFor(io, global());
      const dryRun = options.dryRun === true;
      const { deleted, repacked } = await withLake(config, async (l) =>
        l.evidence.purgeExpired(await l.store.evidenceReferences(), { dryRun }),
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
