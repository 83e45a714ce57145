import { z } from 'zod';

/** Version of the normalized `ec2-instance` config body. */
export const EC2_INSTANCE_CONFIG_VERSION = '1.0.0';

/** Normalized config of a virtual machine (AWS EC2 DescribeInstances), with its metadata options. */
export const Ec2InstanceConfigSchema = z.object({
  instance_id: z.string().min(1),
  state: z.string().min(1),
  metadata_options: z.object({
    http_tokens: z.enum(['optional', 'required']),
    http_endpoint: z.enum(['enabled', 'disabled']),
    http_put_response_hop_limit: z.number().int().nullable(),
  }),
});
/** Normalized `ec2-instance` config body. */
export type Ec2InstanceConfig = z.infer<typeof Ec2InstanceConfigSchema>;
