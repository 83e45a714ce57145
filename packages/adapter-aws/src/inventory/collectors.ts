import type { KindCollector } from './collector.ts';
import { cloudtrailAccountCollector, cloudtrailTrailCollector } from './cloudtrail-collectors.ts';
import {
  ebsDefaultCollector,
  ec2InstanceCollector,
  securityGroupCollector,
  vpcCollector,
} from './ec2-collectors.ts';
import {
  iamAccessKeyCollector,
  iamAccountCollector,
  iamPolicyCollector,
  iamUserCollector,
} from './iam-collectors.ts';
import { kmsKeyCollector } from './kms-collectors.ts';
import { rdsInstanceCollector } from './rds-collectors.ts';
import { bucketCollector, s3AccountCollector } from './s3-collectors.ts';

/** Every asset kind the AWS adapter inventories, in listing order. */
export const AWS_COLLECTORS: readonly KindCollector[] = [
  s3AccountCollector,
  bucketCollector,
  iamAccountCollector,
  iamUserCollector,
  iamAccessKeyCollector,
  iamPolicyCollector,
  kmsKeyCollector,
  cloudtrailAccountCollector,
  cloudtrailTrailCollector,
  ebsDefaultCollector,
  ec2InstanceCollector,
  securityGroupCollector,
  vpcCollector,
  rdsInstanceCollector,
];

/** The asset kinds the AWS adapter knows (`bucket`, `security-group`, …). */
export const AWS_ASSET_KINDS: readonly string[] = AWS_COLLECTORS.map((c) => c.kind);
