import { z } from 'zod';

/** Version of the normalized `cloudtrail-trail` config body. */
export const CLOUDTRAIL_TRAIL_CONFIG_VERSION = '1.0.0';

/**
 * Normalized config of one CloudTrail trail: DescribeTrails, GetTrailStatus (`is_logging`) and the
 * management-event part of its event selectors (classic or advanced, folded into one shape).
 */
export const CloudtrailTrailConfigSchema = z.object({
  name: z.string().min(1),
  arn: z.string().min(1),
  home_region: z.string().min(1),
  is_multi_region_trail: z.boolean(),
  is_organization_trail: z.boolean(),
  is_logging: z.boolean(),
  log_file_validation_enabled: z.boolean(),
  kms_key_id: z.string().nullable(),
  s3_bucket_name: z.string().nullable(),
  include_global_service_events: z.boolean(),
  management_events: z.object({
    included: z.boolean(),
    read_write_type: z.enum(['All', 'ReadOnly', 'WriteOnly']).nullable(),
  }),
});
/** Normalized `cloudtrail-trail` config body. */
export type CloudtrailTrailConfig = z.infer<typeof CloudtrailTrailConfigSchema>;
