// One evidence path (issue 13, test b): a scan of a moto account whose failing IAM user carries a
// secret-shaped tag value. The AWS adapter is given the lakehouse's EvidenceStore (core's SecretRedactor)
// as its evidence sink and a blob store of its own for its capture index; the run stores the evaluation
// evidence through the same sink. Afterwards no stored file — packs, loose bodies, the evidence index,
// the adapter's config-history records — holds the secret, the adapter's own store holds nothing but
// index records pointing into the sink, and every pointer of the run resolves through the sink.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IAMClient, TagUserCommand } from '@aws-sdk/client-iam';
import {
  LocalDirBlobStore,
  motoAdapterFixture,
  motoClientConfig,
  seedCisScenario,
  startMotoServer,
  type CisSeed,
  type MotoAdapterFixture,
  type MotoServer,
} from '@neurocipher/seg-adapter-aws/testing';
import { awsAssetUrn } from '@neurocipher/seg-adapter-aws';
import {
  DirectoryBundleSource,
  Evaluator,
  RunService,
  SecretRedactor,
  parseTrustedKeys,
  runControlsOf,
  readVerifiedBundle,
} from '@neurocipher/seg-core';
import { EvidenceStore } from '@neurocipher/seg-lakehouse';
import { sha256Hex } from '@neurocipher/seg-ports';
import { InMemoryFindingIngest } from '@neurocipher/seg-ports/testing';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// A GitHub personal access token's shape (fake): secretlint's preset recognises it.
const SECRET = 'ghp_Q7m2Xc9Lk4Tz8Wb1Nd6Rf3Hs0Jv5Yp2Ga7Ue';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe('one evidence path: a moto scan with a secret in an IAM user tag', () => {
  let moto: MotoServer;
  let seed: CisSeed;
  let fx: MotoAdapterFixture;
  let sinkDir: string;
  let evidence: EvidenceStore;

  beforeAll(async () => {
    moto = await startMotoServer({ loadManagedPolicies: true });
    seed = await seedCisScenario(moto);
    const iam = new IAMClient(motoClientConfig(moto));
    await iam.send(
      new TagUserCommand({ UserName: seed.users.fail, Tags: [{ Key: 'deploy', Value: `token ${SECRET}` }] }),
    );
    iam.destroy();
    sinkDir = await mkdtemp(join(tmpdir(), 'seg-evidence-path-'));
    evidence = new EvidenceStore({
      blobs: new LocalDirBlobStore({ root: sinkDir }),
      redactor: new SecretRedactor(),
    });
    fx = await motoAdapterFixture(moto, { evidence });
  }, 180_000);

  afterAll(async () => {
    await fx?.close();
    await moto?.stop();
    if (sinkDir) await rm(sinkDir, { recursive: true, force: true });
  });

  it('stores every body through the sink, redacted; the adapter keeps only its index', async () => {
    const bundleSource = new DirectoryBundleSource({ root: resolve(root, 'bundles') });
    const ref = (await bundleSource.list()).find((r) => r.id === 'cis-aws-foundations')!;
    const trustedKeys = parseTrustedKeys(
      await readFile(resolve(root, 'tools/bundle/trusted-keys.json'), 'utf8'),
    );
    const controls = runControlsOf([await readVerifiedBundle(bundleSource, ref, trustedKeys)]);
    const evaluator = new Evaluator({ bundleSource, trustedKeys, bundles: [ref] });
    const ingest = new InMemoryFindingIngest();
    const outcome = await new RunService({ inventory: fx.inventory, evaluator, ingest, evidence })
      .run({
        scope: { org_id: 'acme', tags: {} },
        controls: controls.controls,
        policy_bundles: controls.policy_bundles,
        now: new Date().toISOString(),
      })
      .finally(() => evaluator.close());
    const user = awsAssetUrn({
      kind: 'iam-user',
      account_id: seed.account_id,
      region: 'global',
      native_id: seed.users.fail,
    });
    expect(outcome.assets.map((a) => a.ref.urn)).toContain(user);

    // The adapter's own store: capture index records only, each pointing at bodies the sink holds intact.
    const own = (await fx.blobs.list('', { limit: 1000 })).keys;
    expect(own.length).toBeGreaterThan(0);
    const pointed: string[] = [];
    for (const key of own) {
      expect(key).toMatch(/^config-history\/[0-9a-f]{64}\/\d{4}-\d\d-\d\dT[\d:.]+Z$/);
      const record = JSON.parse(new TextDecoder().decode(await fx.blobs.get(key))) as Record<string, unknown>;
      expect(Object.keys(record).sort()).toEqual(['captured_at', 'doc', 'raw']);
      for (const p of [record['doc'], record['raw']] as { hash: string }[]) pointed.push(p.hash);
    }
    expect(await evidence.missing(pointed)).toEqual([]);

    // The user's raw responses reached the sink (the tag is in GetUser), redacted before they were hashed.
    const [, raw] = await fx.inventory.evidence_for({ urn: user });
    const rawBytes = await evidence.get(raw!.hash);
    expect(sha256Hex(rawBytes)).toBe(raw!.hash);
    const rawText = new TextDecoder().decode(rawBytes);
    expect(rawText).toContain('"Key":"deploy"');
    expect(rawText).toContain('token [REDACTED:');

    // The run's evidence: packs of evaluation bodies and the index, every cited pointer stored intact.
    const cited = outcome.findings.flatMap((f) => f.evidence.map((p) => p.hash));
    expect(cited.length).toBeGreaterThan(0);
    expect(await evidence.missing([...cited, outcome.evidence.index!.sha256])).toEqual([]);
    expect((await new LocalDirBlobStore({ root: sinkDir }).list('packs/')).keys.length).toBeGreaterThan(0);

    // No stored file, in the sink's folder or the adapter's, holds the secret.
    const stored = [...files(sinkDir), ...files(fx.blobs.root)];
    expect(stored.length).toBeGreaterThan(own.length);
    for (const file of stored)
      expect({ file, leaked: readFileSync(file).includes(SECRET) }).toEqual({ file, leaked: false });
  }, 300_000);
});
