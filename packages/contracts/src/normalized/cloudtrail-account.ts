import { z } from 'zod';
import { CloudtrailTrailConfigSchema } from './cloudtrail-trail.ts';

/** Version of the normalized `cloudtrail-account` config body. */
export const CLOUDTRAIL_ACCOUNT_CONFIG_VERSION = '1.0.0';

/** Normalized account-wide CloudTrail view: every trail visible to the account, shadow trails removed. */
export const CloudtrailAccountConfigSchema = z.object({
  account_id: z.string().min(1),
  trails: z.array(CloudtrailTrailConfigSchema),
});
/** Normalized `cloudtrail-account` config body. */
export type CloudtrailAccountConfig = z.infer<typeof CloudtrailAccountConfigSchema>;
