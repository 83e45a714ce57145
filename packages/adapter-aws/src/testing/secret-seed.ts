import { PutBucketPolicyCommand, PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { IAMClient, TagUserCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { CisSeed } from './cis-seed.ts';
import { motoClientConfig, type MotoServer } from './moto-server.ts';

// Characters AWS accepts in security group names and descriptions; others become `.`.
const SG_TEXT = /[^A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g;

/**
 * Seeds secret values (fake, for redaction tests) into resources of a {@link seedCisScenario} account that
 * the AWS inventory reads, so they reach its raw responses, configs and finding messages: conditions of
 * the failing bucket's policy, that bucket's tags (one named `db_password`), names and descriptions of new
 * security groups, tags of the failing IAM user and of every instance, and a KMS key description. Values
 * are spread over those places in order; each place takes what AWS accepts (lengths, characters).
 */
export async function seedSecretResources(
  moto: MotoServer,
  seed: CisSeed,
  values: readonly string[],
): Promise<void> {
  const cfg = motoClientConfig(moto);
  const s3 = new S3Client(cfg);
  const ec2 = new EC2Client(cfg);
  const iam = new IAMClient(cfg);
  const kms = new KMSClient(cfg);
  const part = (from: number, to?: number) => values.slice(from, to);
  try {
    const bucket = seed.buckets.fail;
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: part(0, 12).map((value, i) => ({
            Sid: `Seeded${i}`,
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${bucket}/*`,
            Condition: { StringEquals: { [`aws:Referer`]: value } },
          })),
        }),
      }),
    );
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket: bucket,
        Tagging: {
          TagSet: [
            { Key: 'db_password', Value: 'Hunter2-Tag-Pa55' },
            ...part(12, 20).map((value, i) => ({ Key: `note${i}`, Value: value.slice(0, 256) })),
          ],
        },
      }),
    );
    for (const [i, value] of part(20, 26).entries()) {
      await ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: `seeded-${i}-${value}`.slice(0, 255).replace(SG_TEXT, '.'),
          Description: `owner token ${value}`.slice(0, 255).replace(SG_TEXT, '.'),
          VpcId: seed.vpcs.fail,
        }),
      );
    }
    await iam.send(
      new TagUserCommand({
        UserName: seed.users.fail,
        Tags: part(26, 32).map((value, i) => ({ Key: `secret${i}`, Value: value.slice(0, 256) })),
      }),
    );
    for (const value of part(32, 34))
      await kms.send(new CreateKeyCommand({ Description: `ops key, api key ${value}`.slice(0, 8192) }));
    const reservations = await ec2.send(new DescribeInstancesCommand({}));
    const ids = (reservations.Reservations ?? [])
      .flatMap((r) => r.Instances ?? [])
      .flatMap((x) => x.InstanceId ?? []);
    if (ids.length > 0 && values.length > 34) {
      await ec2.send(
        new CreateTagsCommand({
          Resources: ids,
          Tags: part(34).map((value, i) => ({ Key: `deploy${i}`, Value: value.slice(0, 256) })),
        }),
      );
    }
  } finally {
    s3.destroy();
    ec2.destroy();
    iam.destroy();
    kms.destroy();
  }
}
