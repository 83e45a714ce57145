import type { AssetLocator } from '../inventory/collector.ts';
import {
  createSupportRole,
  deactivateAccessKeys,
  detachPolicyEverywhere,
  detachUserPolicies,
  updatePasswordPolicy,
} from './iam-steps.ts';
import {
  createVpcFlowLog,
  enableEbsDefaultEncryption,
  requireImdsV2,
  revokeAdminIngress,
  revokeAllRules,
} from './ec2-steps.ts';
import {
  addSecureTransportStatement,
  deletePublicBucketPolicy,
  enableBucketVersioning,
  makeBucketAclPrivate,
  putAccountPab,
  putBucketEncryptionKms,
  putBucketLogging,
  putBucketPab,
} from './s3-steps.ts';
import { enableKeyRotation, modifyDbInstance, startTrailLogging, updateTrail } from './service-steps.ts';
import type { StepOp } from './step-op.ts';
import { EC2_REMEDIATIONS } from './controls/ec2-remediations.ts';
import { IAM_REMEDIATIONS } from './controls/iam-remediations.ts';
import { LOGGING_REMEDIATIONS } from './controls/logging-remediations.ts';
import { RDS_REMEDIATIONS } from './controls/rds-remediations.ts';
import { S3_REMEDIATIONS } from './controls/s3-remediations.ts';

/** Settings remediations need that a finding does not carry (where logs go, which key encrypts). */
export interface RemediationDefaults {
  /** Target bucket of S3 server access logs (must grant log delivery). */
  access_log_bucket?: string | undefined;
  /** Bucket that receives VPC flow logs. */
  flow_log_bucket?: string | undefined;
  /** KMS key (ARN) CloudTrail encrypts with. */
  trail_kms_key_id?: string | undefined;
  /** KMS key for S3 default encryption (the AWS-managed `aws/s3` key when absent). */
  bucket_kms_key_id?: string | undefined;
  /** Principal (ARN) trusted to assume the support role (CIS 1.17); default the account root. */
  support_role_trusted_principal?: string | undefined;
  /** Remote-administration ports (CIS 5.2); default 22 and 3389. */
  admin_ports?: number[] | undefined;
}

/** One planned step: the op, its parameters, and what it does to the normalized config (for the preview). */
export interface PlannedStep {
  op: StepOp;
  description: string;
  params: Record<string, unknown>;
  /** Whether this step alone needs approval (say, deleting a bucket policy in an otherwise automatic plan). */
  needs_approval?: boolean;
  project(config: Record<string, unknown>): void;
}

/** How one control is remediated on AWS (notes/moto.md §3). */
export interface ControlRemediation {
  control_id: string;
  kind: string;
  /** `auto`: low blast radius and an exact inverse; `approval`: reversible but able to break workloads. */
  automation: 'auto' | 'approval';
  risk: 'low' | 'medium' | 'high';
  /** What the remediation does and what rollback does, for docs and plan descriptions. */
  summary: string;
  rollback: string;
  /** The steps that drive `config` to pass (empty when it already passes). */
  plan(config: Record<string, unknown>, at: AssetLocator, d: RemediationDefaults): PlannedStep[];
}

/** Every control with a remediation in notes/moto.md §3 (the 12 Auto ones and 13 that need approval). */
export const CONTROL_REMEDIATIONS: readonly ControlRemediation[] = [
  ...IAM_REMEDIATIONS,
  ...S3_REMEDIATIONS,
  ...EC2_REMEDIATIONS,
  ...RDS_REMEDIATIONS,
  ...LOGGING_REMEDIATIONS,
];

/** The remediation of a control, or undefined when it has none. */
export function remediationFor(controlId: string): ControlRemediation | undefined {
  return CONTROL_REMEDIATIONS.find((r) => r.control_id === controlId);
}

/** Every step op, by action (apply and rollback look them up from the plan's steps). */
export const STEP_OPS: ReadonlyMap<string, StepOp> = new Map(
  [
    updatePasswordPolicy,
    addSecureTransportStatement,
    putBucketPab,
    deletePublicBucketPolicy,
    putAccountPab,
    putBucketEncryptionKms,
    putBucketLogging,
    enableEbsDefaultEncryption,
    modifyDbInstance,
    updateTrail,
    enableKeyRotation,
    createVpcFlowLog,
    enableBucketVersioning,
    makeBucketAclPrivate,
    requireImdsV2,
    revokeAdminIngress,
    revokeAllRules,
    deactivateAccessKeys,
    detachUserPolicies,
    detachPolicyEverywhere,
    startTrailLogging,
    createSupportRole,
  ].map((op) => [op.action, op]),
);
