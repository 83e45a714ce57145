import {
  DeleteBucketEncryptionCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLoggingCommand,
  PutBucketOwnershipControlsCommand,
  DeleteBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type GetBucketAclCommandOutput,
  type S3Client,
  type LoggingEnabled,
  type PublicAccessBlockConfiguration,
  type ServerSideEncryptionConfiguration,
} from '@aws-sdk/client-s3';
import {
  DeletePublicAccessBlockCommand as DeleteAccountPabCommand,
  GetPublicAccessBlockCommand as GetAccountPabCommand,
  PutPublicAccessBlockCommand as PutAccountPabCommand,
} from '@aws-sdk/client-s3-control';
import { absentAsNull } from '../provider/aws-error.ts';
import { callRegion } from '../inventory/collector.ts';
import { normalizePolicyDocument } from '../inventory/policy-document.ts';
import { requestId, type StepContext, type StepOp } from './step-op.ts';

const ALL_ON: PublicAccessBlockConfiguration = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

const s3 = <T>(
  ctx: StepContext,
  op: string,
  fn: (c: S3Client, o: { abortSignal: AbortSignal }) => Promise<T>,
): Promise<T> => ctx.session.call('s3', ctx.at.account_id, callRegion(ctx.session, ctx.at), op, fn);

function pabAllOn(c: PublicAccessBlockConfiguration | null | undefined): boolean {
  return (
    !!c &&
    c.BlockPublicAcls === true &&
    c.IgnorePublicAcls === true &&
    c.BlockPublicPolicy === true &&
    c.RestrictPublicBuckets === true
  );
}

function pabOnly(
  c: PublicAccessBlockConfiguration | undefined | null,
): PublicAccessBlockConfiguration | null {
  if (!c) return null;
  return {
    BlockPublicAcls: c.BlockPublicAcls === true,
    IgnorePublicAcls: c.IgnorePublicAcls === true,
    BlockPublicPolicy: c.BlockPublicPolicy === true,
    RestrictPublicBuckets: c.RestrictPublicBuckets === true,
  };
}

/** Bucket Block Public Access: all four flags on; rollback puts the captured flags back or deletes the config. */
export const putBucketPab: StepOp = {
  action: 's3:PutPublicAccessBlock',
  exactInverse: true,
  async capture(ctx) {
    const Bucket = ctx.at.native_id;
    const got = await absentAsNull(
      s3<{ PublicAccessBlockConfiguration?: PublicAccessBlockConfiguration | undefined }>(
        ctx,
        'GetPublicAccessBlock',
        (c, o) => c.send(new GetPublicAccessBlockCommand({ Bucket }), o),
      ),
      ['NoSuchPublicAccessBlockConfiguration'],
    );
    return pabOnly(got?.PublicAccessBlockConfiguration);
  },
  satisfied: (state) => pabAllOn(state as PublicAccessBlockConfiguration | null),
  async apply(ctx) {
    const Bucket = ctx.at.native_id;
    return requestId(
      await s3(ctx, 'PutPublicAccessBlock', (c, o) =>
        c.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: ALL_ON }), o),
      ),
    );
  },
  async restore(ctx, pre) {
    const Bucket = ctx.at.native_id;
    if (pre === null) {
      return requestId(
        await s3(ctx, 'DeletePublicAccessBlock', (c, o) =>
          c.send(new DeletePublicAccessBlockCommand({ Bucket }), o),
        ),
      );
    }
    return requestId(
      await s3(ctx, 'PutPublicAccessBlock', (c, o) =>
        c.send(
          new PutPublicAccessBlockCommand({
            Bucket,
            PublicAccessBlockConfiguration: pre as PublicAccessBlockConfiguration,
          }),
          o,
        ),
      ),
    );
  },
};

/** Account Block Public Access through S3 Control (endpoint override on custom endpoints). */
export const putAccountPab: StepOp = {
  action: 's3control:PutPublicAccessBlock',
  exactInverse: true,
  async capture(ctx) {
    const AccountId = ctx.at.account_id;
    const got = await absentAsNull(
      ctx.session.call('s3control', AccountId, ctx.session.homeRegion, 'GetPublicAccessBlock', (c, o) =>
        c.send(new GetAccountPabCommand({ AccountId }), o),
      ),
      ['NoSuchPublicAccessBlockConfiguration'],
    );
    return pabOnly(got?.PublicAccessBlockConfiguration);
  },
  satisfied: (state) => pabAllOn(state as PublicAccessBlockConfiguration | null),
  async apply(ctx) {
    const AccountId = ctx.at.account_id;
    return requestId(
      await ctx.session.call('s3control', AccountId, ctx.session.homeRegion, 'PutPublicAccessBlock', (c, o) =>
        c.send(new PutAccountPabCommand({ AccountId, PublicAccessBlockConfiguration: ALL_ON }), o),
      ),
    );
  },
  async restore(ctx, pre) {
    const AccountId = ctx.at.account_id;
    if (pre === null) {
      return requestId(
        await ctx.session.call(
          's3control',
          AccountId,
          ctx.session.homeRegion,
          'DeletePublicAccessBlock',
          (c, o) => c.send(new DeleteAccountPabCommand({ AccountId }), o),
        ),
      );
    }
    return requestId(
      await ctx.session.call('s3control', AccountId, ctx.session.homeRegion, 'PutPublicAccessBlock', (c, o) =>
        c.send(
          new PutAccountPabCommand({
            AccountId,
            PublicAccessBlockConfiguration: pre as PublicAccessBlockConfiguration,
          }),
          o,
        ),
      ),
    );
  },
};

async function getPolicy(ctx: StepContext): Promise<string | null> {
  const Bucket = ctx.at.native_id;
  const got = await absentAsNull(
    s3<{ Policy?: string | undefined }>(ctx, 'GetBucketPolicy', (c, o) =>
      c.send(new GetBucketPolicyCommand({ Bucket }), o),
    ),
    ['NoSuchBucketPolicy'],
  );
  return got?.Policy ?? null;
}

async function restorePolicy(ctx: StepContext, pre: unknown): Promise<string | undefined> {
  const Bucket = ctx.at.native_id;
  if (pre === null) {
    return requestId(
      await s3(ctx, 'DeleteBucketPolicy', (c, o) => c.send(new DeleteBucketPolicyCommand({ Bucket }), o)),
    );
  }
  return requestId(
    await s3(ctx, 'PutBucketPolicy', (c, o) =>
      c.send(new PutBucketPolicyCommand({ Bucket, Policy: pre as string }), o),
    ),
  );
}

/** Whether a bucket policy denies requests that are not over TLS. */
export function deniesInsecureTransport(policy: string | null): boolean {
  if (!policy) return false;
  return normalizePolicyDocument(policy).statements.some(
    (s) =>
      s.effect === 'Deny' &&
      s.principals.some((p) => p.id === '*') &&
      s.conditions.some(
        (c) => c.operator === 'Bool' && c.key === 'aws:SecureTransport' && c.values.includes('false'),
      ),
  );
}

/** Whether a bucket policy allows Principal "*" without conditions. */
export function grantsPublicAccess(policy: string | null): boolean {
  if (!policy) return false;
  return normalizePolicyDocument(policy).statements.some(
    (s) => s.effect === 'Allow' && s.principals.some((p) => p.id === '*') && s.conditions.length === 0,
  );
}

/** Adds a Deny-insecure-transport statement to the bucket policy (merged with what is there). */
export const addSecureTransportStatement: StepOp = {
  action: 's3:PutBucketPolicy',
  exactInverse: true,
  capture: getPolicy,
  satisfied: (state) => deniesInsecureTransport(state as string | null),
  async apply(ctx, pre) {
    const Bucket = ctx.at.native_id;
    const doc = pre
      ? (JSON.parse(pre as string) as { Version?: string; Statement?: unknown })
      : { Version: '2012-10-17' };
    const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    statements.push({
      Sid: 'SegDenyInsecureTransport',
      Effect: 'Deny',
      Principal: { AWS: '*' }, // everyone; the map form (moto 5.2 fails on a string Principal, see cis-seed.ts)
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${Bucket}`, `arn:aws:s3:::${Bucket}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    const Policy = JSON.stringify({ ...doc, Version: doc.Version ?? '2012-10-17', Statement: statements });
    return requestId(
      await s3(ctx, 'PutBucketPolicy', (c, o) => c.send(new PutBucketPolicyCommand({ Bucket, Policy }), o)),
    );
  },
  restore: restorePolicy,
};

/** Deletes a bucket policy that grants Principal "*" (rollback puts the captured document back). */
export const deletePublicBucketPolicy: StepOp = {
  action: 's3:DeleteBucketPolicy',
  exactInverse: true,
  capture: getPolicy,
  satisfied: (state) => !grantsPublicAccess(state as string | null),
  async apply(ctx) {
    const Bucket = ctx.at.native_id;
    return requestId(
      await s3(ctx, 'DeleteBucketPolicy', (c, o) => c.send(new DeleteBucketPolicyCommand({ Bucket }), o)),
    );
  },
  restore: restorePolicy,
};

/** Default encryption with SSE-KMS (the key in `kms_key_id`, or the AWS-managed `aws/s3` key). */
export const putBucketEncryptionKms: StepOp = {
  action: 's3:PutBucketEncryption',
  exactInverse: true,
  async capture(ctx) {
    const Bucket = ctx.at.native_id;
    const got = await absentAsNull(
      s3<{ ServerSideEncryptionConfiguration?: ServerSideEncryptionConfiguration | undefined }>(
        ctx,
        'GetBucketEncryption',
        (c, o) => c.send(new GetBucketEncryptionCommand({ Bucket }), o),
      ),
      ['ServerSideEncryptionConfigurationNotFoundError'],
    );
    return got?.ServerSideEncryptionConfiguration ?? null;
  },
  satisfied: (state) =>
    ((state as ServerSideEncryptionConfiguration | null)?.Rules ?? []).some(
      (r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm === 'aws:kms',
    ),
  async apply(ctx) {
    const Bucket = ctx.at.native_id;
    const key =
      typeof ctx.params['kms_key_id'] === 'string' ? (ctx.params['kms_key_id'] as string) : undefined;
    return requestId(
      await s3(ctx, 'PutBucketEncryption', (c, o) =>
        c.send(
          new PutBucketEncryptionCommand({
            Bucket,
            ServerSideEncryptionConfiguration: {
              Rules: [
                {
                  ApplyServerSideEncryptionByDefault: {
                    SSEAlgorithm: 'aws:kms',
                    ...(key ? { KMSMasterKeyID: key } : {}),
                  },
                  BucketKeyEnabled: true,
                },
              ],
            },
          }),
          o,
        ),
      ),
    );
  },
  async restore(ctx, pre) {
    const Bucket = ctx.at.native_id;
    if (pre === null) {
      return requestId(
        await s3(ctx, 'DeleteBucketEncryption', (c, o) =>
          c.send(new DeleteBucketEncryptionCommand({ Bucket }), o),
        ),
      );
    }
    return requestId(
      await s3(ctx, 'PutBucketEncryption', (c, o) =>
        c.send(
          new PutBucketEncryptionCommand({
            Bucket,
            ServerSideEncryptionConfiguration: pre as ServerSideEncryptionConfiguration,
          }),
          o,
        ),
      ),
    );
  },
};

/** Server access logging to `target_bucket` (which must grant log delivery). */
export const putBucketLogging: StepOp = {
  action: 's3:PutBucketLogging',
  exactInverse: true,
  async capture(ctx) {
    const Bucket = ctx.at.native_id;
    const got = await s3<{ LoggingEnabled?: LoggingEnabled | undefined }>(ctx, 'GetBucketLogging', (c, o) =>
      c.send(new GetBucketLoggingCommand({ Bucket }), o),
    );
    return got.LoggingEnabled?.TargetBucket
      ? { TargetBucket: got.LoggingEnabled.TargetBucket, TargetPrefix: got.LoggingEnabled.TargetPrefix ?? '' }
      : null;
  },
  satisfied: (state) => state !== null,
  async apply(ctx) {
    const Bucket = ctx.at.native_id;
    const TargetBucket = ctx.params['target_bucket'] as string;
    const TargetPrefix = (ctx.params['target_prefix'] as string | undefined) ?? `${Bucket}/`;
    return requestId(
      await s3(ctx, 'PutBucketLogging', (c, o) =>
        c.send(
          new PutBucketLoggingCommand({
            Bucket,
            BucketLoggingStatus: { LoggingEnabled: { TargetBucket, TargetPrefix } },
          }),
          o,
        ),
      ),
    );
  },
  async restore(ctx, pre) {
    const Bucket = ctx.at.native_id;
    return requestId(
      await s3(ctx, 'PutBucketLogging', (c, o) =>
        c.send(
          new PutBucketLoggingCommand({
            Bucket,
            BucketLoggingStatus: pre ? { LoggingEnabled: pre as LoggingEnabled } : {},
          }),
          o,
        ),
      ),
    );
  },
};

/** Versioning Enabled. Rollback can only Suspend: a bucket never returns to "never versioned". */
export const enableBucketVersioning: StepOp = {
  action: 's3:PutBucketVersioning',
  exactInverse: false,
  inverseNote:
    'S3 has no exact inverse: rollback sets versioning to Suspended; a bucket that was never versioned cannot return to unversioned, and versions written meanwhile stay',
  async capture(ctx) {
    const Bucket = ctx.at.native_id;
    const got = await s3<{ Status?: string | undefined }>(ctx, 'GetBucketVersioning', (c, o) =>
      c.send(new GetBucketVersioningCommand({ Bucket }), o),
    );
    return got.Status ?? null;
  },
  satisfied: (state) => state === 'Enabled',
  restoredEquivalent: (current, pre) => current === pre || (pre === null && current === 'Suspended'),
  async apply(ctx) {
    const Bucket = ctx.at.native_id;
    return requestId(
      await s3(ctx, 'PutBucketVersioning', (c, o) =>
        c.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }), o),
      ),
    );
  },
  async restore(ctx, pre) {
    if (pre === 'Enabled') return undefined;
    const Bucket = ctx.at.native_id;
    return requestId(
      await s3(ctx, 'PutBucketVersioning', (c, o) =>
        c.send(
          new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }),
          o,
        ),
      ),
    );
  },
};

interface AclState {
  acl: Pick<GetBucketAclCommandOutput, 'Owner' | 'Grants'>;
  ownership: string | null;
}

/** ACL private and ObjectOwnership BucketOwnerEnforced; rollback restores the captured grants and ownership. */
export const makeBucketAclPrivate: StepOp = {
  action: 's3:PutBucketAcl',
  exactInverse: true,
  async capture(ctx) {
    const Bucket = ctx.at.native_id;
    const acl = await s3<GetBucketAclCommandOutput>(ctx, 'GetBucketAcl', (c, o) =>
      c.send(new GetBucketAclCommand({ Bucket }), o),
    );
    const own = await absentAsNull(
      s3<{
        OwnershipControls?: { Rules?: { ObjectOwnership?: string | undefined }[] | undefined } | undefined;
      }>(ctx, 'GetBucketOwnershipControls', (c, o) =>
        c.send(new GetBucketOwnershipControlsCommand({ Bucket }), o),
      ),
      ['OwnershipControlsNotFoundError'],
    );
    return {
      acl: { Owner: acl.Owner, Grants: acl.Grants ?? [] },
      ownership: own?.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null,
    } satisfies AclState;
  },
  satisfied(state) {
    const s = state as AclState;
    const publicGrant = (s.acl.Grants ?? []).some((g) =>
      /\/global\/(AllUsers|AuthenticatedUsers)$/.test(g.Grantee?.URI ?? ''),
    );
    return !publicGrant && s.ownership === 'BucketOwnerEnforced';
  },
  async apply(ctx) {
    const Bucket = ctx.at.native_id;
    await s3(ctx, 'PutBucketAcl', (c, o) => c.send(new PutBucketAclCommand({ Bucket, ACL: 'private' }), o));
    return requestId(
      await s3(ctx, 'PutBucketOwnershipControls', (c, o) =>
        c.send(
          new PutBucketOwnershipControlsCommand({
            Bucket,
            OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          }),
          o,
        ),
      ),
    );
  },
  async restore(ctx, pre) {
    const Bucket = ctx.at.native_id;
    const s = pre as AclState;
    if (s.ownership === null) {
      await s3(ctx, 'DeleteBucketOwnershipControls', (c, o) =>
        c.send(new DeleteBucketOwnershipControlsCommand({ Bucket }), o),
      );
    } else {
      await s3(ctx, 'PutBucketOwnershipControls', (c, o) =>
        c.send(
          new PutBucketOwnershipControlsCommand({
            Bucket,
            OwnershipControls: { Rules: [{ ObjectOwnership: s.ownership as 'BucketOwnerEnforced' }] },
          }),
          o,
        ),
      );
    }
    return requestId(
      await s3(ctx, 'PutBucketAcl', (c, o) =>
        c.send(
          new PutBucketAclCommand({
            Bucket,
            AccessControlPolicy: { Owner: s.acl.Owner, Grants: s.acl.Grants },
          }),
          o,
        ),
      ),
    );
  },
};
