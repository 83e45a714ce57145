import { z } from 'zod';

/** Version of the normalized `ebs-encryption-default` config body. */
export const EBS_ENCRYPTION_DEFAULT_CONFIG_VERSION = '1.0.0';

/** Normalized per-region EBS encryption-by-default setting of one account. */
export const EbsEncryptionDefaultConfigSchema = z.object({
  account_id: z.string().min(1),
  region: z.string().min(1),
  encryption_by_default: z.boolean(),
  default_kms_key_id: z.string().nullable(),
});
/** Normalized `ebs-encryption-default` config body. */
export type EbsEncryptionDefaultConfig = z.infer<typeof EbsEncryptionDefaultConfigSchema>;
