// Remediations of the EC2 and VPC networking (EBS default encryption, IMDSv2, security groups) controls.
// `automation` says which run unattended (`auto`: low blast radius, exact inverse) and which need approval
// (reversible, but able to break workloads).
import {
  enableEbsDefaultEncryption,
  requireImdsV2,
  revokeAdminIngress,
  revokeAllRules,
} from '../ec2-steps.ts';
import type { ControlRemediation } from '../control-remediations.ts';
import type { Cfg } from './remediation-helpers.ts';
import { obj, list } from './remediation-helpers.ts';

/** The EC2 and VPC networking controls' remediations. */
export const EC2_REMEDIATIONS: readonly ControlRemediation[] = [
  {
    control_id: 'cis-ec2-ebs-default-encryption',
    kind: 'ebs-encryption-default',
    automation: 'auto',
    risk: 'low',
    summary: 'ec2:EnableEbsEncryptionByDefault in the region',
    rollback: 'ec2:DisableEbsEncryptionByDefault when it was off',
    plan(config, at) {
      if (config['encryption_by_default'] === true) return [];
      return [
        {
          op: enableEbsDefaultEncryption,
          description: `Encrypt new EBS volumes by default in ${at.region}`,
          params: {},
          project: (c) => {
            c['encryption_by_default'] = true;
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-ec2-imdsv2-required',
    kind: 'ec2-instance',
    automation: 'approval',
    risk: 'medium',
    summary: 'ec2:ModifyInstanceMetadataOptions HttpTokens=required',
    rollback: 'ec2:ModifyInstanceMetadataOptions HttpTokens=<captured>',
    plan(config, at) {
      const m = obj(config['metadata_options']);
      if (m['http_tokens'] === 'required' || m['http_endpoint'] === 'disabled') return [];
      return [
        {
          op: requireImdsV2,
          description: `Require IMDSv2 on instance ${at.native_id} (old SDKs using IMDSv1 stop getting credentials)`,
          params: {},
          project: (c) => {
            c['metadata_options'] = { ...obj(c['metadata_options']), http_tokens: 'required' };
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-network-sg-no-admin-ingress',
    kind: 'security-group',
    automation: 'approval',
    risk: 'high',
    summary: 'ec2:RevokeSecurityGroupIngress of the 0.0.0.0/0 and ::/0 ranges that reach ports 22 or 3389',
    rollback: 'ec2:AuthorizeSecurityGroupIngress of the captured rules, descriptions included',
    plan(config, at, d) {
      const ports = d.admin_ports ?? [22, 3389];
      const hits = (r: Cfg) => {
        const proto = String(r['protocol']);
        const open =
          list(r['ipv4_ranges']).includes('0.0.0.0/0' as never) ||
          list(r['ipv6_ranges']).includes('::/0' as never);
        if (!open) return false;
        if (proto === '-1') return true;
        if (proto !== 'tcp' && proto !== '6') return false;
        const from = (r['from_port'] as number | null) ?? 0;
        const to = (r['to_port'] as number | null) ?? 65535;
        return ports.some((p) => p >= from && p <= to);
      };
      if (!list(config['ingress']).some(hits)) return [];
      return [
        {
          op: revokeAdminIngress,
          description: `Revoke internet ingress to ports ${ports.join(', ')} on security group ${at.native_id}`,
          params: { admin_ports: ports },
          project: (c) => {
            c['ingress'] = list(c['ingress'])
              .map((r) =>
                hits(r)
                  ? {
                      ...r,
                      ipv4_ranges: list(r['ipv4_ranges']).filter((x) => (x as unknown) !== '0.0.0.0/0'),
                      ipv6_ranges: list(r['ipv6_ranges']).filter((x) => (x as unknown) !== '::/0'),
                    }
                  : r,
              )
              .filter(
                (r) =>
                  list(r['ipv4_ranges']).length +
                    list(r['ipv6_ranges']).length +
                    list(r['referenced_group_ids']).length +
                    list(r['prefix_list_ids']).length >
                  0,
              );
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-network-default-sg-restricts-all',
    kind: 'security-group',
    automation: 'approval',
    risk: 'high',
    summary:
      'ec2:RevokeSecurityGroupIngress and RevokeSecurityGroupEgress of every rule of the default security group',
    rollback: 'ec2:AuthorizeSecurityGroupIngress/Egress of the captured rules',
    plan(config, at) {
      if (config['group_name'] !== 'default') return [];
      if (list(config['ingress']).length === 0 && list(config['egress']).length === 0) return [];
      return [
        {
          op: revokeAllRules,
          description: `Remove every rule of default security group ${at.native_id}`,
          params: {},
          project: (c) => {
            c['ingress'] = [];
            c['egress'] = [];
          },
        },
      ];
    },
  },
];
