import { z } from 'zod';

/** Version of the normalized `iam-access-key` config body. */
export const IAM_ACCESS_KEY_CONFIG_VERSION = '1.0.0';

/** Normalized config of one IAM access key; dates are RFC 3339, `last_used_date` `null` if never used. */
export const IamAccessKeyConfigSchema = z.object({
  access_key_id: z.string().min(1),
  user_name: z.string().min(1),
  status: z.enum(['Active', 'Inactive']),
  create_date: z.iso.datetime({ offset: true }),
  last_used_date: z.iso.datetime({ offset: true }).nullable(),
});
/** Normalized `iam-access-key` config body. */
export type IamAccessKeyConfig = z.infer<typeof IamAccessKeyConfigSchema>;
