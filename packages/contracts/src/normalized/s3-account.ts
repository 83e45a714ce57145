import { z } from 'zod';
import { PublicAccessBlockSchema } from './public-access-block.ts';

/** Version of the normalized `s3-account` config body. */
export const S3_ACCOUNT_CONFIG_VERSION = '1.0.0';

/** Normalized account-level S3 settings; `public_access_block` is `null` when none is configured. */
export const S3AccountConfigSchema = z.object({
  account_id: z.string().min(1),
  public_access_block: PublicAccessBlockSchema.nullable(),
});
/** Normalized `s3-account` config body. */
export type S3AccountConfig = z.infer<typeof S3AccountConfigSchema>;
