import { CreateTrailCommand, CloudTrailClient, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  RevokeSecurityGroupEgressCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLoggingCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  PutPublicAccessBlockCommand as PutAccountPabCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  motoClientConfig,
  motoS3ControlClientConfig,
  type MotoCredentials,
  type MotoServer,
} from './moto-server.ts';

/** The second, all-passing account of the CIS scenario (reached by STS AssumeRole, notes/moto.md §4.4). */
export const PASSING_ACCOUNT_ID = '111111111111';

/** The role SEG assumes in each account of the scenario (moto needs no such role to exist). */
export function auditRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/SegAudit`;
}

/** What {@link seedCisScenario} created: names and ids of the failing and passing resources. */
export interface CisSeed {
  account_id: string;
  passing_account_id: string;
  region: string;
  /** Region where EBS default encryption is on (the passing side of that per-region control). */
  passing_region: string;
  buckets: { fail: string; pass: string };
  users: { fail: string; pass: string };
  policies: { fail: string; pass: string };
  kms_keys: { fail: string; pass: string; pass_arn: string };
  trails: { fail: string; pass: string };
  security_groups: { fail: string; pass: string; default_fail: string; default_pass: string };
  vpcs: { fail: string; pass: string };
  instances: { fail: string; pass: string };
  db_instances: { fail: string; pass: string };
}

/** Credentials of an assumed role in `accountId` from moto's STS. */
export async function assumeInto(moto: MotoServer, accountId: string): Promise<MotoCredentials> {
  const sts = new STSClient(motoClientConfig(moto));
  const r = await sts.send(
    new AssumeRoleCommand({ RoleArn: auditRoleArn(accountId), RoleSessionName: 'seed' }),
  );
  sts.destroy();
  const c = r.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('moto AssumeRole returned no credentials');
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
  };
}

/** A bucket policy that denies every request not made over TLS (CIS 2.1.1). */
export function denyInsecureTransportPolicy(bucket: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        // {"AWS": "*"} is everyone, like "*"; moto 5.2 answers 500 to PutBucketLogging targeting a bucket whose
        // policy has a string Principal (it calls .get on it), so the seed and the remediation use the map form.
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });
}

/** Creates a bucket that passes every bucket control: private, BPA on, TLS-only policy, SSE-KMS, versioned, logging to itself. */
export async function makeCompliantBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // log-delivery-write is a canned ACL S3 accepts for buckets; the SDK's enum lists only the object ones.
  await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'log-delivery-write' as never }));
  await s3.send(
    new PutBucketLoggingCommand({
      Bucket: bucket,
      BucketLoggingStatus: { LoggingEnabled: { TargetBucket: bucket, TargetPrefix: 'access/' } },
    }),
  );
  await s3.send(
    new PutBucketOwnershipControlsCommand({
      Bucket: bucket,
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: bucket,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: denyInsecureTransportPolicy(bucket) }));
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }],
      },
    }),
  );
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
}

/**
 * Seeds the CIS scenario of notes/moto.md §3 on moto: in the main account one failing and one passing
 * resource per resource-level control, plus the failing side of the account-level controls; the passing
 * side of the account-level controls lives in {@link PASSING_ACCOUNT_ID}, and EBS default encryption is
 * on in `passing_region` only. The server must run with AWS-managed policies loaded (AWSSupportAccess).
 */
export async function seedCisScenario(
  moto: MotoServer,
  options: { region?: string; passingRegion?: string } = {},
): Promise<CisSeed> {
  const region = options.region ?? moto.region;
  const passingRegion = options.passingRegion ?? 'eu-west-1';
  const cfg = motoClientConfig(moto, { region });
  const s3 = new S3Client(cfg);
  const iam = new IAMClient(cfg);
  const ec2 = new EC2Client(cfg);
  const kms = new KMSClient(cfg);
  const ct = new CloudTrailClient(cfg);
  const rds = new RDSClient(cfg);
  try {
    // --- S3: seg-fail has nothing (and a public-read ACL); seg-pass passes every bucket control and is the log target.
    const fail = 'seg-fail-bucket';
    const pass = 'seg-pass-bucket';
    await s3.send(new CreateBucketCommand({ Bucket: fail }));
    await makeCompliantBucket(s3, pass);
    await s3.send(new PutBucketAclCommand({ Bucket: fail, ACL: 'public-read' }));

    // --- IAM users, keys, policies.
    await iam.send(new CreateGroupCommand({ GroupName: 'seg-readers' }));
    const adminPolicy = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'seg-admin-everything',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        }),
      }),
    );
    const readPolicy = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'seg-read-buckets',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }],
        }),
      }),
    );
    const adminArn = adminPolicy.Policy?.Arn ?? '';
    const readArn = readPolicy.Policy?.Arn ?? '';
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'seg-readers', PolicyArn: readArn }));
    await iam.send(new CreateUserCommand({ UserName: 'alice-fail' }));
    await iam.send(new CreateUserCommand({ UserName: 'bob-pass' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice-fail', PolicyArn: adminArn }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'seg-readers', UserName: 'bob-pass' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'alice-fail' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'alice-fail' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'bob-pass' }));

    // --- KMS.
    const keyFail = await kms.send(new CreateKeyCommand({ Description: 'seg rotation off' }));
    const keyPass = await kms.send(new CreateKeyCommand({ Description: 'seg rotation on' }));
    const keyFailId = keyFail.KeyMetadata?.KeyId ?? '';
    const keyPassId = keyPass.KeyMetadata?.KeyId ?? '';
    const keyPassArn = keyPass.KeyMetadata?.Arn ?? '';
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyPassId }));

    // --- CloudTrail: single-region trails (so the account view fails CIS 3.1); one with validation + KMS.
    await ct.send(new CreateTrailCommand({ Name: 'seg-trail-fail', S3BucketName: pass }));
    await ct.send(
      new CreateTrailCommand({
        Name: 'seg-trail-pass',
        S3BucketName: pass,
        EnableLogFileValidation: true,
        KmsKeyId: keyPassArn,
      }),
    );
    await ct.send(new StartLoggingCommand({ Name: 'seg-trail-pass' }));

    // --- EC2: a VPC with flow logs whose default SG has no rules; an open-admin SG and a web SG.
    // One of moto's built-in AMIs (DescribeImages would return all 1,177 of them).
    const imageId = 'ami-12c6146b';
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
    const vpcPass = vpc.Vpc?.VpcId ?? '';
    await ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds: [vpcPass],
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 's3',
        LogDestination: `arn:aws:s3:::${pass}`,
      }),
    );
    const sgs = await ec2.send(new DescribeSecurityGroupsCommand({}));
    const defaultOf = (v: string) =>
      sgs.SecurityGroups?.find((g) => g.VpcId === v && g.GroupName === 'default');
    const defaultPass = defaultOf(vpcPass);
    if (!defaultPass?.GroupId) throw new Error('moto created no default SG for the new VPC');
    for (const p of defaultPass.IpPermissionsEgress ?? []) {
      await ec2.send(
        new RevokeSecurityGroupEgressCommand({ GroupId: defaultPass.GroupId, IpPermissions: [p] }),
      );
    }
    const defaultVpc = sgs.SecurityGroups?.find((g) => g.GroupName === 'default' && g.VpcId !== vpcPass);
    if (!defaultVpc?.GroupId || !defaultVpc.VpcId) throw new Error('moto has no default VPC security group');
    // moto's default SG has no self-reference ingress (AWS's does): seed one so it fails CIS 5.4 as on AWS.
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: defaultVpc.GroupId,
        IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: defaultVpc.GroupId }] }],
      }),
    );
    const open = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: 'seg-admin-open',
        Description: 'ssh from anywhere',
        VpcId: vpcPass,
      }),
    );
    const web = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'seg-web', Description: 'https only', VpcId: vpcPass }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: open.GroupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }],
          },
        ],
      }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: web.GroupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        ],
      }),
    );
    const i1 = await ec2.send(
      new RunInstancesCommand({
        ImageId: imageId,
        MinCount: 1,
        MaxCount: 1,
        MetadataOptions: { HttpTokens: 'optional' },
      }),
    );
    const i2 = await ec2.send(
      new RunInstancesCommand({
        ImageId: imageId,
        MinCount: 1,
        MaxCount: 1,
        MetadataOptions: { HttpTokens: 'required' },
      }),
    );

    // --- RDS.
    const db = (id: string, pub: boolean, minor: boolean) =>
      rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: id,
          Engine: 'postgres',
          DBInstanceClass: 'db.t3.micro',
          AllocatedStorage: 20,
          MasterUsername: 'seg',
          MasterUserPassword: 'not-a-secret-1',
          PubliclyAccessible: pub,
          AutoMinorVersionUpgrade: minor,
          StorageEncrypted: true,
        }),
      );
    await db('seg-db-fail', true, false);
    await db('seg-db-pass', false, true);

    // --- EBS default encryption on in the passing region only.
    const ec2Pass = new EC2Client(motoClientConfig(moto, { region: passingRegion }));
    await ec2Pass.send(new EnableEbsEncryptionByDefaultCommand({}));
    ec2Pass.destroy();

    // --- The passing account: account-level controls pass there.
    const creds = await assumeInto(moto, PASSING_ACCOUNT_ID);
    const other = motoClientConfig(moto, { region, credentials: creds });
    const iam2 = new IAMClient(other);
    const s3c2 = new S3ControlClient(motoS3ControlClientConfig(moto, { region, credentials: creds }));
    const s32 = new S3Client(other);
    const ct2 = new CloudTrailClient(other);
    const kms2 = new KMSClient(other);
    try {
      await iam2.send(
        new UpdateAccountPasswordPolicyCommand({
          MinimumPasswordLength: 14,
          PasswordReusePrevention: 24,
          RequireSymbols: true,
          RequireNumbers: true,
          RequireUppercaseCharacters: true,
          RequireLowercaseCharacters: true,
          AllowUsersToChangePassword: true,
        }),
      );
      await iam2.send(
        new CreateRoleCommand({
          RoleName: 'seg-support',
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${PASSING_ACCOUNT_ID}:root` },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
        }),
      );
      await iam2.send(
        new AttachRolePolicyCommand({
          RoleName: 'seg-support',
          PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
        }),
      );
      await s3c2.send(
        new PutAccountPabCommand({
          AccountId: PASSING_ACCOUNT_ID,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        }),
      );
      await makeCompliantBucket(s32, 'seg-pass-account-trail-logs');
      const key2 = await kms2.send(new CreateKeyCommand({ Description: 'seg trail key' }));
      await kms2.send(new EnableKeyRotationCommand({ KeyId: key2.KeyMetadata?.KeyId ?? '' }));
      await ct2.send(
        new CreateTrailCommand({
          Name: 'seg-org-trail',
          S3BucketName: 'seg-pass-account-trail-logs',
          IsMultiRegionTrail: true,
          IncludeGlobalServiceEvents: true,
          EnableLogFileValidation: true,
          KmsKeyId: key2.KeyMetadata?.Arn ?? '',
        }),
      );
      for (const r of [region, passingRegion]) {
        const e = new EC2Client(motoClientConfig(moto, { region: r, credentials: creds }));
        await e.send(new EnableEbsEncryptionByDefaultCommand({}));
        e.destroy();
      }
      await ct2.send(new StartLoggingCommand({ Name: 'seg-org-trail' }));
    } finally {
      iam2.destroy();
      s3c2.destroy();
      s32.destroy();
      ct2.destroy();
      kms2.destroy();
    }

    return {
      account_id: moto.accountId,
      passing_account_id: PASSING_ACCOUNT_ID,
      region,
      passing_region: passingRegion,
      buckets: { fail, pass },
      users: { fail: 'alice-fail', pass: 'bob-pass' },
      policies: { fail: adminArn, pass: readArn },
      kms_keys: { fail: keyFailId, pass: keyPassId, pass_arn: keyPassArn },
      trails: { fail: 'seg-trail-fail', pass: 'seg-trail-pass' },
      security_groups: {
        fail: open.GroupId ?? '',
        pass: web.GroupId ?? '',
        default_fail: defaultVpc.GroupId,
        default_pass: defaultPass.GroupId,
      },
      vpcs: { fail: defaultVpc.VpcId, pass: vpcPass },
      instances: { fail: i1.Instances?.[0]?.InstanceId ?? '', pass: i2.Instances?.[0]?.InstanceId ?? '' },
      db_instances: { fail: 'seg-db-fail', pass: 'seg-db-pass' },
    };
  } finally {
    for (const c of [s3, iam, ec2, kms, ct, rds]) c.destroy();
  }
}
