import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  DeleteFlowLogsCommand,
  DescribeFlowLogsCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DisableEbsEncryptionByDefaultCommand,
  EnableEbsEncryptionByDefaultCommand,
  GetEbsEncryptionByDefaultCommand,
  ModifyInstanceMetadataOptionsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { requestId, type StepContext, type StepOp } from './step-op.ts';

const ec2 = <T>(
  ctx: StepContext,
  op: string,
  fn: (c: EC2Client, o: { abortSignal: AbortSignal }) => Promise<T>,
): Promise<T> => ctx.session.call('ec2', ctx.at.account_id, ctx.at.region, op, fn);

/** EBS encryption by default in the asset's region; rollback disables it again if it was off. */
export const enableEbsDefaultEncryption: StepOp = {
  action: 'ec2:EnableEbsEncryptionByDefault',
  exactInverse: true,
  async capture(ctx) {
    const r = await ec2(ctx, 'GetEbsEncryptionByDefault', (c, o) =>
      c.send(new GetEbsEncryptionByDefaultCommand({}), o),
    );
    return r.EbsEncryptionByDefault === true;
  },
  satisfied: (s) => s === true,
  async apply(ctx) {
    return requestId(
      await ec2(ctx, 'EnableEbsEncryptionByDefault', (c, o) =>
        c.send(new EnableEbsEncryptionByDefaultCommand({}), o),
      ),
    );
  },
  async restore(ctx, pre) {
    if (pre === true) return undefined;
    return requestId(
      await ec2(ctx, 'DisableEbsEncryptionByDefault', (c, o) =>
        c.send(new DisableEbsEncryptionByDefaultCommand({}), o),
      ),
    );
  },
};

async function flowLogIds(ctx: StepContext): Promise<{ id: string; traffic: string }[]> {
  const r = await ec2(ctx, 'DescribeFlowLogs', (c, o) =>
    c.send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [ctx.at.native_id] }] }), o),
  );
  return (r.FlowLogs ?? [])
    .filter((f) => f.ResourceId === ctx.at.native_id)
    .map((f) => ({ id: f.FlowLogId ?? '', traffic: f.TrafficType ?? 'ALL' }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** A flow log (ALL traffic) to the S3 destination in `log_destination`; rollback deletes the flow logs it added. */
export const createVpcFlowLog: StepOp = {
  action: 'ec2:CreateFlowLogs',
  exactInverse: true,
  capture: flowLogIds,
  satisfied: (s) => (s as { traffic: string }[]).some((f) => f.traffic === 'ALL' || f.traffic === 'REJECT'),
  async apply(ctx) {
    const r = await ec2(ctx, 'CreateFlowLogs', (c, o) =>
      c.send(
        new CreateFlowLogsCommand({
          ResourceIds: [ctx.at.native_id],
          ResourceType: 'VPC',
          TrafficType: 'ALL',
          LogDestinationType: 's3',
          LogDestination: ctx.params['log_destination'] as string,
        }),
        o,
      ),
    );
    return r.FlowLogIds?.[0] ?? requestId(r);
  },
  async restore(ctx, pre) {
    const keep = new Set((pre as { id: string }[]).map((f) => f.id));
    const added = (await flowLogIds(ctx)).filter((f) => !keep.has(f.id)).map((f) => f.id);
    if (added.length === 0) return undefined;
    return requestId(
      await ec2(ctx, 'DeleteFlowLogs', (c, o) => c.send(new DeleteFlowLogsCommand({ FlowLogIds: added }), o)),
    );
  },
};

/** IMDSv2 required on an instance; rollback sets the captured HttpTokens back. */
export const requireImdsV2: StepOp = {
  action: 'ec2:ModifyInstanceMetadataOptions',
  exactInverse: true,
  async capture(ctx) {
    const r = await ec2(ctx, 'DescribeInstances', (c, o) =>
      c.send(new DescribeInstancesCommand({ InstanceIds: [ctx.at.native_id] }), o),
    );
    return r.Reservations?.[0]?.Instances?.[0]?.MetadataOptions?.HttpTokens ?? 'optional';
  },
  satisfied: (s) => s === 'required',
  async apply(ctx) {
    return requestId(
      await ec2(ctx, 'ModifyInstanceMetadataOptions', (c, o) =>
        c.send(
          new ModifyInstanceMetadataOptionsCommand({ InstanceId: ctx.at.native_id, HttpTokens: 'required' }),
          o,
        ),
      ),
    );
  },
  async restore(ctx, pre) {
    return requestId(
      await ec2(ctx, 'ModifyInstanceMetadataOptions', (c, o) =>
        c.send(
          new ModifyInstanceMetadataOptionsCommand({
            InstanceId: ctx.at.native_id,
            HttpTokens: pre as 'optional' | 'required',
          }),
          o,
        ),
      ),
    );
  },
};

interface SgRules {
  ingress: IpPermission[];
  egress: IpPermission[];
}

function clean(p: IpPermission): IpPermission {
  // Keep only what Authorize accepts (descriptions included, so rollback restores them exactly).
  return {
    IpProtocol: p.IpProtocol,
    ...(p.FromPort !== undefined && p.IpProtocol !== '-1' ? { FromPort: p.FromPort } : {}),
    ...(p.ToPort !== undefined && p.IpProtocol !== '-1' ? { ToPort: p.ToPort } : {}),
    ...(p.IpRanges?.length ? { IpRanges: p.IpRanges } : {}),
    ...(p.Ipv6Ranges?.length ? { Ipv6Ranges: p.Ipv6Ranges } : {}),
    ...(p.PrefixListIds?.length ? { PrefixListIds: p.PrefixListIds } : {}),
    ...(p.UserIdGroupPairs?.length
      ? {
          UserIdGroupPairs: p.UserIdGroupPairs.map((g) => ({
            GroupId: g.GroupId,
            ...(g.Description ? { Description: g.Description } : {}),
          })),
        }
      : {}),
  };
}

function coversAdmin(p: IpPermission, ports: number[]): boolean {
  if (p.IpProtocol === '-1') return true;
  if (p.IpProtocol !== 'tcp' && p.IpProtocol !== '6') return false;
  const from = p.FromPort ?? 0;
  const to = p.ToPort ?? 65535;
  return ports.some((x) => x >= from && x <= to);
}

/** The part of a permission open to the internet (0.0.0.0/0, ::/0); undefined when none is. */
function openPart(p: IpPermission): IpPermission | undefined {
  const v4 = (p.IpRanges ?? []).filter((r) => r.CidrIp === '0.0.0.0/0');
  const v6 = (p.Ipv6Ranges ?? []).filter((r) => r.CidrIpv6 === '::/0');
  if (v4.length === 0 && v6.length === 0) return undefined;
  return clean({ ...p, IpRanges: v4, Ipv6Ranges: v6, UserIdGroupPairs: [], PrefixListIds: [] });
}

async function describeGroup(ctx: StepContext): Promise<SgRules> {
  const r = await ec2(ctx, 'DescribeSecurityGroups', (c, o) =>
    c.send(new DescribeSecurityGroupsCommand({ GroupIds: [ctx.at.native_id] }), o),
  );
  const g = r.SecurityGroups?.[0];
  return { ingress: (g?.IpPermissions ?? []).map(clean), egress: (g?.IpPermissionsEgress ?? []).map(clean) };
}

/**
 * Revokes internet ingress (0.0.0.0/0, ::/0) to the admin ports in `admin_ports`; rollback re-authorizes
 * the captured rules, descriptions included. Other rules of the group are untouched.
 */
export const revokeAdminIngress: StepOp = {
  action: 'ec2:RevokeSecurityGroupIngress',
  exactInverse: true,
  async capture(ctx) {
    const ports = ctx.params['admin_ports'] as number[];
    const rules = await describeGroup(ctx);
    return rules.ingress
      .filter((p) => coversAdmin(p, ports))
      .map(openPart)
      .filter((p): p is IpPermission => !!p);
  },
  satisfied: (s) => (s as IpPermission[]).length === 0,
  async apply(ctx, pre) {
    return requestId(
      await ec2(ctx, 'RevokeSecurityGroupIngress', (c, o) =>
        c.send(
          new RevokeSecurityGroupIngressCommand({
            GroupId: ctx.at.native_id,
            IpPermissions: pre as IpPermission[],
          }),
          o,
        ),
      ),
    );
  },
  async restore(ctx, pre) {
    const rules = pre as IpPermission[];
    if (rules.length === 0) return undefined;
    return requestId(
      await ec2(ctx, 'AuthorizeSecurityGroupIngress', (c, o) =>
        c.send(
          new AuthorizeSecurityGroupIngressCommand({ GroupId: ctx.at.native_id, IpPermissions: rules }),
          o,
        ),
      ),
    );
  },
};

/** Revokes every ingress and egress rule of a (default) security group; rollback re-authorizes them. */
export const revokeAllRules: StepOp = {
  action: 'ec2:RevokeSecurityGroupRules',
  exactInverse: true,
  capture: describeGroup,
  satisfied: (s) => (s as SgRules).ingress.length === 0 && (s as SgRules).egress.length === 0,
  async apply(ctx, pre) {
    const r = pre as SgRules;
    let id: string | undefined;
    if (r.ingress.length) {
      id = requestId(
        await ec2(ctx, 'RevokeSecurityGroupIngress', (c, o) =>
          c.send(
            new RevokeSecurityGroupIngressCommand({ GroupId: ctx.at.native_id, IpPermissions: r.ingress }),
            o,
          ),
        ),
      );
    }
    if (r.egress.length) {
      id = requestId(
        await ec2(ctx, 'RevokeSecurityGroupEgress', (c, o) =>
          c.send(
            new RevokeSecurityGroupEgressCommand({ GroupId: ctx.at.native_id, IpPermissions: r.egress }),
            o,
          ),
        ),
      );
    }
    return id;
  },
  async restore(ctx, pre) {
    const r = pre as SgRules;
    const now = await describeGroup(ctx);
    let id: string | undefined;
    if (r.ingress.length && now.ingress.length === 0) {
      id = requestId(
        await ec2(ctx, 'AuthorizeSecurityGroupIngress', (c, o) =>
          c.send(
            new AuthorizeSecurityGroupIngressCommand({ GroupId: ctx.at.native_id, IpPermissions: r.ingress }),
            o,
          ),
        ),
      );
    }
    if (r.egress.length && now.egress.length === 0) {
      id = requestId(
        await ec2(ctx, 'AuthorizeSecurityGroupEgress', (c, o) =>
          c.send(
            new AuthorizeSecurityGroupEgressCommand({ GroupId: ctx.at.native_id, IpPermissions: r.egress }),
            o,
          ),
        ),
      );
    }
    return id;
  },
};
