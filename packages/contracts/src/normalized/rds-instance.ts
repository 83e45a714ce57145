import { z } from 'zod';

/** Version of the normalized `rds-instance` config body. */
export const RDS_INSTANCE_CONFIG_VERSION = '1.0.0';

/** Normalized config of a managed database instance (AWS RDS DescribeDBInstances). */
export const RdsInstanceConfigSchema = z.object({
  db_instance_identifier: z.string().min(1),
  arn: z.string().min(1),
  engine: z.string().min(1),
  engine_version: z.string(),
  status: z.string().min(1),
  publicly_accessible: z.boolean(),
  storage_encrypted: z.boolean(),
  kms_key_id: z.string().nullable(),
  auto_minor_version_upgrade: z.boolean(),
});
/** Normalized `rds-instance` config body. */
export type RdsInstanceConfig = z.infer<typeof RdsInstanceConfigSchema>;
