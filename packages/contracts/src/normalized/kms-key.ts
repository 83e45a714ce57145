import { z } from 'zod';

/** Version of the normalized `kms-key` config body. */
export const KMS_KEY_CONFIG_VERSION = '1.0.0';

/**
 * Normalized config of a KMS key (DescribeKey + GetKeyRotationStatus). `rotation_enabled` is `null`
 * when the provider does not report rotation for the key (asymmetric, HMAC or imported keys).
 */
export const KmsKeyConfigSchema = z.object({
  key_id: z.string().min(1),
  arn: z.string().min(1),
  key_manager: z.enum(['AWS', 'CUSTOMER']),
  key_spec: z.string().min(1),
  key_usage: z.string().min(1),
  key_state: z.string().min(1),
  origin: z.string().min(1),
  rotation_enabled: z.boolean().nullable(),
});
/** Normalized `kms-key` config body. */
export type KmsKeyConfig = z.infer<typeof KmsKeyConfigSchema>;
