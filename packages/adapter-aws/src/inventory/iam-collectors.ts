import {
  GetAccessKeyLastUsedCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListPoliciesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  type AccessKeyMetadata,
  type IAMClient,
  type Policy,
  type User,
} from '@aws-sdk/client-iam';
import { SegError } from '@neurocipher/seg-contracts';
import { sha256Hex } from '@neurocipher/seg-ports';
import { rawResponse } from '../provider/aws-call.ts';
import { absentAsNull } from '../provider/aws-error.ts';
import type { AwsSession } from '../provider/aws-session.ts';
import { iso, type KindCollector, type NativeAsset } from './collector.ts';
import { normalizePolicyDocument } from './policy-document.ts';

/** The AWS-managed policy whose attachments CIS 1.17 checks. */
export const SUPPORT_POLICY_ARN = 'arn:aws:iam::aws:policy/AWSSupportAccess';

/** IAM list calls loop on Marker until IsTruncated ends (moto ignores MaxItems, notes/moto.md §4.5). */
async function pagedIam<T>(
  session: AwsSession,
  accountId: string,
  op: string,
  fetch: (
    client: IAMClient,
    marker: string | undefined,
    o: { abortSignal: AbortSignal },
  ) => Promise<{ items: T[]; next?: string | undefined }>,
): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const page = await session.call('iam', accountId, session.homeRegion, op, (c, o) => fetch(c, marker, o));
    out.push(...page.items);
    marker = page.next;
  } while (marker);
  return out;
}

async function listUsers(session: AwsSession, accountId: string): Promise<User[]> {
  return pagedIam<User>(session, accountId, 'ListUsers', async (c, Marker, o) => {
    const r = await c.send(new ListUsersCommand(Marker ? { Marker } : {}), o);
    return { items: r.Users ?? [], next: r.IsTruncated ? r.Marker : undefined };
  });
}

async function listKeys(
  session: AwsSession,
  accountId: string,
  UserName: string,
): Promise<AccessKeyMetadata[]> {
  const r = await session.call('iam', accountId, session.homeRegion, 'ListAccessKeys', (c, o) =>
    c.send(new ListAccessKeysCommand({ UserName }), o),
  );
  return r.AccessKeyMetadata ?? [];
}

/**
 * The native id of an access key asset: `<user name>/<first 16 hex of sha256(access key id)>`. Unique and
 * stable, and resolvable by listing the user's keys, but it does not carry the access key id itself, so
 * the asset's URN (which every finding and output shows) never holds one (detect-secrets flags them).
 */
export function accessKeyNativeId(userName: string, accessKeyId: string): string {
  return `${userName}/${sha256Hex(accessKeyId).slice(0, 16)}`;
}

const account = (kind: string, accountId: string): NativeAsset => ({
  kind,
  account_id: accountId,
  region: 'global',
  native_id: accountId,
  name: `${kind} ${accountId}`,
  properties: { account_id: accountId, region: 'global' },
});

/** Account IAM settings: password policy, root summary flags, AWSSupportAccess attachments. */
export const iamAccountCollector: KindCollector = {
  kind: 'iam-account',
  schema_version: '1.0.0',
  placement: 'global',
  async list(_s, accountId) {
    return [account('iam-account', accountId)];
  },
  async read(session, at) {
    const acct = at.account_id;
    const r = session.homeRegion;
    const [pp, summary, support] = await Promise.all([
      absentAsNull(
        session.call('iam', acct, r, 'GetAccountPasswordPolicy', (c, o) =>
          c.send(new GetAccountPasswordPolicyCommand({}), o),
        ),
        ['NoSuchEntity', 'NoSuchEntityException'],
      ),
      session.call('iam', acct, r, 'GetAccountSummary', (c, o) =>
        c.send(new GetAccountSummaryCommand({}), o),
      ),
      absentAsNull(
        session.call('iam', acct, r, 'ListEntitiesForPolicy', (c, o) =>
          c.send(new ListEntitiesForPolicyCommand({ PolicyArn: SUPPORT_POLICY_ARN }), o),
        ),
        ['NoSuchEntity', 'NoSuchEntityException'],
      ),
    ]);
    const p = pp?.PasswordPolicy;
    const body = {
      account_id: acct,
      password_policy: p
        ? {
            minimum_password_length: p.MinimumPasswordLength ?? 6,
            require_symbols: p.RequireSymbols === true,
            require_numbers: p.RequireNumbers === true,
            require_uppercase_characters: p.RequireUppercaseCharacters === true,
            require_lowercase_characters: p.RequireLowercaseCharacters === true,
            allow_users_to_change_password: p.AllowUsersToChangePassword === true,
            max_password_age: p.MaxPasswordAge ?? null,
            password_reuse_prevention: p.PasswordReusePrevention ?? null,
            hard_expiry: p.HardExpiry ?? null,
          }
        : null,
      summary: {
        account_mfa_enabled: (summary.SummaryMap?.['AccountMFAEnabled'] ?? 0) > 0,
        account_access_keys_present: (summary.SummaryMap?.['AccountAccessKeysPresent'] ?? 0) > 0,
      },
      support_policy_attachments: {
        roles: (support?.PolicyRoles ?? []).map((x) => x.RoleName ?? '').filter(Boolean),
        users: (support?.PolicyUsers ?? []).map((x) => x.UserName ?? '').filter(Boolean),
        groups: (support?.PolicyGroups ?? []).map((x) => x.GroupName ?? '').filter(Boolean),
      },
    };
    return {
      body,
      raw: {
        GetAccountPasswordPolicy: pp ? rawResponse(pp) : { absent: 'NoSuchEntity' },
        GetAccountSummary: rawResponse(summary),
        ListEntitiesForPolicy: support ? rawResponse(support) : { absent: 'NoSuchEntity' },
      },
    };
  },
};

/** IAM users: credentials (login profile, MFA, keys) and how permissions reach them. */
export const iamUserCollector: KindCollector = {
  kind: 'iam-user',
  schema_version: '1.0.0',
  placement: 'global',
  async list(session, accountId) {
    return (await listUsers(session, accountId)).map((u) => ({
      kind: 'iam-user',
      account_id: accountId,
      region: 'global',
      native_id: u.UserName ?? '',
      name: u.UserName ?? '',
      properties: { account_id: accountId, region: 'global', arn: u.Arn ?? '' },
    }));
  },
  async read(session, at) {
    const acct = at.account_id;
    const r = session.homeRegion;
    const UserName = at.native_id;
    const user = await session.call('iam', acct, r, 'GetUser', (c, o) =>
      c.send(new GetUserCommand({ UserName }), o),
    );
    const [keys, login, mfa, attached, inline, groups] = await Promise.all([
      session.call('iam', acct, r, 'ListAccessKeys', (c, o) =>
        c.send(new ListAccessKeysCommand({ UserName }), o),
      ),
      absentAsNull(
        session.call('iam', acct, r, 'GetLoginProfile', (c, o) =>
          c.send(new GetLoginProfileCommand({ UserName }), o),
        ),
        ['NoSuchEntity', 'NoSuchEntityException'],
      ),
      session.call('iam', acct, r, 'ListMFADevices', (c, o) =>
        c.send(new ListMFADevicesCommand({ UserName }), o),
      ),
      session.call('iam', acct, r, 'ListAttachedUserPolicies', (c, o) =>
        c.send(new ListAttachedUserPoliciesCommand({ UserName }), o),
      ),
      session.call('iam', acct, r, 'ListUserPolicies', (c, o) =>
        c.send(new ListUserPoliciesCommand({ UserName }), o),
      ),
      session.call('iam', acct, r, 'ListGroupsForUser', (c, o) =>
        c.send(new ListGroupsForUserCommand({ UserName }), o),
      ),
    ]);
    const body = {
      user_name: UserName,
      arn: user.User?.Arn ?? '',
      create_date: iso(user.User?.CreateDate),
      password_enabled: login !== null,
      mfa_active: (mfa.MFADevices ?? []).length > 0,
      access_keys: (keys.AccessKeyMetadata ?? []).map((k) => ({
        access_key_id: k.AccessKeyId ?? '',
        status: k.Status === 'Active' ? ('Active' as const) : ('Inactive' as const),
        create_date: iso(k.CreateDate),
      })),
      attached_policy_arns: (attached.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '').filter(Boolean),
      inline_policy_names: inline.PolicyNames ?? [],
      group_names: (groups.Groups ?? []).map((g) => g.GroupName ?? '').filter(Boolean),
    };
    return {
      body,
      raw: {
        GetUser: rawResponse(user),
        ListAccessKeys: rawResponse(keys),
        GetLoginProfile: login ? rawResponse(login) : { absent: 'NoSuchEntity' },
        ListMFADevices: rawResponse(mfa),
        ListAttachedUserPolicies: rawResponse(attached),
        ListUserPolicies: rawResponse(inline),
        ListGroupsForUser: rawResponse(groups),
      },
    };
  },
};

/** IAM access keys, one asset per key (CIS 1.14 rotation). */
export const iamAccessKeyCollector: KindCollector = {
  kind: 'iam-access-key',
  schema_version: '1.0.0',
  placement: 'global',
  async list(session, accountId) {
    const out: NativeAsset[] = [];
    for (const u of await listUsers(session, accountId)) {
      if (!u.UserName) continue;
      for (const k of await listKeys(session, accountId, u.UserName)) {
        if (!k.AccessKeyId) continue;
        out.push({
          kind: 'iam-access-key',
          account_id: accountId,
          region: 'global',
          native_id: accessKeyNativeId(u.UserName, k.AccessKeyId),
          name: `${u.UserName} key ending ${k.AccessKeyId.slice(-4)}`,
          properties: { account_id: accountId, region: 'global', user_name: u.UserName },
        });
      }
    }
    return out;
  },
  async read(session, at) {
    const acct = at.account_id;
    const slash = at.native_id.lastIndexOf('/');
    const userName = at.native_id.slice(0, Math.max(0, slash));
    const keys = slash > 0 ? await listKeys(session, acct, userName) : [];
    const key = keys.find(
      (k) => k.AccessKeyId && accessKeyNativeId(userName, k.AccessKeyId) === at.native_id,
    );
    if (!key?.AccessKeyId) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `access key ${at.native_id} not found`,
        details: { account_id: acct },
      });
    }
    const accessKeyId = key.AccessKeyId;
    const lastUsed = await session.call('iam', acct, session.homeRegion, 'GetAccessKeyLastUsed', (c, o) =>
      c.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }), o),
    );
    const used = lastUsed.AccessKeyLastUsed?.LastUsedDate;
    return {
      body: {
        access_key_id: accessKeyId,
        user_name: userName,
        status: key.Status === 'Active' ? 'Active' : 'Inactive',
        create_date: iso(key.CreateDate),
        last_used_date: used ? iso(used) : null,
      },
      raw: { GetAccessKeyLastUsed: rawResponse(lastUsed), ListAccessKeys: { AccessKeyMetadata: keys } },
    };
  },
};

/** Customer-managed IAM policies with their default version's document. */
export const iamPolicyCollector: KindCollector = {
  kind: 'iam-policy',
  schema_version: '1.0.0',
  placement: 'global',
  async list(session, accountId) {
    const policies = await pagedIam<Policy>(session, accountId, 'ListPolicies', async (c, Marker, o) => {
      const r = await c.send(new ListPoliciesCommand({ Scope: 'Local', ...(Marker ? { Marker } : {}) }), o);
      return { items: r.Policies ?? [], next: r.IsTruncated ? r.Marker : undefined };
    });
    return policies
      .filter((p) => p.Arn && p.PolicyName)
      .map((p) => ({
        kind: 'iam-policy',
        account_id: accountId,
        region: 'global',
        native_id: p.Arn ?? '',
        name: p.PolicyName ?? '',
        properties: { account_id: accountId, region: 'global', arn: p.Arn ?? '' },
      }));
  },
  async read(session, at) {
    const acct = at.account_id;
    const r = session.homeRegion;
    const PolicyArn = at.native_id;
    const pol = await session.call('iam', acct, r, 'GetPolicy', (c, o) =>
      c.send(new GetPolicyCommand({ PolicyArn }), o),
    );
    const VersionId = pol.Policy?.DefaultVersionId ?? 'v1';
    const ver = await session.call('iam', acct, r, 'GetPolicyVersion', (c, o) =>
      c.send(new GetPolicyVersionCommand({ PolicyArn, VersionId }), o),
    );
    return {
      body: {
        arn: PolicyArn,
        name: pol.Policy?.PolicyName ?? PolicyArn,
        is_aws_managed: PolicyArn.startsWith('arn:aws:iam::aws:'),
        attachment_count: pol.Policy?.AttachmentCount ?? 0,
        default_version_id: VersionId,
        document: normalizePolicyDocument(ver.PolicyVersion?.Document ?? '{}'),
      },
      raw: { GetPolicy: rawResponse(pol), GetPolicyVersion: rawResponse(ver) },
    };
  },
};
