import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  MOTO_DEFAULT_ACCOUNT_ID,
  motoClientConfig,
  motoS3ControlClientConfig,
  resolveMotoExecutable,
  startMotoServer,
  type MotoServer,
} from './moto-server.ts';

describe('startMotoServer', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMotoServer();
  });
  afterAll(async () => {
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
  });

  it('serves S3 path-style on a loopback port and reset wipes state', async () => {
    expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const s3 = new S3Client(motoClientConfig(moto));
    await s3.send(new CreateBucketCommand({ Bucket: 'harness-bucket' }));
    const before = await s3.send(new ListBucketsCommand({}));
    expect(before.Buckets?.map((b) => b.Name)).toEqual(['harness-bucket']);
    await moto.reset();
    const after = await s3.send(new ListBucketsCommand({}));
    expect(after.Buckets ?? []).toEqual([]);
    s3.destroy();
  });

  it('answers STS as the default account', async () => {
    const sts = new STSClient(motoClientConfig(moto));
    const id = await sts.send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe(MOTO_DEFAULT_ACCOUNT_ID);
    sts.destroy();
  });

  it('reaches s3control through the endpoint-provider override', async () => {
    const s3c = new S3ControlClient(motoS3ControlClientConfig(moto));
    await s3c.send(
      new PutPublicAccessBlockCommand({
        AccountId: moto.accountId,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: true,
        },
      }),
    );
    const got = await s3c.send(new GetPublicAccessBlockCommand({ AccountId: moto.accountId }));
    expect(got.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: true,
    });
    s3c.destroy();
  });

  it('stops the process', async () => {
    const other = await startMotoServer();
    await other.stop();
    await other.stop();
    expect(() => process.kill(other.pid, 0)).toThrow();
  });
});

describe('resolveMotoExecutable', () => {
  it('finds the bootstrap venv', () => {
    expect(resolveMotoExecutable()).toMatch(/moto_server$/);
  });

  it('fails loudly when the executable is missing', async () => {
    expect(() => resolveMotoExecutable('/nonexistent/moto_server')).toThrow(
      /moto_server not found.*tools\/bootstrap/,
    );
    await expect(startMotoServer({ executable: '/nonexistent/moto_server' })).rejects.toThrow(
      /moto_server not found/,
    );
  });
});
