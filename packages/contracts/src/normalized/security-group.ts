import { z } from 'zod';

/** Version of the normalized `security-group` config body. */
export const SECURITY_GROUP_CONFIG_VERSION = '1.0.0';

/**
 * One permission of a security group. `protocol` is the provider string (`-1` for all, `tcp`, `udp`,
 * `icmp` or a protocol number); ports are `null` when the protocol has none (all traffic).
 */
export const SecurityGroupRuleSchema = z.object({
  protocol: z.string().min(1),
  from_port: z.number().int().nullable(),
  to_port: z.number().int().nullable(),
  ipv4_ranges: z.array(z.string()),
  ipv6_ranges: z.array(z.string()),
  referenced_group_ids: z.array(z.string()),
  prefix_list_ids: z.array(z.string()),
});
/** One normalized security-group rule. */
export type SecurityGroupRule = z.infer<typeof SecurityGroupRuleSchema>;

/** Normalized config of a security group with its ingress and egress rules. */
export const SecurityGroupConfigSchema = z.object({
  group_id: z.string().min(1),
  group_name: z.string().min(1),
  vpc_id: z.string().nullable(),
  description: z.string(),
  ingress: z.array(SecurityGroupRuleSchema),
  egress: z.array(SecurityGroupRuleSchema),
});
/** Normalized `security-group` config body. */
export type SecurityGroupConfig = z.infer<typeof SecurityGroupConfigSchema>;
