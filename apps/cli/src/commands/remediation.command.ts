import { Command, Option } from 'commander';
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import { assertPlanId, jsonDiff } from '@neurocipher/seg-adapter-aws';
import type { PlanRecord } from '@neurocipher/seg-adapter-aws';
import { assertApproved } from '@neurocipher/seg-core';
import { LakehouseId, RemediationWorkbenchId } from '@neurocipher/seg-runtime';
import type { RemediationWorkbench } from '@neurocipher/seg-runtime';
import { EXIT_OK } from '../cli/exit-codes.ts';
import type { CliIo } from '../cli/io.ts';
import { remediableFinding } from '../remediation/remediable-finding.ts';
import { renderHistory, renderPlan, renderStepRun } from '../remediation/render-remediation.ts';
import { REMEDIATION_SETTING_KEYS, parseRemediationSettings } from '../remediation/remediation-settings.ts';
import { configFor, withEngine } from './shared.ts';
import type { GlobalOptions } from './shared.ts';

/** Exit status of an apply or rollback that did not fully succeed (`partial` or `failed`; results printed). */
export const EXIT_NOT_APPLIED = 1;

interface AwsOptions {
  profile?: string;
  regions?: string;
  format: 'text' | 'json';
}
interface PlanOptions extends AwsOptions {
  set: string[];
}
interface ApplyOptions extends AwsOptions {
  yes?: boolean;
  approve?: string;
}

function awsOverrides(options: AwsOptions): Record<string, unknown> {
  return {
    'aws.profile': options.profile,
    'aws.regions': options.regions?.split(',').filter(Boolean),
  };
}

function withAwsOptions(command: Command): Command {
  return command
    .option('--profile <name>', 'AWS profile (default: AWS_PROFILE or the config)')
    .option(
      '--regions <list>',
      'comma-separated AWS regions (the first is the home region of global services)',
    )
    .addOption(
      new Option('--format <format>', 'what to print on stdout').choices(['text', 'json']).default('text'),
    );
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

// The adapter names a missing default; the CLI says how to give it.
function withSettingsHint(err: unknown): unknown {
  if (isSegError(err) && typeof err.details['missing'] === 'string') {
    return new SegError({
      error_code: err.error_code,
      message: `${err.message}: add --set ${err.details['missing']}=<value>`,
      details: err.details,
      cause: err,
    });
  }
  return err;
}

// The plan record of an id given on the command line; SEG_NOT_FOUND when this home holds none.
async function recordOf(side: RemediationWorkbench, planId: string): Promise<PlanRecord> {
  assertPlanId(planId);
  const record = await side.plans.get(planId);
  if (!record) {
    throw new SegError({
      error_code: 'SEG_NOT_FOUND',
      message: `unknown plan ${planId}: make one with seg plan <finding-id>`,
      details: { plan_id: planId },
    });
  }
  return record;
}

/**
 * `seg plan`, `seg apply` and `seg rollback` on AWS findings. Plans are made by the AWS adapter from the
 * live config of the finding's asset, recorded in the lakehouse `plans` table and, with their captured
 * pre-states and apply/rollback log, in the blob store (`<blobs>/plans/`), so each command can run in its
 * own process. `apply` prints the dry-run diff and blast radius and changes nothing without `--yes`.
 */
export function remediationCommands(
  io: CliIo,
  global: () => GlobalOptions,
  setExit: (code: number) => void,
): Command[] {
  const out = (text: string): void => {
    io.stdout.write(text);
  };

  const plan = withAwsOptions(
    new Command('plan')
      .description(
        'Plan the remediation of a failing AWS finding from its live config: steps, before/after diff, blast radius, risk',
      )
      .argument('<finding-id>', 'id of a committed, failing AWS finding (seg findings --format json)'),
  )
    .option(
      '--set <key=value>',
      `a remediation setting some controls need (${REMEDIATION_SETTING_KEYS.join(', ')}); repeatable`,
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .addHelpText(
      'after',
      '\nExample:\n  AWS_ENDPOINT_URL=http://127.0.0.1:5000 seg plan 3f2a9c1e-…-finding-id\n' +
        '  seg plan 3f2a9c1e-…-finding-id --set access_log_bucket=acme-access-logs --format json\n',
    )
    .action(async (findingId: string, options: PlanOptions) => {
      const { config } = configFor(io, global(), awsOverrides(options));
      const defaults = parseRemediationSettings(options.set);
      await withEngine(config, async (engine) => {
        const lake = await engine.get(LakehouseId);
        const stored = await remediableFinding(lake.store, config.tenant, findingId);
        const side = await engine.get(RemediationWorkbenchId);
        const { remediation } = side.forAsset(stored.finding.asset.urn, defaults);
        const made = await remediation.plan(stored.finding, 'apply').catch((err: unknown) => {
          throw withSettingsHint(err);
        });
        if (made.steps.length === 0) {
          out(
            options.format === 'json'
              ? json(made)
              : `nothing to change: ${stored.finding.asset.urn} already satisfies ${stored.finding.control_id} ` +
                  `(the finding is from run ${stored.run_id}; scan again to refresh it)\n`,
          );
          return;
        }
        await lake.store.recordPlans([made], config.tenant);
        if (options.format === 'json') {
          out(json(made));
          return;
        }
        out(renderPlan(made, await remediation.preview(made.id)));
        const events = await remediation.history(made.id);
        if (events.length > 0) out(renderHistory(events));
        out(
          `next: seg apply ${made.id}          # dry run: diff and blast radius, changes nothing\n` +
            `      seg apply ${made.id} --yes${made.approvals_required.length > 0 ? ` --approve ${made.approvals_required.join(',')}` : ''}\n`,
        );
      });
    });

  const apply = withAwsOptions(
    new Command('apply')
      .description(
        'Apply a plan: prints the dry-run diff and blast radius first; changes nothing without --yes',
      )
      .argument('<plan-id>', 'id of a plan from seg plan'),
  )
    .option('--yes', 'really apply the changes')
    .option('--approve <roles>', 'comma-separated approvals the plan requires that you have obtained')
    .addHelpText(
      'after',
      '\nExample:\n  seg apply 7d1c4b2a-…-plan-id          # dry run: diff and blast radius only\n' +
        '  seg apply 7d1c4b2a-…-plan-id --yes\n' +
        '  seg apply 7d1c4b2a-…-plan-id --yes --approve security-owner\n' +
        '\nExit status: 0 applied (or dry run), 1 partial or failed (the results say which steps were\n' +
        'compensated), 2 usage error or AWS unreachable before any step ran.\n',
    )
    .action(async (planId: string, options: ApplyOptions) => {
      const { config } = configFor(io, global(), awsOverrides(options));
      await withEngine(config, async (engine) => {
        const side = await engine.get(RemediationWorkbenchId);
        const record = await recordOf(side, planId);
        const { remediation, inventory } = side.forAsset(record.asset);
        const preview = await remediation.preview(record.plan.id);
        const live = await inventory.get_config({ urn: record.asset });
        const drift = jsonDiff(preview.before, live.body);
        const events = await remediation.history(record.plan.id);
        if (options.format === 'text') {
          out(renderPlan(record.plan, preview));
          if (drift.length > 0) {
            out(
              `note: the live config differs from the plan's "before" in ${drift.length} place${drift.length === 1 ? '' : 's'}; ` +
                'apply works from the live state (seg plan again for a fresh diff)\n',
            );
          }
          if (events.length > 0) out(renderHistory(events));
        }
        if (!options.yes) {
          if (options.format === 'json') out(json({ plan: record.plan, preview, drift, applied: false }));
          else out(`dry run: nothing was changed. To apply: seg apply ${record.plan.id} --yes\n`);
          setExit(EXIT_OK);
          return;
        }
        assertApproved(record.plan, (options.approve ?? '').split(',').filter(Boolean));
        const result = await remediation.apply(record.plan);
        out(options.format === 'json' ? json(result) : renderStepRun('apply', record.plan, result));
        setExit(result.status === 'success' ? EXIT_OK : EXIT_NOT_APPLIED);
      });
    });

  const rollback = withAwsOptions(
    new Command('rollback')
      .description('Roll back an applied plan: restore the pre-state captured before each step changed it')
      .argument('<plan-id>', 'id of an applied plan'),
  )
    .addHelpText(
      'after',
      '\nExample:\n  seg rollback 7d1c4b2a-…-plan-id\n' +
        '\nExit status: 0 restored (or already in the pre-state), 1 partial or failed, 2 usage error.\n',
    )
    .action(async (planId: string, options: AwsOptions) => {
      const { config } = configFor(io, global(), awsOverrides(options));
      await withEngine(config, async (engine) => {
        const side = await engine.get(RemediationWorkbenchId);
        const record = await recordOf(side, planId);
        const events = await side.plans.events(record.plan.id);
        if (!events.some((e) => e.kind === 'apply')) {
          throw new SegError({
            error_code: 'SEG_INVALID_ARGUMENT',
            message: `plan ${record.plan.id} has not been applied: nothing to roll back`,
            details: { plan_id: record.plan.id },
          });
        }
        const { remediation } = side.forAsset(record.asset);
        const result = await remediation.rollback(record.plan.id);
        out(options.format === 'json' ? json(result) : renderStepRun('rollback', record.plan, result));
        setExit(result.status === 'success' ? EXIT_OK : EXIT_NOT_APPLIED);
      });
    });

  return [plan, apply, rollback];
}
