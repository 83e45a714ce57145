import { z } from 'zod';

/** Version of the normalized `iam-account` config body. */
export const IAM_ACCOUNT_CONFIG_VERSION = '1.0.0';

/** The account password policy (GetAccountPasswordPolicy), with AWS's optional numbers as `null`. */
export const PasswordPolicySchema = z.object({
  minimum_password_length: z.number().int().min(0),
  require_symbols: z.boolean(),
  require_numbers: z.boolean(),
  require_uppercase_characters: z.boolean(),
  require_lowercase_characters: z.boolean(),
  allow_users_to_change_password: z.boolean(),
  max_password_age: z.number().int().min(0).nullable(),
  password_reuse_prevention: z.number().int().min(0).nullable(),
  hard_expiry: z.boolean().nullable(),
});
/** A normalized account password policy. */
export type PasswordPolicy = z.infer<typeof PasswordPolicySchema>;

/**
 * Normalized IAM settings of one account: the password policy (`null` when the account has none),
 * root-account summary flags, and the entities attached to the AWSSupportAccess managed policy.
 */
export const IamAccountConfigSchema = z.object({
  account_id: z.string().min(1),
  password_policy: PasswordPolicySchema.nullable(),
  summary: z.object({
    account_mfa_enabled: z.boolean(),
    account_access_keys_present: z.boolean(),
  }),
  support_policy_attachments: z.object({
    roles: z.array(z.string()),
    users: z.array(z.string()),
    groups: z.array(z.string()),
  }),
});
/** Normalized `iam-account` config body. */
export type IamAccountConfig = z.infer<typeof IamAccountConfigSchema>;
