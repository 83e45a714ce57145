// Remediations of the RDS controls. `automation` says which run unattended (`auto`: low blast radius, exact
// inverse) and which need approval (reversible, but able to break workloads).
import type { ControlRemediation } from '../control-remediations.ts';
import { modifyDbInstance } from '../service-steps.ts';

/** The RDS controls' remediations. */
export const RDS_REMEDIATIONS: readonly ControlRemediation[] = [
  {
    control_id: 'cis-rds-auto-minor-upgrade',
    kind: 'rds-instance',
    automation: 'auto',
    risk: 'low',
    summary: 'rds:ModifyDBInstance AutoMinorVersionUpgrade=true, ApplyImmediately',
    rollback: 'rds:ModifyDBInstance with the captured AutoMinorVersionUpgrade',
    plan(config, at) {
      if (config['auto_minor_version_upgrade'] === true) return [];
      return [
        {
          op: modifyDbInstance,
          description: `Turn on automatic minor version upgrades of DB instance ${at.native_id}`,
          params: { attribute: 'AutoMinorVersionUpgrade', value: true },
          project: (c) => {
            c['auto_minor_version_upgrade'] = true;
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-rds-not-public',
    kind: 'rds-instance',
    automation: 'approval',
    risk: 'high',
    summary: 'rds:ModifyDBInstance PubliclyAccessible=false, ApplyImmediately',
    rollback: 'rds:ModifyDBInstance PubliclyAccessible=<captured>',
    plan(config, at) {
      if (config['publicly_accessible'] !== true) return [];
      return [
        {
          op: modifyDbInstance,
          description: `Make DB instance ${at.native_id} private`,
          params: { attribute: 'PubliclyAccessible', value: false },
          project: (c) => {
            c['publicly_accessible'] = false;
          },
        },
      ];
    },
  },
];
