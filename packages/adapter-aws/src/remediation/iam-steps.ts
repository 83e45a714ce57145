import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  DeleteAccountPasswordPolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetAccountPasswordPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  UpdateAccessKeyCommand,
  UpdateAccountPasswordPolicyCommand,
  type IAMClient,
  type PasswordPolicy,
  type UpdateAccountPasswordPolicyCommandInput,
} from '@aws-sdk/client-iam';
import { absentAsNull } from '../provider/aws-error.ts';
import { requestId, str, type StepContext, type StepOp } from './step-op.ts';

const SUPPORT_POLICY = 'arn:aws:iam::aws:policy/AWSSupportAccess';

const iam = <T>(
  ctx: StepContext,
  op: string,
  fn: (c: IAMClient, o: { abortSignal: AbortSignal }) => Promise<T>,
): Promise<T> => ctx.session.call('iam', ctx.at.account_id, ctx.session.homeRegion, op, fn);

function toInput(p: PasswordPolicy): UpdateAccountPasswordPolicyCommandInput {
  return {
    ...(p.MinimumPasswordLength !== undefined ? { MinimumPasswordLength: p.MinimumPasswordLength } : {}),
    RequireSymbols: p.RequireSymbols === true,
    RequireNumbers: p.RequireNumbers === true,
    RequireUppercaseCharacters: p.RequireUppercaseCharacters === true,
    RequireLowercaseCharacters: p.RequireLowercaseCharacters === true,
    AllowUsersToChangePassword: p.AllowUsersToChangePassword === true,
    ...(p.MaxPasswordAge !== undefined ? { MaxPasswordAge: p.MaxPasswordAge } : {}),
    ...(p.PasswordReusePrevention !== undefined
      ? { PasswordReusePrevention: p.PasswordReusePrevention }
      : {}),
    ...(p.HardExpiry !== undefined ? { HardExpiry: p.HardExpiry } : {}),
  };
}

/**
 * Raises password-policy minimums (`set`: `{MinimumPasswordLength: 14}` or `{PasswordReusePrevention: 24}`),
 * merged over the existing policy; rollback puts the captured policy back, or deletes it if there was none.
 */
export const updatePasswordPolicy: StepOp = {
  action: 'iam:UpdateAccountPasswordPolicy',
  exactInverse: true,
  async capture(ctx) {
    const got = await absentAsNull(
      iam(ctx, 'GetAccountPasswordPolicy', (c, o) => c.send(new GetAccountPasswordPolicyCommand({}), o)),
      ['NoSuchEntity', 'NoSuchEntityException'],
    );
    return got?.PasswordPolicy ? toInput(got.PasswordPolicy) : null;
  },
  satisfied(state, ctx) {
    const s = state as Record<string, unknown> | null;
    if (!s) return false;
    const want = ctx.params['set'] as Record<string, number>;
    return Object.entries(want).every(([k, v]) => typeof s[k] === 'number' && (s[k] as number) >= v);
  },
  async apply(ctx, pre) {
    const merged = {
      ...((pre as UpdateAccountPasswordPolicyCommandInput | null) ?? {}),
      ...(ctx.params['set'] as object),
    };
    return requestId(
      await iam(ctx, 'UpdateAccountPasswordPolicy', (c, o) =>
        c.send(new UpdateAccountPasswordPolicyCommand(merged), o),
      ),
    );
  },
  async restore(ctx, pre) {
    if (pre === null) {
      return requestId(
        await iam(ctx, 'DeleteAccountPasswordPolicy', (c, o) =>
          c.send(new DeleteAccountPasswordPolicyCommand({}), o),
        ),
      );
    }
    return requestId(
      await iam(ctx, 'UpdateAccountPasswordPolicy', (c, o) =>
        c.send(new UpdateAccountPasswordPolicyCommand(pre as UpdateAccountPasswordPolicyCommandInput), o),
      ),
    );
  },
};

/** Deactivates the access keys in `access_key_ids` of `user_name`; rollback reactivates those that were active. */
export const deactivateAccessKeys: StepOp = {
  action: 'iam:UpdateAccessKey',
  exactInverse: true,
  async capture(ctx) {
    const UserName = str(ctx.params, 'user_name');
    const ids = ctx.params['access_key_ids'] as string[];
    const got = await iam(ctx, 'ListAccessKeys', (c, o) =>
      c.send(new ListAccessKeysCommand({ UserName }), o),
    );
    return Object.fromEntries(
      (got.AccessKeyMetadata ?? [])
        .filter((k) => ids.includes(k.AccessKeyId ?? ''))
        .map((k) => [k.AccessKeyId, k.Status]),
    );
  },
  satisfied: (state) => Object.values(state as Record<string, string>).every((s) => s === 'Inactive'),
  async apply(ctx) {
    const UserName = str(ctx.params, 'user_name');
    let id: string | undefined;
    for (const AccessKeyId of ctx.params['access_key_ids'] as string[]) {
      id = requestId(
        await iam(ctx, 'UpdateAccessKey', (c, o) =>
          c.send(new UpdateAccessKeyCommand({ UserName, AccessKeyId, Status: 'Inactive' }), o),
        ),
      );
    }
    return id;
  },
  async restore(ctx, pre) {
    const UserName = str(ctx.params, 'user_name');
    let id: string | undefined;
    for (const [AccessKeyId, status] of Object.entries(pre as Record<string, 'Active' | 'Inactive'>)) {
      id = requestId(
        await iam(ctx, 'UpdateAccessKey', (c, o) =>
          c.send(new UpdateAccessKeyCommand({ UserName, AccessKeyId, Status: status }), o),
        ),
      );
    }
    return id;
  },
};

/** Detaches every managed policy attached directly to a user; rollback re-attaches the captured ones. */
export const detachUserPolicies: StepOp = {
  action: 'iam:DetachUserPolicy',
  exactInverse: true,
  async capture(ctx) {
    const UserName = ctx.at.native_id;
    const got = await iam(ctx, 'ListAttachedUserPolicies', (c, o) =>
      c.send(new ListAttachedUserPoliciesCommand({ UserName }), o),
    );
    return (got.AttachedPolicies ?? [])
      .map((p) => p.PolicyArn ?? '')
      .filter(Boolean)
      .sort();
  },
  satisfied: (state) => (state as string[]).length === 0,
  async apply(ctx, pre) {
    const UserName = ctx.at.native_id;
    let id: string | undefined;
    for (const PolicyArn of pre as string[]) {
      id = requestId(
        await iam(ctx, 'DetachUserPolicy', (c, o) =>
          c.send(new DetachUserPolicyCommand({ UserName, PolicyArn }), o),
        ),
      );
    }
    return id;
  },
  async restore(ctx, pre) {
    const UserName = ctx.at.native_id;
    let id: string | undefined;
    for (const PolicyArn of pre as string[]) {
      id = requestId(
        await iam(ctx, 'AttachUserPolicy', (c, o) =>
          c.send(new AttachUserPolicyCommand({ UserName, PolicyArn }), o),
        ),
      );
    }
    return id;
  },
};

interface PolicyEntities {
  users: string[];
  groups: string[];
  roles: string[];
}

/** Detaches a managed policy from every user, group and role; rollback re-attaches the captured entities. */
export const detachPolicyEverywhere: StepOp = {
  action: 'iam:DetachPolicy',
  exactInverse: true,
  async capture(ctx) {
    const PolicyArn = ctx.at.native_id;
    const got = await iam(ctx, 'ListEntitiesForPolicy', (c, o) =>
      c.send(new ListEntitiesForPolicyCommand({ PolicyArn }), o),
    );
    return {
      users: (got.PolicyUsers ?? [])
        .map((x) => x.UserName ?? '')
        .filter(Boolean)
        .sort(),
      groups: (got.PolicyGroups ?? [])
        .map((x) => x.GroupName ?? '')
        .filter(Boolean)
        .sort(),
      roles: (got.PolicyRoles ?? [])
        .map((x) => x.RoleName ?? '')
        .filter(Boolean)
        .sort(),
    } satisfies PolicyEntities;
  },
  satisfied: (s) => {
    const e = s as PolicyEntities;
    return e.users.length + e.groups.length + e.roles.length === 0;
  },
  async apply(ctx, pre) {
    const PolicyArn = ctx.at.native_id;
    const e = pre as PolicyEntities;
    let id: string | undefined;
    for (const UserName of e.users)
      id = requestId(
        await iam(ctx, 'DetachUserPolicy', (c, o) =>
          c.send(new DetachUserPolicyCommand({ UserName, PolicyArn }), o),
        ),
      );
    for (const GroupName of e.groups)
      id = requestId(
        await iam(ctx, 'DetachGroupPolicy', (c, o) =>
          c.send(new DetachGroupPolicyCommand({ GroupName, PolicyArn }), o),
        ),
      );
    for (const RoleName of e.roles)
      id = requestId(
        await iam(ctx, 'DetachRolePolicy', (c, o) =>
          c.send(new DetachRolePolicyCommand({ RoleName, PolicyArn }), o),
        ),
      );
    return id;
  },
  async restore(ctx, pre) {
    const PolicyArn = ctx.at.native_id;
    const e = pre as PolicyEntities;
    let id: string | undefined;
    for (const UserName of e.users)
      id = requestId(
        await iam(ctx, 'AttachUserPolicy', (c, o) =>
          c.send(new AttachUserPolicyCommand({ UserName, PolicyArn }), o),
        ),
      );
    for (const GroupName of e.groups)
      id = requestId(
        await iam(ctx, 'AttachGroupPolicy', (c, o) =>
          c.send(new AttachGroupPolicyCommand({ GroupName, PolicyArn }), o),
        ),
      );
    for (const RoleName of e.roles)
      id = requestId(
        await iam(ctx, 'AttachRolePolicy', (c, o) =>
          c.send(new AttachRolePolicyCommand({ RoleName, PolicyArn }), o),
        ),
      );
    return id;
  },
};

interface SupportRoleState {
  role_exists: boolean;
  attached: boolean;
}

/**
 * Creates the support role `role_name` (trusted by `trusted_principal`) and attaches AWSSupportAccess;
 * rollback detaches the policy and deletes the role if the apply created them.
 */
export const createSupportRole: StepOp = {
  action: 'iam:CreateRole',
  exactInverse: true,
  async capture(ctx) {
    const RoleName = str(ctx.params, 'role_name');
    const role = await absentAsNull(
      iam(ctx, 'GetRole', (c, o) => c.send(new GetRoleCommand({ RoleName }), o)),
      ['NoSuchEntity', 'NoSuchEntityException'],
    );
    if (!role) return { role_exists: false, attached: false } satisfies SupportRoleState;
    const att = await iam(ctx, 'ListAttachedRolePolicies', (c, o) =>
      c.send(new ListAttachedRolePoliciesCommand({ RoleName }), o),
    );
    return {
      role_exists: true,
      attached: (att.AttachedPolicies ?? []).some((p) => p.PolicyArn === SUPPORT_POLICY),
    } satisfies SupportRoleState;
  },
  satisfied: (s) => (s as SupportRoleState).attached,
  async apply(ctx, pre) {
    const RoleName = str(ctx.params, 'role_name');
    const s = pre as SupportRoleState;
    if (!s.role_exists) {
      const trust = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: str(ctx.params, 'trusted_principal') },
            Action: 'sts:AssumeRole',
          },
        ],
      });
      await iam(ctx, 'CreateRole', (c, o) =>
        c.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trust }), o),
      );
    }
    return requestId(
      await iam(ctx, 'AttachRolePolicy', (c, o) =>
        c.send(new AttachRolePolicyCommand({ RoleName, PolicyArn: SUPPORT_POLICY }), o),
      ),
    );
  },
  async restore(ctx, pre) {
    const RoleName = str(ctx.params, 'role_name');
    const s = pre as SupportRoleState;
    let id: string | undefined;
    if (!s.attached) {
      id = requestId(
        (await absentAsNull(
          iam(ctx, 'DetachRolePolicy', (c, o) =>
            c.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: SUPPORT_POLICY }), o),
          ),
          ['NoSuchEntity', 'NoSuchEntityException'],
        )) ?? undefined,
      );
    }
    if (!s.role_exists) {
      id = requestId(await iam(ctx, 'DeleteRole', (c, o) => c.send(new DeleteRoleCommand({ RoleName }), o)));
    }
    return id;
  },
};
