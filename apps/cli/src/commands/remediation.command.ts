import { Command } from 'commander';
import type { CliIo } from '../cli/io.ts';
import { notAvailableYet } from './shared.ts';
import type { GlobalOptions } from './shared.ts';

const WHY = '@neurocipher/seg-adapter-aws exports no RemediationPort yet (issue #4)';

/** `seg plan`, `seg apply`, `seg rollback` on AWS findings. */
export function remediationCommands(_io: CliIo, _global: () => GlobalOptions): Command[] {
  const plan = new Command('plan')
    .description(
      'Plan the remediation of a finding: minimal change set, before/after diff, blast radius, risk',
    )
    .argument('<finding-id>', 'id of a committed AWS finding')
    .addHelpText('after', '\nExample:\n  seg plan 3f2a…-finding-id\n')
    .action(async () => {
      throw notAvailableYet('seg plan', WHY);
    });
  const apply = new Command('apply')
    .description('Apply a plan: shows the dry-run diff and blast radius first; changes nothing without --yes')
    .argument('<plan-id>', 'id of a plan from seg plan')
    .option('--yes', 'really apply the changes')
    .addHelpText(
      'after',
      '\nExample:\n  seg apply 7d1c…-plan-id          # dry run: diff and blast radius only\n  seg apply 7d1c…-plan-id --yes\n',
    )
    .action(async () => {
      throw notAvailableYet('seg apply', WHY);
    });
  const rollback = new Command('rollback')
    .description('Roll back an applied plan with its recorded compensations')
    .argument('<plan-id>', 'id of an applied plan')
    .addHelpText('after', '\nExample:\n  seg rollback 7d1c…-plan-id\n')
    .action(async () => {
      throw notAvailableYet('seg rollback', WHY);
    });
  return [plan, apply, rollback];
}
