import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import { ListEntitiesForPolicyCommand } from '@aws-sdk/client-iam';
import type { BlastRadius, Dependent } from '@neurocipher/seg-ports';
import type { AwsSession } from '../provider/aws-session.ts';
import type { AssetLocator } from '../inventory/collector.ts';

/**
 * Finds dependents of an asset: the ENIs and instances on a security group, the users/groups/roles a policy
 * is attached to, the principals a bucket policy names; account- and region-wide settings say so.
 */
export async function blastRadius(
  session: AwsSession,
  at: AssetLocator,
  config: Record<string, unknown>,
): Promise<BlastRadius> {
  switch (at.kind) {
    case 'security-group': {
      const r = await session.call('ec2', at.account_id, at.region, 'DescribeNetworkInterfaces', (c, o) =>
        c.send(
          new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [at.native_id] }] }),
          o,
        ),
      );
      const dependents: Dependent[] = [];
      for (const eni of r.NetworkInterfaces ?? []) {
        dependents.push({
          type: 'network-interface',
          id: eni.NetworkInterfaceId ?? '',
          relation: 'uses the security group',
        });
        if (eni.Attachment?.InstanceId) {
          dependents.push({
            type: 'ec2-instance',
            id: eni.Attachment.InstanceId,
            relation: 'reachable through the security group',
          });
        }
      }
      return { scope: 'resource', dependents };
    }
    case 'iam-policy': {
      const r = await session.call(
        'iam',
        at.account_id,
        session.homeRegion,
        'ListEntitiesForPolicy',
        (c, o) => c.send(new ListEntitiesForPolicyCommand({ PolicyArn: at.native_id }), o),
      );
      return {
        scope: 'resource',
        dependents: [
          ...(r.PolicyUsers ?? []).map((u) => ({
            type: 'iam-user',
            id: u.UserName ?? '',
            relation: 'policy principal',
          })),
          ...(r.PolicyGroups ?? []).map((g) => ({
            type: 'iam-group',
            id: g.GroupName ?? '',
            relation: 'policy principal',
          })),
          ...(r.PolicyRoles ?? []).map((g) => ({
            type: 'iam-role',
            id: g.RoleName ?? '',
            relation: 'policy principal',
          })),
        ],
      };
    }
    case 'bucket': {
      const stmts =
        (config['policy'] as { statements?: { principals?: { type: string; id: string }[] }[] } | null)
          ?.statements ?? [];
      const ids = new Set<string>();
      for (const s of stmts) for (const p of s.principals ?? []) ids.add(`${p.type}:${p.id}`);
      return {
        scope: 'resource',
        dependents: [...ids]
          .sort()
          .map((id) => ({ type: 'policy-principal', id, relation: 'named in the bucket policy' })),
      };
    }
    case 'iam-user': {
      const keys = (config['access_keys'] as { access_key_id: string }[] | undefined) ?? [];
      return {
        scope: 'resource',
        dependents: keys.map((k) => ({
          type: 'iam-access-key',
          id: k.access_key_id,
          relation: 'credential of the user',
        })),
      };
    }
    case 'iam-account':
    case 's3-account':
    case 'cloudtrail-account':
      return {
        scope: 'account',
        dependents: [{ type: 'account', id: at.account_id, relation: 'account-wide setting' }],
      };
    case 'ebs-encryption-default':
      return {
        scope: 'region',
        dependents: [
          { type: 'region', id: `${at.account_id}/${at.region}`, relation: 'every new EBS volume' },
        ],
      };
    default:
      return { scope: 'resource', dependents: [] };
  }
}
