// The AWS adapter against the adapter conformance kit, on moto. It lives here rather than in
// packages/adapter-aws because adapters may not depend on the kit (DESIGN.md §4 boundaries).
import { afterAll, beforeAll } from '@jest/globals';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import {
  AwsRemediationAdapter,
  AwsSession,
  AwsInventoryAdapter,
  evidenceKey,
  parseAwsAssetUrn,
} from '@neurocipher/seg-adapter-aws';
import {
  auditRoleArn,
  failingFinding,
  motoAdapterFixture,
  motoClientConfig,
  refusedEndpoint,
  startBlackholeServer,
  startMotoServer,
  LocalDirBlobStore,
  type MotoServer,
} from '@neurocipher/seg-adapter-aws/testing';
import { describeAdapterConformance } from '@neurocipher/seg-conformance';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let moto: MotoServer;
beforeAll(async () => {
  moto = await startMotoServer();
}, 90_000);
afterAll(async () => {
  await moto?.stop();
});

const scope = { org_id: 'conformance', tags: {} };
const BUCKETS = ['conf-a', 'conf-b', 'conf-c', 'conf-d', 'conf-e', 'conf-f'];

describeAdapterConformance({
  name: 'aws (moto)',
  async setup() {
    await moto.reset();
    const s3 = new S3Client(motoClientConfig(moto));
    for (const Bucket of BUCKETS) await s3.send(new CreateBucketCommand({ Bucket }));
    const fx = await motoAdapterFixture(moto);
    const remediation = new AwsRemediationAdapter({
      session: fx.session,
      inventory: fx.inventory,
      evidence: fx.blobs,
    });
    return {
      inventory: fx.inventory,
      remediation,
      scope,
      kinds: ['bucket'],
      async mutate(ref) {
        const bucket = parseAwsAssetUrn(ref.urn).native_id;
        await s3.send(
          new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
        );
      },
      async remediableFinding() {
        const urn = `urn:asset:aws:bucket:${moto.accountId}:us-east-1:conf-a`;
        return failingFinding('cis-storage-public-access-block', urn);
      },
      evidence: {
        pointers: (ref) => fx.inventory.evidence_for(ref),
        read: (hash) => fx.blobs.get(evidenceKey(hash)),
      },
      async close() {
        s3.destroy();
        await fx.close();
      },
    };
  },
  async faulty(fault) {
    const blackhole = fault === 'timeout' ? await startBlackholeServer() : undefined;
    const endpoint = blackhole?.endpoint ?? (await refusedEndpoint());
    const dir = await mkdtemp(join(tmpdir(), 'seg-aws-faulty-'));
    const session = new AwsSession({
      accounts: [{ account_id: moto.accountId, role_arn: auditRoleArn(moto.accountId) }],
      endpoint,
      baseCredentials: moto.credentials,
      requestTimeoutMs: 300,
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 },
    });
    return {
      inventory: new AwsInventoryAdapter({ session, evidence: new LocalDirBlobStore({ root: dir }) }),
      scope,
      async close() {
        session.destroy();
        await blackhole?.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
});
