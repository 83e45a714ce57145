import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { rawResponse } from '../provider/aws-call.ts';
import { absentAsNull } from '../provider/aws-error.ts';
import type { AwsSession } from '../provider/aws-session.ts';
import {
  callRegion,
  type AssetLocator,
  type Capture,
  type KindCollector,
  type NativeAsset,
} from './collector.ts';
import { normalizePolicyDocument } from './policy-document.ts';

/** The four Block Public Access flags, normalized (absent flags are false, as AWS treats them). */
export function normalizePab(c: PublicAccessBlockConfiguration | undefined | null) {
  if (!c) return null;
  return {
    block_public_acls: c.BlockPublicAcls === true,
    ignore_public_acls: c.IgnorePublicAcls === true,
    block_public_policy: c.BlockPublicPolicy === true,
    restrict_public_buckets: c.RestrictPublicBuckets === true,
  };
}

/** GetBucketLocation's answer as a region name (`null`/empty means us-east-1, `EU` means eu-west-1). */
export function bucketRegion(constraint: string | undefined | null): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

async function listBuckets(
  session: AwsSession,
  accountId: string,
): Promise<{ name: string; created: string }[]> {
  const out: { name: string; created: string }[] = [];
  let token: string | undefined;
  // No MaxBuckets: moto truncates without a continuation token when a page size is set (notes/moto.md §4.5).
  do {
    const page = await session.call('s3', accountId, session.homeRegion, 'ListBuckets', (c, o) =>
      c.send(new ListBucketsCommand(token ? { ContinuationToken: token } : {}), o),
    );
    for (const b of page.Buckets ?? []) {
      if (b.Name) out.push({ name: b.Name, created: (b.CreationDate ?? new Date(0)).toISOString() });
    }
    token = page.ContinuationToken;
  } while (token);
  return out;
}

/** S3 buckets: ListBuckets + GetBucketLocation; config from the eight bucket-level Get calls. */
export const bucketCollector: KindCollector = {
  kind: 'bucket',
  schema_version: '1.0.0',
  placement: 'global',
  async list(session, accountId) {
    const buckets = await listBuckets(session, accountId);
    const out: NativeAsset[] = [];
    for (const b of buckets) {
      const loc = await session.call('s3', accountId, session.homeRegion, 'GetBucketLocation', (c, o) =>
        c.send(new GetBucketLocationCommand({ Bucket: b.name }), o),
      );
      const region = bucketRegion(loc.LocationConstraint);
      out.push({
        kind: 'bucket',
        account_id: accountId,
        region,
        native_id: b.name,
        name: b.name,
        properties: { account_id: accountId, region, arn: `arn:aws:s3:::${b.name}`, created_at: b.created },
      });
    }
    return out;
  },
  async read(session, at) {
    return readBucket(session, at);
  },
};

async function readBucket(session: AwsSession, at: AssetLocator): Promise<Capture> {
  const Bucket = at.native_id;
  const acct = at.account_id;
  const region = callRegion(session, at);
  await session.call('s3', acct, region, 'HeadBucket', (c, o) =>
    c.send(new HeadBucketCommand({ Bucket }), o),
  );
  const [location, pab, policy, encryption, versioning, logging, acl, ownership] = await Promise.all([
    session.call('s3', acct, region, 'GetBucketLocation', (c, o) =>
      c.send(new GetBucketLocationCommand({ Bucket }), o),
    ),
    absentAsNull(
      session.call('s3', acct, region, 'GetPublicAccessBlock', (c, o) =>
        c.send(new GetPublicAccessBlockCommand({ Bucket }), o),
      ),
      ['NoSuchPublicAccessBlockConfiguration'],
    ),
    absentAsNull(
      session.call('s3', acct, region, 'GetBucketPolicy', (c, o) =>
        c.send(new GetBucketPolicyCommand({ Bucket }), o),
      ),
      ['NoSuchBucketPolicy'],
    ),
    absentAsNull(
      session.call('s3', acct, region, 'GetBucketEncryption', (c, o) =>
        c.send(new GetBucketEncryptionCommand({ Bucket }), o),
      ),
      ['ServerSideEncryptionConfigurationNotFoundError'],
    ),
    session.call('s3', acct, region, 'GetBucketVersioning', (c, o) =>
      c.send(new GetBucketVersioningCommand({ Bucket }), o),
    ),
    session.call('s3', acct, region, 'GetBucketLogging', (c, o) =>
      c.send(new GetBucketLoggingCommand({ Bucket }), o),
    ),
    session.call('s3', acct, region, 'GetBucketAcl', (c, o) =>
      c.send(new GetBucketAclCommand({ Bucket }), o),
    ),
    absentAsNull(
      session.call('s3', acct, region, 'GetBucketOwnershipControls', (c, o) =>
        c.send(new GetBucketOwnershipControlsCommand({ Bucket }), o),
      ),
      ['OwnershipControlsNotFoundError'],
    ),
  ]);
  const ownershipRule = ownership?.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
  const body = {
    name: Bucket,
    region: bucketRegion(location.LocationConstraint),
    public_access_block: normalizePab(pab?.PublicAccessBlockConfiguration),
    policy: policy?.Policy ? normalizePolicyDocument(policy.Policy) : null,
    encryption: encryption?.ServerSideEncryptionConfiguration
      ? {
          rules: (encryption.ServerSideEncryptionConfiguration.Rules ?? []).map((r) => ({
            sse_algorithm: r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? 'AES256',
            kms_master_key_id: r.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID ?? null,
            bucket_key_enabled: r.BucketKeyEnabled === true,
          })),
        }
      : null,
    versioning: {
      status: versioning.Status === 'Enabled' || versioning.Status === 'Suspended' ? versioning.Status : null,
      mfa_delete:
        versioning.MFADelete === 'Enabled' || versioning.MFADelete === 'Disabled'
          ? versioning.MFADelete
          : null,
    },
    logging: logging.LoggingEnabled?.TargetBucket
      ? {
          target_bucket: logging.LoggingEnabled.TargetBucket,
          target_prefix: logging.LoggingEnabled.TargetPrefix ?? '',
        }
      : null,
    acl: {
      owner_id: acl.Owner?.ID ?? null,
      grants: (acl.Grants ?? []).map((g) => ({
        grantee_type: (g.Grantee?.Type ?? 'CanonicalUser') as
          'CanonicalUser' | 'Group' | 'AmazonCustomerByEmail',
        grantee_id: g.Grantee?.ID ?? null,
        grantee_uri: g.Grantee?.URI ?? null,
        permission: (g.Permission ?? 'READ') as 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP',
      })),
    },
    ownership_controls:
      ownershipRule === 'BucketOwnerEnforced' ||
      ownershipRule === 'BucketOwnerPreferred' ||
      ownershipRule === 'ObjectWriter'
        ? { object_ownership: ownershipRule }
        : null,
  };
  const raw = {
    GetBucketLocation: rawResponse(location),
    GetPublicAccessBlock: pab ? rawResponse(pab) : { absent: 'NoSuchPublicAccessBlockConfiguration' },
    GetBucketPolicy: policy ? rawResponse(policy) : { absent: 'NoSuchBucketPolicy' },
    GetBucketEncryption: encryption
      ? rawResponse(encryption)
      : { absent: 'ServerSideEncryptionConfigurationNotFoundError' },
    GetBucketVersioning: rawResponse(versioning),
    GetBucketLogging: rawResponse(logging),
    GetBucketAcl: rawResponse(acl),
    GetBucketOwnershipControls: ownership
      ? rawResponse(ownership)
      : { absent: 'OwnershipControlsNotFoundError' },
  };
  return { body, raw };
}

/** Account-level S3 Block Public Access (s3control, with the endpoint override on custom endpoints). */
export const s3AccountCollector: KindCollector = {
  kind: 's3-account',
  schema_version: '1.0.0',
  placement: 'global',
  async list(_session, accountId) {
    return [
      {
        kind: 's3-account',
        account_id: accountId,
        region: 'global',
        native_id: accountId,
        name: `s3 account ${accountId}`,
        properties: { account_id: accountId, region: 'global' },
      },
    ];
  },
  async read(session, at) {
    const got = await absentAsNull(
      session.call('s3control', at.account_id, session.homeRegion, 'GetPublicAccessBlock', (c, o) =>
        c.send(new GetAccountPublicAccessBlockCommand({ AccountId: at.account_id }), o),
      ),
      ['NoSuchPublicAccessBlockConfiguration'],
    );
    return {
      body: {
        account_id: at.account_id,
        public_access_block: normalizePab(got?.PublicAccessBlockConfiguration),
      },
      raw: {
        GetPublicAccessBlock: got ? rawResponse(got) : { absent: 'NoSuchPublicAccessBlockConfiguration' },
      },
    };
  },
};
