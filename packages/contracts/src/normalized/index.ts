import type { z } from 'zod';
import {
  BUCKET_CONFIG_VERSION,
  BucketAclGrantSchema,
  BucketConfigSchema,
  BucketEncryptionRuleSchema,
} from './bucket.ts';
import type { BucketAclGrant, BucketConfig, BucketEncryptionRule } from './bucket.ts';
import { CLOUDTRAIL_ACCOUNT_CONFIG_VERSION, CloudtrailAccountConfigSchema } from './cloudtrail-account.ts';
import type { CloudtrailAccountConfig } from './cloudtrail-account.ts';
import { CLOUDTRAIL_TRAIL_CONFIG_VERSION, CloudtrailTrailConfigSchema } from './cloudtrail-trail.ts';
import type { CloudtrailTrailConfig } from './cloudtrail-trail.ts';
import {
  EBS_ENCRYPTION_DEFAULT_CONFIG_VERSION,
  EbsEncryptionDefaultConfigSchema,
} from './ebs-encryption-default.ts';
import type { EbsEncryptionDefaultConfig } from './ebs-encryption-default.ts';
import { EC2_INSTANCE_CONFIG_VERSION, Ec2InstanceConfigSchema } from './ec2-instance.ts';
import type { Ec2InstanceConfig } from './ec2-instance.ts';
import { IAM_ACCESS_KEY_CONFIG_VERSION, IamAccessKeyConfigSchema } from './iam-access-key.ts';
import type { IamAccessKeyConfig } from './iam-access-key.ts';
import { IAM_ACCOUNT_CONFIG_VERSION, IamAccountConfigSchema, PasswordPolicySchema } from './iam-account.ts';
import type { IamAccountConfig, PasswordPolicy } from './iam-account.ts';
import { IAM_POLICY_CONFIG_VERSION, IamPolicyConfigSchema } from './iam-policy.ts';
import type { IamPolicyConfig } from './iam-policy.ts';
import { IAM_USER_CONFIG_VERSION, IamUserAccessKeySchema, IamUserConfigSchema } from './iam-user.ts';
import type { IamUserAccessKey, IamUserConfig } from './iam-user.ts';
import { KMS_KEY_CONFIG_VERSION, KmsKeyConfigSchema } from './kms-key.ts';
import type { KmsKeyConfig } from './kms-key.ts';
import {
  POLICY_DOCUMENT_VERSION,
  PolicyConditionSchema,
  PolicyDocumentSchema,
  PolicyPrincipalSchema,
  PolicyStatementSchema,
} from './policy-document.ts';
import type { PolicyCondition, PolicyDocument, PolicyPrincipal, PolicyStatement } from './policy-document.ts';
import { PublicAccessBlockSchema } from './public-access-block.ts';
import type { PublicAccessBlock } from './public-access-block.ts';
import { RDS_INSTANCE_CONFIG_VERSION, RdsInstanceConfigSchema } from './rds-instance.ts';
import type { RdsInstanceConfig } from './rds-instance.ts';
import { S3_ACCOUNT_CONFIG_VERSION, S3AccountConfigSchema } from './s3-account.ts';
import type { S3AccountConfig } from './s3-account.ts';
import {
  SECURITY_GROUP_CONFIG_VERSION,
  SecurityGroupConfigSchema,
  SecurityGroupRuleSchema,
} from './security-group.ts';
import type { SecurityGroupConfig, SecurityGroupRule } from './security-group.ts';
import { VPC_CONFIG_VERSION, VpcConfigSchema, VpcFlowLogSchema } from './vpc.ts';
import type { VpcConfig, VpcFlowLog } from './vpc.ts';

/** One normalized config body schema: the `ConfigDoc.body` shape controls read for an asset kind. */
export interface NormalizedConfigSchema {
  /** Asset kind (`Asset.kind`) whose config bodies this schema describes. */
  kind: string;
  /** Semantic version, also `ConfigDoc.schema_version` for documents of this kind. */
  version: string;
  schema: z.ZodType;
}

/**
 * Every normalized config body by asset kind, at its current version. Inventory adapters emit these
 * bodies; policy bundles read nothing else. The schema registry publishes each as a versioned JSON Schema.
 */
export const normalizedConfigSchemas: readonly NormalizedConfigSchema[] = [
  { kind: 'bucket', version: BUCKET_CONFIG_VERSION, schema: BucketConfigSchema },
  {
    kind: 'cloudtrail-account',
    version: CLOUDTRAIL_ACCOUNT_CONFIG_VERSION,
    schema: CloudtrailAccountConfigSchema,
  },
  { kind: 'cloudtrail-trail', version: CLOUDTRAIL_TRAIL_CONFIG_VERSION, schema: CloudtrailTrailConfigSchema },
  {
    kind: 'ebs-encryption-default',
    version: EBS_ENCRYPTION_DEFAULT_CONFIG_VERSION,
    schema: EbsEncryptionDefaultConfigSchema,
  },
  { kind: 'ec2-instance', version: EC2_INSTANCE_CONFIG_VERSION, schema: Ec2InstanceConfigSchema },
  { kind: 'iam-access-key', version: IAM_ACCESS_KEY_CONFIG_VERSION, schema: IamAccessKeyConfigSchema },
  { kind: 'iam-account', version: IAM_ACCOUNT_CONFIG_VERSION, schema: IamAccountConfigSchema },
  { kind: 'iam-policy', version: IAM_POLICY_CONFIG_VERSION, schema: IamPolicyConfigSchema },
  { kind: 'iam-user', version: IAM_USER_CONFIG_VERSION, schema: IamUserConfigSchema },
  { kind: 'kms-key', version: KMS_KEY_CONFIG_VERSION, schema: KmsKeyConfigSchema },
  { kind: 'rds-instance', version: RDS_INSTANCE_CONFIG_VERSION, schema: RdsInstanceConfigSchema },
  { kind: 's3-account', version: S3_ACCOUNT_CONFIG_VERSION, schema: S3AccountConfigSchema },
  { kind: 'security-group', version: SECURITY_GROUP_CONFIG_VERSION, schema: SecurityGroupConfigSchema },
  { kind: 'vpc', version: VPC_CONFIG_VERSION, schema: VpcConfigSchema },
];

/** The normalized config schema of `kind`, or undefined when no schema covers that kind. */
export function normalizedConfigSchemaFor(kind: string): NormalizedConfigSchema | undefined {
  return normalizedConfigSchemas.find((s) => s.kind === kind);
}

export {
  BUCKET_CONFIG_VERSION,
  BucketAclGrantSchema,
  BucketConfigSchema,
  BucketEncryptionRuleSchema,
  CLOUDTRAIL_ACCOUNT_CONFIG_VERSION,
  CLOUDTRAIL_TRAIL_CONFIG_VERSION,
  CloudtrailAccountConfigSchema,
  CloudtrailTrailConfigSchema,
  EBS_ENCRYPTION_DEFAULT_CONFIG_VERSION,
  EC2_INSTANCE_CONFIG_VERSION,
  EbsEncryptionDefaultConfigSchema,
  Ec2InstanceConfigSchema,
  IAM_ACCESS_KEY_CONFIG_VERSION,
  IAM_ACCOUNT_CONFIG_VERSION,
  IAM_POLICY_CONFIG_VERSION,
  IAM_USER_CONFIG_VERSION,
  IamAccessKeyConfigSchema,
  IamAccountConfigSchema,
  IamPolicyConfigSchema,
  IamUserAccessKeySchema,
  IamUserConfigSchema,
  KMS_KEY_CONFIG_VERSION,
  KmsKeyConfigSchema,
  POLICY_DOCUMENT_VERSION,
  PasswordPolicySchema,
  PolicyConditionSchema,
  PolicyDocumentSchema,
  PolicyPrincipalSchema,
  PolicyStatementSchema,
  PublicAccessBlockSchema,
  RDS_INSTANCE_CONFIG_VERSION,
  RdsInstanceConfigSchema,
  S3_ACCOUNT_CONFIG_VERSION,
  S3AccountConfigSchema,
  SECURITY_GROUP_CONFIG_VERSION,
  SecurityGroupConfigSchema,
  SecurityGroupRuleSchema,
  VPC_CONFIG_VERSION,
  VpcConfigSchema,
  VpcFlowLogSchema,
};
export type {
  BucketAclGrant,
  BucketConfig,
  BucketEncryptionRule,
  CloudtrailAccountConfig,
  CloudtrailTrailConfig,
  EbsEncryptionDefaultConfig,
  Ec2InstanceConfig,
  IamAccessKeyConfig,
  IamAccountConfig,
  IamPolicyConfig,
  IamUserAccessKey,
  IamUserConfig,
  KmsKeyConfig,
  PasswordPolicy,
  PolicyCondition,
  PolicyDocument,
  PolicyPrincipal,
  PolicyStatement,
  PublicAccessBlock,
  RdsInstanceConfig,
  S3AccountConfig,
  SecurityGroupConfig,
  SecurityGroupRule,
  VpcConfig,
  VpcFlowLog,
};
