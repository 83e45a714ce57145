// Remediations of the IAM (password policy, access keys, policies, the support role) controls. `automation`
// says which run unattended (`auto`: low blast radius, exact inverse) and which need approval (reversible,
// but able to break workloads).
import type { ControlRemediation } from '../control-remediations.ts';
import { obj, list, passwordStep } from './remediation-helpers.ts';
import {
  createSupportRole,
  deactivateAccessKeys,
  detachPolicyEverywhere,
  detachUserPolicies,
} from '../iam-steps.ts';

/** The IAM controls' remediations. */
export const IAM_REMEDIATIONS: readonly ControlRemediation[] = [
  {
    control_id: 'cis-iam-password-min-length',
    kind: 'iam-account',
    automation: 'auto',
    risk: 'low',
    summary: 'iam:UpdateAccountPasswordPolicy with MinimumPasswordLength 14, merged over the existing policy',
    rollback:
      'iam:UpdateAccountPasswordPolicy with the captured policy, or iam:DeleteAccountPasswordPolicy if there was none',
    plan: passwordStep('MinimumPasswordLength', 'minimum_password_length', 14),
  },
  {
    control_id: 'cis-iam-password-reuse-prevention',
    kind: 'iam-account',
    automation: 'auto',
    risk: 'low',
    summary:
      'iam:UpdateAccountPasswordPolicy with PasswordReusePrevention 24, merged over the existing policy',
    rollback:
      'iam:UpdateAccountPasswordPolicy with the captured policy, or iam:DeleteAccountPasswordPolicy if there was none',
    plan: passwordStep('PasswordReusePrevention', 'password_reuse_prevention', 24),
  },
  {
    control_id: 'cis-iam-user-single-active-key',
    kind: 'iam-user',
    automation: 'approval',
    risk: 'medium',
    summary: 'iam:UpdateAccessKey Status=Inactive for every active key but the newest',
    rollback: 'iam:UpdateAccessKey Status=Active for the keys that were active',
    plan(config, at) {
      const active = list(config['access_keys'])
        .filter((k) => k['status'] === 'Active')
        .sort(
          (a, b) =>
            String(b['create_date']).localeCompare(String(a['create_date'])) ||
            String(b['access_key_id']).localeCompare(String(a['access_key_id'])),
        );
      if (active.length <= 1) return [];
      const older = active.slice(1).map((k) => String(k['access_key_id']));
      return [
        {
          op: deactivateAccessKeys,
          description: `Deactivate the older active access keys of user ${at.native_id}: ${older.join(', ')}`,
          params: { user_name: at.native_id, access_key_ids: older },
          project: (c) => {
            c['access_keys'] = list(c['access_keys']).map((k) =>
              older.includes(String(k['access_key_id'])) ? { ...k, status: 'Inactive' } : k,
            );
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-iam-access-key-rotation',
    kind: 'iam-access-key',
    automation: 'approval',
    risk: 'medium',
    summary:
      "iam:UpdateAccessKey Status=Inactive for the stale key (issuing a replacement is the owner's job)",
    rollback: 'iam:UpdateAccessKey Status=Active',
    plan(config) {
      if (config['status'] !== 'Active') return [];
      return [
        {
          op: deactivateAccessKeys,
          description: `Deactivate the access key ending ${String(config['access_key_id']).slice(-4)} of user ${String(config['user_name'])}`,
          params: { user_name: config['user_name'], access_key_ids: [config['access_key_id']] },
          project: (c) => {
            c['status'] = 'Inactive';
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-iam-user-no-direct-policies',
    kind: 'iam-user',
    automation: 'approval',
    risk: 'high',
    summary:
      'iam:DetachUserPolicy of every managed policy attached directly to the user (inline policies are left for a person)',
    rollback: 'iam:AttachUserPolicy of the captured policies',
    plan(config, at) {
      if (list(config['attached_policy_arns']).length === 0) return [];
      return [
        {
          op: detachUserPolicies,
          description: `Detach the managed policies attached directly to user ${at.native_id} (grant them through a group instead)`,
          params: {},
          project: (c) => {
            c['attached_policy_arns'] = [];
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-iam-no-full-admin-policy',
    kind: 'iam-policy',
    automation: 'approval',
    risk: 'high',
    summary: 'iam:Detach{User,Group,Role}Policy of the "*:*" policy from every entity',
    rollback: 'iam:Attach{User,Group,Role}Policy to the captured entities',
    plan(config, at) {
      if ((config['attachment_count'] as number) === 0) return [];
      return [
        {
          op: detachPolicyEverywhere,
          description: `Detach full-admin policy ${at.native_id} from every user, group and role`,
          params: {},
          project: (c) => {
            c['attachment_count'] = 0;
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-iam-support-role',
    kind: 'iam-account',
    automation: 'approval',
    risk: 'medium',
    summary:
      'iam:CreateRole seg-aws-support (trusted by the account root, or `defaults.support_role_trusted_principal`) and iam:AttachRolePolicy AWSSupportAccess',
    rollback: 'iam:DetachRolePolicy and iam:DeleteRole of what the apply created',
    plan(config, at, d) {
      const att = obj(config['support_policy_attachments']);
      if (list(att['roles']).length + list(att['users']).length + list(att['groups']).length > 0) return [];
      const principal = d.support_role_trusted_principal ?? `arn:aws:iam::${at.account_id}:root`;
      return [
        {
          op: createSupportRole,
          description: `Create role seg-aws-support trusted by ${principal} with AWSSupportAccess attached`,
          params: { role_name: 'seg-aws-support', trusted_principal: principal },
          project: (c) => {
            c['support_policy_attachments'] = { ...att, roles: [...list(att['roles']), 'seg-aws-support'] };
          },
        },
      ];
    },
  },
];
