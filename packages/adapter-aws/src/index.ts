// @neurocipher/seg-adapter-aws: the AWS provider adapter (spec §8.1, §21).
export { AwsInventoryAdapter } from './inventory/aws-inventory-adapter.ts';
export type { AwsInventoryAdapterOptions, BodyValidator } from './inventory/aws-inventory-adapter.ts';
export { awsAssetUrn, parseAwsAssetUrn } from './inventory/asset-urn.ts';
export { accessKeyNativeId } from './inventory/iam-collectors.ts';
export { AWS_ASSET_KINDS, AWS_COLLECTORS } from './inventory/collectors.ts';
export type { AssetLocator, Capture, KindCollector, NativeAsset } from './inventory/collector.ts';
export { validateNormalizedBody } from './inventory/normalized-validator.ts';
export { normalizePolicyDocument } from './inventory/policy-document.ts';
export type { PolicyDocument, PolicyStatement } from './inventory/policy-document.ts';
export { ConfigHistory } from './evidence/config-history.ts';
export type { CaptureRecord, ConfigHistoryOptions } from './evidence/config-history.ts';
export { DEFAULT_RETRY, awsCall, rawResponse, withAbortSignal } from './provider/aws-call.ts';
export type { AwsCallOptions, RetryPolicy } from './provider/aws-call.ts';
export { absentAsNull, awsErrorName, isThrottle, isTransient, toSegError } from './provider/aws-error.ts';
export type { AwsCallContext } from './provider/aws-error.ts';
export { AwsSession } from './provider/aws-session.ts';
export { openKmsKeyProvider, openKmsSigner, openS3BlobStore } from './provider/aws-parts.ts';
export type { AwsPart, AwsPartSettings } from './provider/aws-parts.ts';
export type {
  AwsAccount,
  AwsCredentials,
  AwsService,
  AwsServiceClients,
  AwsSessionOptions,
  DecoratableClient,
} from './provider/aws-session.ts';
export { AwsRemediationSteps } from './remediation/aws-remediation-steps.ts';
export type { AwsRemediationStepsOptions } from './remediation/aws-remediation-steps.ts';
export { blastRadius } from './remediation/blast-radius.ts';
export { CONTROL_REMEDIATIONS, STEP_OPS, remediationFor } from './remediation/control-remediations.ts';
export type {
  ControlRemediation,
  PlannedStep,
  RemediationDefaults,
} from './remediation/control-remediations.ts';
export type { StepContext, StepOp as AwsStepOp } from './remediation/step-op.ts';
export { KmsSigner, ecdsaP256Keyid } from './kms/kms-signer.ts';
export type { KmsSignerOptions } from './kms/kms-signer.ts';
export { KMS_DATA_KEY_CONTEXT, KmsKeyProvider } from './kms/kms-key-provider.ts';
export type { KmsKeyProviderOptions } from './kms/kms-key-provider.ts';
export { S3BlobStore } from './storage/s3-blob-store.ts';
export type { S3BlobStoreOptions } from './storage/s3-blob-store.ts';
