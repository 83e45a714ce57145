import { z } from 'zod';

/** Version of the normalized `vpc` config body. */
export const VPC_CONFIG_VERSION = '1.0.0';

/** One flow log attached to the VPC (DescribeFlowLogs filtered by resource id). */
export const VpcFlowLogSchema = z.object({
  flow_log_id: z.string().min(1),
  traffic_type: z.enum(['ACCEPT', 'REJECT', 'ALL']),
  status: z.string().min(1),
  destination_type: z.string().min(1),
});
/** One normalized VPC flow log. */
export type VpcFlowLog = z.infer<typeof VpcFlowLogSchema>;

/** Normalized config of a virtual network (AWS VPC). */
export const VpcConfigSchema = z.object({
  vpc_id: z.string().min(1),
  is_default: z.boolean(),
  cidr_block: z.string().min(1),
  flow_logs: z.array(VpcFlowLogSchema),
});
/** Normalized `vpc` config body. */
export type VpcConfig = z.infer<typeof VpcConfigSchema>;
