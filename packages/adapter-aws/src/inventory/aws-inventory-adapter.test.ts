import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { type Asset, type AssetPage } from '@neurocipher/seg-contracts';
import { motoAdapterFixture, type MotoAdapterFixture } from '../testing/adapter-fixture.ts';
import { PASSING_ACCOUNT_ID, seedCisScenario, type CisSeed } from '../testing/cis-seed.ts';
import { startBlackholeServer } from '../testing/fault-injector.ts';
import { motoClientConfig, startMotoServer, type MotoServer } from '../testing/moto-server.ts';
import { sha256Hex } from '@neurocipher/seg-ports';
import { readJsonEvidence } from '@neurocipher/seg-ports';
import { awsAssetUrn } from './asset-urn.ts';
import { AwsInventoryAdapter } from './aws-inventory-adapter.ts';
import type { KindCollector } from './collector.ts';

const scope = { org_id: 'acme', tags: {} };

async function readAll(next: (cursor: string | null) => Promise<AssetPage>): Promise<Asset[]> {
  const out: Asset[] = [];
  let cursor: string | null = null;
  do {
    const page: AssetPage = await next(cursor);
    out.push(...page.assets);
    cursor = page.next_cursor ?? null;
  } while (cursor);
  return out;
}

describe('AwsInventoryAdapter', () => {
  let moto: MotoServer;
  let fx: MotoAdapterFixture;
  let seed: CisSeed;

  beforeAll(async () => {
    moto = await startMotoServer({ loadManagedPolicies: true });
  }, 90_000);
  afterAll(async () => {
    await moto.stop();
  });

  // Seeding takes seconds (IAM loads the managed policies per account), so the read-only tests share one seed;
  // the one test that changes a resource runs last.
  describe('over the seeded CIS scenario', () => {
    beforeAll(async () => {
      await moto.reset();
      seed = await seedCisScenario(moto);
      fx = await motoAdapterFixture(moto, {
        accounts: [moto.accountId, PASSING_ACCOUNT_ID],
        regions: ['us-east-1', 'eu-west-1'],
      });
    }, 60_000);
    afterAll(async () => {
      await fx?.close();
    });

    it('lists every kind in both accounts and regions, and reads a normalized config for each asset', async () => {
      const all = await readAll((cursor) => fx.inventory.list_assets(scope, [], null, { cursor, limit: 7 }));
      const urns = all.map((a) => a.ref.urn);
      expect(new Set(urns).size).toBe(urns.length);
      expect([...urns].sort()).toEqual(urns);
      const acct = seed.account_id;
      const want = [
        awsAssetUrn({ kind: 'bucket', account_id: acct, region: 'us-east-1', native_id: seed.buckets.fail }),
        awsAssetUrn({
          kind: 's3-account',
          account_id: PASSING_ACCOUNT_ID,
          region: 'global',
          native_id: PASSING_ACCOUNT_ID,
        }),
        awsAssetUrn({ kind: 'iam-user', account_id: acct, region: 'global', native_id: 'alice-fail' }),
        awsAssetUrn({
          kind: 'iam-policy',
          account_id: acct,
          region: 'global',
          native_id: seed.policies.fail,
        }),
        awsAssetUrn({
          kind: 'kms-key',
          account_id: acct,
          region: 'us-east-1',
          native_id: seed.kms_keys.fail,
        }),
        awsAssetUrn({
          kind: 'cloudtrail-trail',
          account_id: acct,
          region: 'us-east-1',
          native_id: 'seg-trail-pass',
        }),
        awsAssetUrn({
          kind: 'ebs-encryption-default',
          account_id: acct,
          region: 'eu-west-1',
          native_id: 'ebs-encryption-default',
        }),
        awsAssetUrn({
          kind: 'security-group',
          account_id: acct,
          region: 'us-east-1',
          native_id: seed.security_groups.fail,
        }),
        awsAssetUrn({ kind: 'vpc', account_id: acct, region: 'us-east-1', native_id: seed.vpcs.pass }),
        awsAssetUrn({
          kind: 'ec2-instance',
          account_id: acct,
          region: 'us-east-1',
          native_id: seed.instances.fail,
        }),
        awsAssetUrn({
          kind: 'rds-instance',
          account_id: acct,
          region: 'us-east-1',
          native_id: 'seg-db-fail',
        }),
      ];
      for (const w of want) expect(urns).toContain(w);
      const kinds = new Set(all.map((a) => a.kind));
      expect([...kinds].sort()).toEqual([...fx.inventory.kinds].sort());

      for (const a of all) {
        const doc = await fx.inventory.get_config(a.ref);
        expect(doc.asset.urn).toBe(a.ref.urn);
        expect(typeof doc.body).toBe('object');
      }
    }, 120_000);

    it('normalizes the failing and passing bucket as the controls expect', async () => {
      const ref = (b: string) => ({
        urn: awsAssetUrn({ kind: 'bucket', account_id: seed.account_id, region: 'us-east-1', native_id: b }),
      });
      const fail = (await fx.inventory.get_config(ref(seed.buckets.fail))).body;
      const pass = (await fx.inventory.get_config(ref(seed.buckets.pass))).body;
      expect(fail).toMatchObject({
        public_access_block: null,
        policy: null,
        encryption: null,
        logging: null,
        ownership_controls: null,
      });
      expect(
        (fail['acl'] as { grants: { grantee_uri: string | null }[] }).grants.map((g) => g.grantee_uri),
      ).toContain('http://acs.amazonaws.com/groups/global/AllUsers');
      expect(pass).toMatchObject({
        public_access_block: {
          block_public_acls: true,
          ignore_public_acls: true,
          block_public_policy: true,
          restrict_public_buckets: true,
        },
        encryption: {
          rules: [{ sse_algorithm: 'aws:kms', kms_master_key_id: null, bucket_key_enabled: true }],
        },
        versioning: { status: 'Enabled' },
        logging: { target_bucket: seed.buckets.pass, target_prefix: 'access/' },
        ownership_controls: { object_ownership: 'BucketOwnerEnforced' },
      });
      expect(pass['policy']).toMatchObject({
        statements: [
          {
            effect: 'Deny',
            principals: [{ type: 'AWS', id: '*' }],
            conditions: [{ operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] }],
          },
        ],
      });
    });

    it('reads account-level settings through the assumed role of each account', async () => {
      const ia = (id: string) => ({
        urn: awsAssetUrn({ kind: 'iam-account', account_id: id, region: 'global', native_id: id }),
      });
      const failing = (await fx.inventory.get_config(ia(seed.account_id))).body;
      const passing = (await fx.inventory.get_config(ia(PASSING_ACCOUNT_ID))).body;
      expect(failing['password_policy']).toBeNull();
      expect(passing['password_policy']).toMatchObject({
        minimum_password_length: 14,
        password_reuse_prevention: 24,
      });
      expect(passing['support_policy_attachments']).toEqual({
        roles: ['seg-support'],
        users: [],
        groups: [],
      });
      const ct = (id: string) => ({
        urn: awsAssetUrn({ kind: 'cloudtrail-account', account_id: id, region: 'global', native_id: id }),
      });
      const trails = (await fx.inventory.get_config(ct(PASSING_ACCOUNT_ID))).body['trails'] as {
        name: string;
        is_multi_region_trail: boolean;
        is_logging: boolean;
      }[];
      expect(trails).toEqual([
        expect.objectContaining({ name: 'seg-org-trail', is_multi_region_trail: true, is_logging: true }),
      ]);
      const mine = (await fx.inventory.get_config(ct(seed.account_id))).body['trails'] as { name: string }[];
      expect(mine.map((t) => t.name).sort()).toEqual(['seg-trail-fail', 'seg-trail-pass']);
    });

    it('stores the raw responses behind a config through the evidence sink, and only an index beside', async () => {
      const ref = {
        urn: awsAssetUrn({
          kind: 'bucket',
          account_id: seed.account_id,
          region: 'us-east-1',
          native_id: seed.buckets.pass,
        }),
      };
      await fx.inventory.get_config(ref);
      const pointers = await fx.inventory.evidence_for(ref);
      expect(pointers).toHaveLength(2);
      for (const p of pointers) expect(sha256Hex(await fx.evidence.get(p.hash))).toBe(p.hash);
      const raw = (await readJsonEvidence(fx.evidence, pointers[1]!)) as {
        responses: Record<string, unknown>;
      };
      // The adapter's own blob store holds its capture index and nothing else.
      const own = (await fx.blobs.list('')).keys;
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((k) => k.startsWith('config-history/'))).toBe(true);
      expect(Object.keys(raw.responses)).toEqual(
        expect.arrayContaining(['GetBucketPolicy', 'GetPublicAccessBlock', 'GetBucketAcl']),
      );
    });

    it('searches by kind, name text and properties, paged like list_assets', async () => {
      const q = {
        scope,
        kinds: ['bucket', 'iam-user'],
        text: 'FAIL',
        properties: { account_id: seed.account_id },
      };
      const first = await fx.inventory.search({ ...q, limit: 1 });
      expect(first.assets).toHaveLength(1);
      const second = await fx.inventory.search({ ...q, limit: 1, cursor: first.next_cursor ?? null });
      const names = [...first.assets, ...second.assets].map((a) => a.name).sort();
      expect(names).toEqual(['alice-fail', 'seg-fail-bucket']);
      expect(second.next_cursor ?? null).toBeNull();
      const other = await fx.inventory.search({
        scope,
        kinds: ['s3-account'],
        properties: { account_id: PASSING_ACCOUNT_ID },
      });
      expect(other.assets.map((a) => a.ref.urn)).toEqual([
        awsAssetUrn({
          kind: 's3-account',
          account_id: PASSING_ACCOUNT_ID,
          region: 'global',
          native_id: PASSING_ACCOUNT_ID,
        }),
      ]);
    });

    it('raises SEG_ADAPTER_TIMEOUT from get_config when AWS does not answer, and SEG_NOT_FOUND for a gone asset', async () => {
      const hole = await startBlackholeServer();
      const slow = await motoAdapterFixture(moto, {
        session: {
          endpoint: hole.endpoint,
          requestTimeoutMs: 200,
          retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 5 },
        },
      });
      try {
        const ref = {
          urn: awsAssetUrn({
            kind: 'bucket',
            account_id: seed.account_id,
            region: 'us-east-1',
            native_id: seed.buckets.fail,
          }),
        };
        await expect(slow.inventory.get_config(ref)).rejects.toMatchObject({
          error_code: 'SEG_ADAPTER_TIMEOUT',
          retryable: true,
        });
      } finally {
        await slow.close();
        await hole.close();
      }
      const gone = {
        urn: awsAssetUrn({
          kind: 'bucket',
          account_id: seed.account_id,
          region: 'us-east-1',
          native_id: 'no-such-bucket',
        }),
      };
      await expect(fx.inventory.get_config(gone)).rejects.toMatchObject({ error_code: 'SEG_NOT_FOUND' });
    });

    it('answers get_config at a past instant from the recorded captures', async () => {
      const ref = {
        urn: awsAssetUrn({
          kind: 'bucket',
          account_id: seed.account_id,
          region: 'us-east-1',
          native_id: seed.buckets.fail,
        }),
      };
      const before = await fx.inventory.get_config(ref);
      await new Promise((r) => setTimeout(r, 5));
      const s3 = new S3Client(motoClientConfig(moto));
      await s3.send(
        new PutBucketVersioningCommand({
          Bucket: seed.buckets.fail,
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      );
      s3.destroy();
      const after = await fx.inventory.get_config(ref);
      expect(after.body['versioning']).toEqual({ status: 'Enabled', mfa_delete: null });
      const past = await fx.inventory.get_config(ref, before.captured_at);
      expect(past).toEqual(before);
      const earlier = new Date(Date.parse(before.captured_at) - 60_000).toISOString();
      await expect(fx.inventory.get_config(ref, earlier)).rejects.toMatchObject({
        error_code: 'SEG_NOT_FOUND',
      });
    });
  });

  describe('paging above 1,000 assets', () => {
    // The paging logic is the adapter's own, so it is exercised over a collector that lists a mutable set of
    // 2,500 assets in-process (1,000+ real resources take minutes to create on moto); the moto-backed
    // listings above page the real collectors with a small page size.
    it('pages 2,500 assets with stable cursors: no duplicates and no gaps while assets change', async () => {
      const live = Array.from({ length: 2500 }, (_, i) => `i-${String(i).padStart(5, '0')}`);
      let listCalls = 0;
      const synthetic: KindCollector = {
        kind: 'ec2-instance',
        schema_version: '1.0.0',
        placement: 'regional',
        async list(_s, accountId, region) {
          listCalls++;
          return live.map((id) => ({
            kind: 'ec2-instance',
            account_id: accountId,
            region,
            native_id: id,
            name: id,
            properties: {},
          }));
        },
        async read() {
          throw new Error('not read in this test');
        },
      };
      const fx2 = await motoAdapterFixture(moto);
      const inventory = new AwsInventoryAdapter({
        session: fx2.session,
        evidence: fx2.evidence,
        history: fx2.blobs,
        collectors: [synthetic],
      });
      try {
        const pages: AssetPage[] = [];
        let cursor: string | null = null;
        do {
          const page: AssetPage = await inventory.list_assets(scope, ['ec2-instance'], null, {
            cursor,
            limit: 1000,
          });
          pages.push(page);
          cursor = page.next_cursor ?? null;
          // Change the account between pages: the listing must still be the snapshot it started from.
          live.splice(0, 1);
          live.push(`i-x${pages.length}`);
        } while (cursor);
        expect(pages.map((p) => p.assets.length)).toEqual([1000, 1000, 500]);
        expect(listCalls).toBe(1);
        const seen = pages.flatMap((p) => p.assets.map((a) => a.name));
        expect(new Set(seen).size).toBe(2500);
        expect(seen).toEqual(Array.from({ length: 2500 }, (_, i) => `i-${String(i).padStart(5, '0')}`));

        // The same cursor gives the same page.
        const again = await inventory.list_assets(scope, ['ec2-instance'], null, {
          cursor: pages[0]?.next_cursor ?? null,
          limit: 1000,
        });
        expect(again.assets).toEqual(pages[1]?.assets);

        // A cursor whose snapshot is gone (another process, expiry) continues after its last URN: no duplicates.
        const other = new AwsInventoryAdapter({
          session: fx2.session,
          evidence: fx2.evidence,
          history: fx2.blobs,
          collectors: [synthetic],
        });
        const resumed = await other.list_assets(scope, ['ec2-instance'], null, {
          cursor: pages[0]?.next_cursor ?? null,
          limit: 1000,
        });
        const lastOfFirst = pages[0]?.assets.at(-1)?.ref.urn ?? '';
        expect(resumed.assets.every((a) => a.ref.urn > lastOfFirst)).toBe(true);

        // A cursor from another listing, or one the adapter did not make, is refused.
        await expect(
          inventory.list_assets(scope, ['bucket'], null, { cursor: pages[0]?.next_cursor ?? null }),
        ).rejects.toMatchObject({
          error_code: 'SEG_INVALID_ARGUMENT',
        });
        await expect(
          inventory.list_assets(scope, ['ec2-instance'], null, { cursor: 'nonsense' }),
        ).rejects.toMatchObject({
          error_code: 'SEG_INVALID_ARGUMENT',
        });
      } finally {
        await fx2.close();
      }
    });
  });
});
