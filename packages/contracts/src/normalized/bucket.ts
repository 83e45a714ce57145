import { z } from 'zod';
import { PolicyDocumentSchema } from './policy-document.ts';
import { PublicAccessBlockSchema } from './public-access-block.ts';

/** Version of the normalized `bucket` config body. */
export const BUCKET_CONFIG_VERSION = '1.0.0';

/** One ACL grant; `grantee_uri` is set for group grantees (AllUsers, AuthenticatedUsers, LogDelivery). */
export const BucketAclGrantSchema = z.object({
  grantee_type: z.enum(['CanonicalUser', 'Group', 'AmazonCustomerByEmail']),
  grantee_id: z.string().nullable(),
  grantee_uri: z.string().nullable(),
  permission: z.enum(['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP']),
});
/** One normalized bucket ACL grant. */
export type BucketAclGrant = z.infer<typeof BucketAclGrantSchema>;

/** One default-encryption rule of a bucket. */
export const BucketEncryptionRuleSchema = z.object({
  sse_algorithm: z.string().min(1),
  kms_master_key_id: z.string().nullable(),
  bucket_key_enabled: z.boolean(),
});
/** One normalized bucket default-encryption rule. */
export type BucketEncryptionRule = z.infer<typeof BucketEncryptionRuleSchema>;

/**
 * Normalized config of an object-storage bucket (AWS S3). A setting the provider reports as absent
 * (no bucket policy, no Block Public Access configuration, no logging) is `null`, never omitted:
 * an omitted field means the inventory could not read it, and controls report `error`.
 */
export const BucketConfigSchema = z.object({
  name: z.string().min(1),
  region: z.string().min(1),
  public_access_block: PublicAccessBlockSchema.nullable(),
  policy: PolicyDocumentSchema.nullable(),
  encryption: z.object({ rules: z.array(BucketEncryptionRuleSchema) }).nullable(),
  versioning: z.object({
    status: z.enum(['Enabled', 'Suspended']).nullable(),
    mfa_delete: z.enum(['Enabled', 'Disabled']).nullable(),
  }),
  logging: z.object({ target_bucket: z.string().min(1), target_prefix: z.string() }).nullable(),
  acl: z.object({ owner_id: z.string().nullable(), grants: z.array(BucketAclGrantSchema) }),
  ownership_controls: z
    .object({ object_ownership: z.enum(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter']) })
    .nullable(),
});
/** Normalized `bucket` config body. */
export type BucketConfig = z.infer<typeof BucketConfigSchema>;
