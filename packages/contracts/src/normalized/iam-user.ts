import { z } from 'zod';

/** Version of the normalized `iam-user` config body. */
export const IAM_USER_CONFIG_VERSION = '1.0.0';

/** One access key of a user as ListAccessKeys reports it; `create_date` is RFC 3339. */
export const IamUserAccessKeySchema = z.object({
  access_key_id: z.string().min(1),
  status: z.enum(['Active', 'Inactive']),
  create_date: z.iso.datetime({ offset: true }),
});
/** One normalized access key of a user. */
export type IamUserAccessKey = z.infer<typeof IamUserAccessKeySchema>;

/** Normalized config of an IAM user: credentials and how it gets its permissions. */
export const IamUserConfigSchema = z.object({
  user_name: z.string().min(1),
  arn: z.string().min(1),
  create_date: z.iso.datetime({ offset: true }),
  password_enabled: z.boolean(),
  mfa_active: z.boolean(),
  access_keys: z.array(IamUserAccessKeySchema),
  attached_policy_arns: z.array(z.string()),
  inline_policy_names: z.array(z.string()),
  group_names: z.array(z.string()),
});
/** Normalized `iam-user` config body. */
export type IamUserConfig = z.infer<typeof IamUserConfigSchema>;
