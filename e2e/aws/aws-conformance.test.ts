// The AWS adapter against the adapter conformance kit, on moto, with every capability declared. It lives
// here rather than in packages/adapter-aws because adapters may not depend on the kit (DESIGN.md §4).
import { afterAll, beforeAll } from '@jest/globals';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AwsRemediationSteps,
  AwsSession,
  AwsInventoryAdapter,
  parseAwsAssetUrn,
} from '@neurocipher/seg-adapter-aws';
import { RemediationService } from '@neurocipher/seg-core';
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
import type { Asset } from '@neurocipher/seg-contracts';
import { describeAdapterConformance } from '@neurocipher/seg-conformance';
import { canonicalJson } from '@neurocipher/seg-attest';
import { InMemoryEvidenceSink } from '@neurocipher/seg-ports/testing';
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
// Five buckets in us-east-1 and one in eu-west-1, so a region scope selects some but not all; two IAM
// users make a second kind (global, so every region scope includes them).
const BUCKETS = ['conf-a', 'conf-b', 'conf-c', 'conf-d', 'conf-e'];
const EU_BUCKET = 'conf-eu';
const USERS = ['conf-user-a', 'conf-user-b'];
const inRegion = (region: string) => (a: Asset) =>
  a.properties['region'] === region || a.properties['region'] === 'global';

describeAdapterConformance({
  name: 'aws (moto)',
  capabilities: ['history', 'mutation', 'remediation', 'evidence', 'faults'],
  reportFile: join(import.meta.dirname, 'test-output', 'aws-conformance.json'),
  async setup() {
    await moto.reset();
    const s3 = new S3Client(motoClientConfig(moto));
    const iam = new IAMClient(motoClientConfig(moto));
    for (const Bucket of BUCKETS) await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(
      new CreateBucketCommand({
        Bucket: EU_BUCKET,
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    for (const UserName of USERS) await iam.send(new CreateUserCommand({ UserName }));
    const fx = await motoAdapterFixture(moto);
    const remediation = new RemediationService({
      steps: new AwsRemediationSteps({ session: fx.session, inventory: fx.inventory }),
      evidence: fx.evidence,
    });
    return {
      inventory: fx.inventory,
      scope,
      kinds: ['bucket', 'iam-user'],
      narrowedScopes: [
        { scope: { ...scope, region: 'us-east-1' }, includes: inRegion('us-east-1') },
        { scope: { ...scope, region: 'eu-west-1' }, includes: inRegion('eu-west-1') },
        { scope: { ...scope, project: moto.accountId }, includes: () => true },
      ],
      async mutate(asset) {
        const bucket = parseAwsAssetUrn(asset.ref.urn).native_id;
        await s3.send(
          new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
        );
      },
      remediation,
      async remediableFinding() {
        const urn = `urn:asset:aws:bucket:${moto.accountId}:us-east-1:conf-a`;
        return failingFinding('cis-storage-public-access-block', urn);
      },
      evidence: {
        pointers: (ref) => fx.inventory.evidence_for(ref),
        read: (hash) => fx.evidence.get(hash),
      },
      async close() {
        s3.destroy();
        iam.destroy();
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
      inventory: new AwsInventoryAdapter({
        session,
        evidence: new InMemoryEvidenceSink({ canonicalJson }),
        history: new LocalDirBlobStore({ root: dir }),
      }),
      scope,
      async close() {
        session.destroy();
        await blackhole?.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
});
