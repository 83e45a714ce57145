import {
  DescribeFlowLogsCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  GetEbsEncryptionByDefaultCommand,
  type EC2Client,
  type Instance,
  type IpPermission,
  type SecurityGroup,
  type Vpc,
} from '@aws-sdk/client-ec2';
import { SegError } from '@neurocipher/seg-contracts';
import { rawResponse } from '../provider/aws-call.ts';
import type { AwsSession } from '../provider/aws-session.ts';
import type { AssetLocator, KindCollector, NativeAsset } from './collector.ts';

/** Loops an EC2 Describe call on NextToken until it ends. */
async function pagedEc2<T>(
  session: AwsSession,
  accountId: string,
  region: string,
  op: string,
  fetch: (
    c: EC2Client,
    token: string | undefined,
    o: { abortSignal: AbortSignal },
  ) => Promise<{ items: T[]; next?: string | undefined }>,
): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await session.call('ec2', accountId, region, op, (c, o) => fetch(c, token, o));
    out.push(...page.items);
    token = page.next;
  } while (token);
  return out;
}

function notFound(at: AssetLocator): SegError {
  return new SegError({
    error_code: 'SEG_NOT_FOUND',
    message: `${at.kind} ${at.native_id} not found in ${at.region}`,
    details: { account_id: at.account_id, region: at.region },
  });
}

const tagName = (
  tags: { Key?: string | undefined; Value?: string | undefined }[] | undefined,
  fallback: string,
) => tags?.find((t) => t.Key === 'Name')?.Value ?? fallback;

/** One normalized security-group permission. */
export function normalizeRule(p: IpPermission) {
  const proto = p.IpProtocol ?? '-1';
  return {
    protocol: proto,
    from_port: proto === '-1' ? null : (p.FromPort ?? null),
    to_port: proto === '-1' ? null : (p.ToPort ?? null),
    ipv4_ranges: (p.IpRanges ?? []).map((r) => r.CidrIp ?? '').filter(Boolean),
    ipv6_ranges: (p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? '').filter(Boolean),
    referenced_group_ids: (p.UserIdGroupPairs ?? []).map((g) => g.GroupId ?? '').filter(Boolean),
    prefix_list_ids: (p.PrefixListIds ?? []).map((g) => g.PrefixListId ?? '').filter(Boolean),
  };
}

/** Normalized security-group body from a DescribeSecurityGroups entry. */
export function normalizeSecurityGroup(g: SecurityGroup) {
  return {
    group_id: g.GroupId ?? '',
    group_name: g.GroupName ?? '',
    vpc_id: g.VpcId ?? null,
    description: g.Description ?? '',
    ingress: (g.IpPermissions ?? []).map(normalizeRule),
    egress: (g.IpPermissionsEgress ?? []).map(normalizeRule),
  };
}

/** Security groups of every VPC in a region. */
export const securityGroupCollector: KindCollector = {
  kind: 'security-group',
  schema_version: '1.0.0',
  placement: 'regional',
  async list(session, accountId, region) {
    const groups = await pagedEc2<SecurityGroup>(
      session,
      accountId,
      region,
      'DescribeSecurityGroups',
      async (c, t, o) => {
        const r = await c.send(new DescribeSecurityGroupsCommand(t ? { NextToken: t } : {}), o);
        return { items: r.SecurityGroups ?? [], next: r.NextToken };
      },
    );
    return groups.map((g) => ({
      kind: 'security-group',
      account_id: accountId,
      region,
      native_id: g.GroupId ?? '',
      name: g.GroupName ?? g.GroupId ?? '',
      properties: { account_id: accountId, region, vpc_id: g.VpcId ?? '', group_name: g.GroupName ?? '' },
    }));
  },
  async read(session, at) {
    const r = await session.call('ec2', at.account_id, at.region, 'DescribeSecurityGroups', (c, o) =>
      c.send(new DescribeSecurityGroupsCommand({ GroupIds: [at.native_id] }), o),
    );
    const g = r.SecurityGroups?.[0];
    if (!g) throw notFound(at);
    return { body: normalizeSecurityGroup(g), raw: { DescribeSecurityGroups: rawResponse(r) } };
  },
};

/** VPCs with their flow logs. */
export const vpcCollector: KindCollector = {
  kind: 'vpc',
  schema_version: '1.0.0',
  placement: 'regional',
  async list(session, accountId, region) {
    const vpcs = await pagedEc2<Vpc>(session, accountId, region, 'DescribeVpcs', async (c, t, o) => {
      const r = await c.send(new DescribeVpcsCommand(t ? { NextToken: t } : {}), o);
      return { items: r.Vpcs ?? [], next: r.NextToken };
    });
    return vpcs.map((v) => ({
      kind: 'vpc',
      account_id: accountId,
      region,
      native_id: v.VpcId ?? '',
      name: tagName(v.Tags, v.VpcId ?? ''),
      properties: { account_id: accountId, region, is_default: v.IsDefault === true },
    }));
  },
  async read(session, at) {
    const vr = await session.call('ec2', at.account_id, at.region, 'DescribeVpcs', (c, o) =>
      c.send(new DescribeVpcsCommand({ VpcIds: [at.native_id] }), o),
    );
    const v = vr.Vpcs?.[0];
    if (!v) throw notFound(at);
    const fl = await session.call('ec2', at.account_id, at.region, 'DescribeFlowLogs', (c, o) =>
      c.send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [at.native_id] }] }), o),
    );
    return {
      body: {
        vpc_id: at.native_id,
        is_default: v.IsDefault === true,
        cidr_block: v.CidrBlock ?? '',
        flow_logs: (fl.FlowLogs ?? [])
          .filter((f) => f.ResourceId === at.native_id)
          .map((f) => ({
            flow_log_id: f.FlowLogId ?? '',
            traffic_type: (f.TrafficType ?? 'ALL') as 'ACCEPT' | 'REJECT' | 'ALL',
            status: f.FlowLogStatus ?? 'ACTIVE',
            destination_type: f.LogDestinationType ?? 'cloud-watch-logs',
          })),
      },
      raw: { DescribeVpcs: rawResponse(vr), DescribeFlowLogs: rawResponse(fl) },
    };
  },
};

/** EC2 instances (not terminated) with their metadata options. */
export const ec2InstanceCollector: KindCollector = {
  kind: 'ec2-instance',
  schema_version: '1.0.0',
  placement: 'regional',
  async list(session, accountId, region) {
    const instances = await pagedEc2<Instance>(
      session,
      accountId,
      region,
      'DescribeInstances',
      async (c, t, o) => {
        const r = await c.send(new DescribeInstancesCommand(t ? { NextToken: t } : {}), o);
        return { items: (r.Reservations ?? []).flatMap((x) => x.Instances ?? []), next: r.NextToken };
      },
    );
    return instances
      .filter((i) => i.InstanceId && i.State?.Name !== 'terminated')
      .map((i) => ({
        kind: 'ec2-instance',
        account_id: accountId,
        region,
        native_id: i.InstanceId ?? '',
        name: tagName(i.Tags, i.InstanceId ?? ''),
        properties: { account_id: accountId, region, vpc_id: i.VpcId ?? '' },
      }));
  },
  async read(session, at) {
    const r = await session.call('ec2', at.account_id, at.region, 'DescribeInstances', (c, o) =>
      c.send(new DescribeInstancesCommand({ InstanceIds: [at.native_id] }), o),
    );
    const i = r.Reservations?.[0]?.Instances?.[0];
    if (!i || i.State?.Name === 'terminated') throw notFound(at);
    const m = i.MetadataOptions;
    return {
      body: {
        instance_id: at.native_id,
        state: i.State?.Name ?? 'unknown',
        metadata_options: {
          http_tokens: m?.HttpTokens === 'required' ? 'required' : 'optional',
          http_endpoint: m?.HttpEndpoint === 'disabled' ? 'disabled' : 'enabled',
          http_put_response_hop_limit: m?.HttpPutResponseHopLimit ?? null,
        },
      },
      raw: { DescribeInstances: rawResponse(r) },
    };
  },
};

/** EBS encryption-by-default, one asset per account and region. */
export const ebsDefaultCollector: KindCollector = {
  kind: 'ebs-encryption-default',
  schema_version: '1.0.0',
  placement: 'regional',
  async list(_session, accountId, region): Promise<NativeAsset[]> {
    return [
      {
        kind: 'ebs-encryption-default',
        account_id: accountId,
        region,
        native_id: 'ebs-encryption-default',
        name: `EBS default encryption ${region}`,
        properties: { account_id: accountId, region },
      },
    ];
  },
  async read(session, at) {
    const r = await session.call('ec2', at.account_id, at.region, 'GetEbsEncryptionByDefault', (c, o) =>
      c.send(new GetEbsEncryptionByDefaultCommand({}), o),
    );
    // GetEbsDefaultKmsKeyId is not served by moto (notes/moto.md §2): the key stays null.
    return {
      body: {
        account_id: at.account_id,
        region: at.region,
        encryption_by_default: r.EbsEncryptionByDefault === true,
        default_kms_key_id: null,
      },
      raw: { GetEbsEncryptionByDefault: rawResponse(r) },
    };
  },
};
