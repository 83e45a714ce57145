import { z } from 'zod';

/** The four S3 Block Public Access flags, shared by bucket and s3-account configs. */
export const PublicAccessBlockSchema = z.object({
  block_public_acls: z.boolean(),
  ignore_public_acls: z.boolean(),
  block_public_policy: z.boolean(),
  restrict_public_buckets: z.boolean(),
});
/** S3 Block Public Access flags. */
export type PublicAccessBlock = z.infer<typeof PublicAccessBlockSchema>;
