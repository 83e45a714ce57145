// The settings a remediation may need that a finding does not carry, as a caller gives them.
import { z } from 'zod';

/** The settings some AWS remediations need (docs/adapters/aws.md): log buckets, KMS keys, ports. */
export const RemediationSettingsSchema = z
  .object({
    access_log_bucket: z.string().min(1),
    flow_log_bucket: z.string().min(1),
    trail_kms_key_id: z.string().min(1),
    bucket_kms_key_id: z.string().min(1),
    support_role_trusted_principal: z.string().min(1),
    admin_ports: z
      .string()
      .regex(/^\d{1,5}(,\d{1,5})*$/, 'must be comma-separated port numbers')
      .transform((s) => s.split(',').map(Number)),
  })
  .partial()
  .strict();
