import { userInfo } from 'node:os';
import { Command, Option } from 'commander';
import { AwareDatetimeSchema, SegError, isSegError } from '@neurocipher/seg-contracts';
import { RemediationDeskId } from '@neurocipher/seg-runtime';
import { EXIT_OK } from '../cli/exit-codes.ts';
import type { CliIo } from '../cli/io.ts';
import { renderHistory, renderPlan, renderStepRun } from '../remediation/render-remediation.ts';
import { REMEDIATION_SETTING_KEYS, parseRemediationSettings } from '../remediation/remediation-settings.ts';
import { configFor, usageError, withEngine } from './shared.ts';
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
  now?: string;
}
interface ApproveOptions extends AwsOptions {
  role: string;
  justification?: string;
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

// An unknown plan id says how to make one.
function withPlanHint(err: unknown): never {
  if (isSegError(err) && err.error_code === 'SEG_NOT_FOUND' && typeof err.details['plan_id'] === 'string')
    throw new SegError({
      error_code: err.error_code,
      message: `${err.message}: make one with seg plan <finding-id>`,
      details: err.details,
      cause: err,
    });
  throw err;
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
        const desk = await engine.get(RemediationDeskId);
        const made = await desk.plan(findingId, defaults, (key) => `add --set ${key}=<value>`);
        if (made.preview === null) {
          out(
            options.format === 'json'
              ? json(made.plan)
              : `nothing to change: ${made.finding.finding.asset.urn} already satisfies ${made.finding.finding.control_id} ` +
                  `(the finding is from run ${made.finding.run_id}; scan again to refresh it)\n`,
          );
          return;
        }
        if (options.format === 'json') {
          out(json(made.plan));
          return;
        }
        out(renderPlan(made.plan, made.preview));
        if (made.history.length > 0) out(renderHistory(made.history));
        out(
          `next: seg apply ${made.plan.id}          # dry run: diff and blast radius, changes nothing\n` +
            made.plan.approvals_required
              .map((role) => `      seg approve ${made.plan.id} --role ${role}   # by each approver\n`)
              .join('') +
            `      seg apply ${made.plan.id} --yes\n`,
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
    .option(
      '--now <datetime>',
      "the time the tenant's change windows and production hours are checked at (RFC 3339; default: now)",
    )
    .addHelpText(
      'after',
      '\nExample:\n  seg apply 7d1c4b2a-…-plan-id          # dry run: diff and blast radius only\n' +
        '  seg apply 7d1c4b2a-…-plan-id --yes\n' +
        '  seg apply 7d1c4b2a-…-plan-id --yes --now 2026-12-04T10:00:00Z\n' +
        '\nExit status: 0 applied (or dry run), 1 partial or failed (the results say which steps were\n' +
        'compensated), 2 usage error or AWS unreachable before any step ran.\n',
    )
    .action(async (planId: string, options: ApplyOptions) => {
      if (options.now !== undefined && !AwareDatetimeSchema.safeParse(options.now).success)
        throw usageError(
          `--now must be an RFC 3339 date-time with an offset (2026-12-04T10:00:00Z), got ${JSON.stringify(options.now)}`,
          { now: options.now },
        );
      const { config } = configFor(io, global(), awsOverrides(options));
      await withEngine(config, async (engine) => {
        const desk = await engine.get(RemediationDeskId);
        const { plan, preview, drift, history } = await desk.dryRun(planId).catch(withPlanHint);
        if (options.format === 'text') {
          out(renderPlan(plan, preview));
          if (drift.length > 0) {
            out(
              `note: the live config differs from the plan's "before" in ${drift.length} place${drift.length === 1 ? '' : 's'}; ` +
                'apply works from the live state (seg plan again for a fresh diff)\n',
            );
          }
          if (history.length > 0) out(renderHistory(history));
        }
        if (!options.yes) {
          if (options.format === 'json') out(json({ plan, preview, drift, applied: false }));
          else out(`dry run: nothing was changed. To apply: seg apply ${plan.id} --yes\n`);
          setExit(EXIT_OK);
          return;
        }
        const result = await desk.apply(plan.id, {
          now: options.now === undefined ? undefined : new Date(options.now),
        });
        out(options.format === 'json' ? json(result) : renderStepRun('apply', plan, result));
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
        const desk = await engine.get(RemediationDeskId);
        const { record } = await desk.show(planId).catch(withPlanHint);
        const result = await desk.rollback(record.plan.id);
        out(options.format === 'json' ? json(result) : renderStepRun('rollback', record.plan, result));
        setExit(result.status === 'success' ? EXIT_OK : EXIT_NOT_APPLIED);
      });
    });

  const approve = withAwsOptions(
    new Command('approve')
      .description(
        'Record your approval of a plan, in a role, in its log (an approval names the exact plan by its digest)',
      )
      .argument('<plan-id>', 'id of a plan from seg plan'),
  )
    .requiredOption('--role <role>', 'the role you approve in (security-owner, service-owner, …)')
    .option('--justification <text>', 'why (a change ticket, say)')
    .addHelpText(
      'after',
      '\nExample:\n  SEG_ACTOR=alice@acme.example seg approve 7d1c4b2a-…-plan-id --role security-owner --justification CAB-1234\n' +
        "\nThe approver is the config's actor (SEG_ACTOR), else the OS user.\n",
    )
    .action(async (planId: string, options: ApproveOptions) => {
      const { config } = configFor(io, global(), awsOverrides(options));
      await withEngine(config, async (engine) => {
        const desk = await engine.get(RemediationDeskId);
        const approval = await desk
          .approve(planId, {
            approver: config.actor ?? userInfo().username,
            role: options.role,
            justification: options.justification,
          })
          .catch(withPlanHint);
        out(
          options.format === 'json'
            ? json(approval)
            : `approved: plan ${planId} by ${approval.approver} as ${approval.role} (${approval.approved_at})\n`,
        );
      });
    });

  return [plan, approve, apply, rollback];
}
