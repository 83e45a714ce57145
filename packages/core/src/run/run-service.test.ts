import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Asset, Attestation, ConfigDoc, Finding, RunSummary, Scope } from '@neurocipher/seg-contracts';
import { canonicalJson, type RunMaterial } from '@neurocipher/seg-attest';
import { sha256Hex, type AttestationPort, type EvidenceSink } from '@neurocipher/seg-ports';
import {
  InMemoryAttestation,
  InMemoryEventBus,
  InMemoryEvidenceSink,
  InMemoryFindingIngest,
  InMemoryInventory,
  InMemoryRedactor,
  InMemorySigner,
  InMemoryTableStore,
} from '@neurocipher/seg-ports/testing';
import { newKey, signedCopy, tempRoot, type TestKey } from '../../test/helpers.ts';
import { DirectoryBundleSource } from '../bundle/directory-bundle-source.ts';
import { readVerifiedBundle, type LoadedBundle } from '../evaluation/bundle-loader.ts';
import { Evaluator } from '../evaluation/evaluator.ts';
import { evidenceDraft } from '../evaluation/findings.ts';
import { EVIDENCE_INDEX_MEDIA_TYPE, EVIDENCE_INDEX_TYPE } from './evidence-index.ts';
import { PortRunAttester } from './run-attester.ts';
import { runControlsOf } from './run-controls.ts';
import type { RunControls } from './run-controls.ts';
import { RunMaterialRegistry } from './run-material.ts';
import type { CommittedFilesSource } from './run-material.ts';
import type { RunProgressEvent } from './run-progress.ts';
import { RunService } from './run-service.ts';

const NOW = '2026-06-01T00:00:00Z';
const CAPTURED = '2026-05-31T00:00:00Z';
const SCOPE: Scope = { org_id: 'acme', tags: {} };
// A URN that carries an AWS access key id: the sink's redaction rewrites it inside the evidence body.
const SECRET_KEY_ID = 'AKIAABCDEFGHIJKLMNOP';

function asset(kind: string, id: string, body: Record<string, unknown>): { asset: Asset; config: ConfigDoc } {
  const urn = `urn:asset:aws:${kind}:${id}`;
  return {
    asset: { ref: { urn }, kind, provider: 'aws', name: id, properties: {}, discovered_at: CAPTURED },
    config: { asset: { urn }, captured_at: CAPTURED, schema_version: '1.0.0', body },
  };
}

const key = (id: string, status: string, created: string) =>
  asset('iam-access-key', id, {
    access_key_id: id,
    user_name: 'alice',
    status,
    create_date: created,
    last_used_date: null,
  });
const instance = (id: string, endpoint: string, hops: number) =>
  asset('ec2-instance', id, {
    instance_id: id,
    state: 'running',
    metadata_options: { http_tokens: 'required', http_endpoint: endpoint, http_put_response_hop_limit: hops },
  });

/** 11 assets the seg-custom controls target (one control each) and one vpc no control targets. */
const TENANT = [
  asset('bucket', 'b0', { name: 'b0', region: 'eu-west-1' }), // pass
  asset('bucket', 'b1', { name: 'b1', region: 'us-west-1' }), // warn (region being sunset)
  asset('bucket', 'b2', { name: 'b2', region: 'ap-south-1' }), // fail
  asset('bucket', 'b3', { name: 'b3', region: 'us-east-1' }), // pass
  key('k0', 'Active', '2026-03-01T00:00:00Z'), // pass (92 days)
  key('k1', 'Active', '2025-01-01T00:00:00Z'), // fail
  key('k2', 'Inactive', '2020-01-01T00:00:00Z'), // not_applicable, evidence /status
  key(SECRET_KEY_ID, 'Active', '2024-01-01T00:00:00Z'), // fail, evidence re-addressed by redaction
  instance('i0', 'enabled', 1), // pass
  instance('i1', 'enabled', 3), // fail
  instance('i2', 'disabled', 2), // not_applicable, evidence /metadata_options/http_endpoint
  asset('vpc', 'v0', { vpc_id: 'v0' }),
];

/** The evidence sink of a test: redacts access key ids (the secret of this tenant), canonicalises, hashes. */
const redactingSink = () =>
  new InMemoryEvidenceSink({
    canonicalJson,
    redactor: new InMemoryRedactor({ secrets: { aws_access_key_id: [SECRET_KEY_ID] } }),
  });

/** A sink that fails from its `failAt`-th write call on, as a full disk would. */
function failingSink(failAt: number): EvidenceSink {
  const inner = redactingSink();
  let calls = 0;
  const fail = () => {
    calls += 1;
    if (calls >= failAt) throw new Error('disk full');
  };
  return {
    put: async (body, media_type) => {
      fail();
      return inner.put(body, media_type);
    },
    putMany: async (items) => {
      fail();
      return inner.putMany(items);
    },
    get: (hash) => inner.get(hash),
    missing: (hashes) => inner.missing(hashes),
  };
}

const utf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Committed files of the in-memory tables: each snapshot's rows as canonical JSON, hashed. */
function tableFiles(tables: InMemoryTableStore): CommittedFilesSource {
  return {
    committedFiles: async (result) =>
      Promise.all(
        result.tables.map(async (t) => {
          const rows = await tables.scan(t.table, { snapshot_id: t.snapshot_id });
          const text = canonicalJson(
            JSON.parse(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v))),
          );
          return {
            table: t.table,
            snapshot_id: t.snapshot_id,
            data_files: [
              { path: `snapshots/${t.snapshot_id}.json`, sha256: sha256Hex(text), record_count: rows.length },
            ],
          };
        }),
      ),
  };
}

describe('RunService', () => {
  let root: ReturnType<typeof tempRoot>;
  let bundleKey: TestKey;
  let evaluator: Evaluator;
  let bundle: LoadedBundle;
  let controls: RunControls;
  const inventory = new InMemoryInventory({
    assets: TENANT.map((t) => t.asset),
    configs: TENANT.map((t) => t.config),
  });

  beforeAll(async () => {
    root = tempRoot();
    bundleKey = newKey();
    await signedCopy('seg-custom', root.path, bundleKey);
    const bundleSource = new DirectoryBundleSource({ root: root.path });
    const ref = { id: 'seg-custom', version: '1.0.0' };
    bundle = await readVerifiedBundle(bundleSource, ref, [bundleKey.trusted]);
    controls = runControlsOf([bundle]);
    evaluator = new Evaluator({
      bundleSource,
      trustedKeys: [bundleKey.trusted],
      bundles: [ref],
      engine: { kind: 'wasm', workers: 0 },
    });
  });

  afterAll(async () => {
    await evaluator.close();
    root.dispose();
  });

  const request = (extra: { run_id?: string } = {}) => ({
    scope: SCOPE,
    controls: controls.controls,
    policy_bundles: controls.policy_bundles,
    now: NOW,
    at: CAPTURED,
    ...extra,
  });

  describe('runControlsOf', () => {
    it('gives the sorted control specs, their frameworks and the bundle digest', () => {
      expect(controls.controls.map((c) => c.id)).toEqual([
        'seg-access-key-max-age',
        'seg-bucket-approved-region',
        'seg-instance-imds-hop-limit',
      ]);
      expect(controls.controls[1]).toMatchObject({ policy_bundle: 'seg-custom', severity: 'medium' });
      expect(controls.frameworks['seg-bucket-approved-region']).toEqual({ seg_custom: 'DR-1' });
      expect(controls.policy_bundles).toEqual([
        { id: 'seg-custom', version: '1.0.0', digest: { sha256: bundle.verified.digest } },
      ]);
      expect(bundle.verified.digest).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  describe('#run', () => {
    it('evaluates in chunks, stores every cited evidence body and commits one snapshot per table', async () => {
      const tables = new InMemoryTableStore();
      const ingest = new InMemoryFindingIngest({ tables });
      const sink = redactingSink();
      const events: RunProgressEvent[] = [];
      const service = new RunService({
        inventory,
        evaluator,
        ingest,
        evidence: sink,
        chunkSize: 3,
        pageSize: 4,
      });
      const outcome = await service.run(request(), (e) => events.push(e));

      // Progress: the listing grows page by page, then chunks of 3 assets, then the commit.
      expect(events.filter((e) => e.phase === 'inventory').map((e) => [e.done, e.total])).toEqual([
        [0, null],
        [4, null],
        [8, null],
        [11, null],
        [11, 11],
      ]);
      expect(events.filter((e) => e.phase === 'evaluate').map((e) => e.done)).toEqual([0, 3, 6, 9, 11]);
      expect(events.filter((e) => e.phase === 'commit')).toEqual([
        { phase: 'commit', done: 0, total: 11 },
        { phase: 'commit', done: 11, total: 11 },
      ]);

      expect(outcome.assets.map((a) => a.kind)).not.toContain('vpc');
      expect(outcome.run.counts).toEqual({ pass: 4, warn: 1, fail: 4, error: 0, not_applicable: 2 });
      expect(outcome.run.controls).toEqual(controls.controls.map((c) => c.id));
      expect(outcome.findings).toHaveLength(11);
      expect(outcome.commit).toMatchObject({ findings_written: 11, replayed: false });
      expect(outcome.commit?.tables.map((t) => [t.table, t.rows_added])).toEqual([
        ['runs', 1],
        ['findings', 11],
        // 11 bodies cited by the findings, plus the evidence index.
        ['evidence', 12],
        ['assets', 11],
      ]);

      // Every committed pointer resolves to a stored blob whose bytes hash to it.
      const committed = (await tables.scan('findings')) as unknown as Finding[];
      const pointers = committed.flatMap((f) => f.evidence);
      expect(pointers).toHaveLength(11);
      for (const pointer of pointers) expect(sha256Hex(await sink.get(pointer.hash))).toBe(pointer.hash);
      // Evidence rows carry the blob size, the citing finding and the config's capture time.
      const rows = await tables.scan('evidence');
      for (const row of rows.filter((r) => r.media_type !== EVIDENCE_INDEX_MEDIA_TYPE)) {
        expect(row.size_bytes).toBe((await sink.get(String(row.hash))).length);
        expect(row.finding_ids).toEqual([committed.find((f) => f.evidence[0]?.hash === row.hash)?.id]);
        expect(row.captured_at).toBe(CAPTURED);
      }

      // The secret-bearing body was redacted, then hashed once: the pointer is the hash of the redacted
      // bytes the sink stored, and nothing unredacted was hashed or stored.
      const secret = TENANT.find((t) => t.asset.name === SECRET_KEY_ID)!;
      const seen = evidenceDraft(secret.asset.ref, secret.config.body, {
        path: '/create_date',
        media_type: 'application/json',
      });
      const finding = committed.find((f) => f.asset.urn === secret.asset.ref.urn)!;
      expect(finding.result).toBe('fail');
      const redacted = seen.body.replace(SECRET_KEY_ID, '[REDACTED:aws_access_key_id]');
      expect(finding.evidence).toEqual([{ hash: sha256Hex(redacted), media_type: 'application/json' }]);
      expect(utf8(await sink.get(finding.evidence[0]!.hash))).toBe(redacted);
      expect(sink.hashes()).not.toContain(sha256Hex(seen.body));
      for (const hash of sink.hashes()) expect(utf8(await sink.get(hash))).not.toContain(SECRET_KEY_ID);
      expect(outcome.evidence.blobs).toBe(11);

      // The evidence index lists exactly the committed hashes and is itself a stored blob.
      const index = outcome.evidence.index!;
      const indexBytes = await sink.get(index.sha256);
      expect(sha256Hex(indexBytes)).toBe(index.sha256);
      expect(JSON.parse(utf8(indexBytes))).toEqual({
        type: EVIDENCE_INDEX_TYPE,
        run_id: outcome.run.run_id,
        evidence: [...new Set(pointers.map((p) => p.hash))].sort(),
      });
      expect(outcome.material).toEqual({
        policy_bundles: controls.policy_bundles,
        tables: outcome.commit!.tables.map((t) => ({
          table: t.table,
          snapshot_id: t.snapshot_id,
          data_files: [],
        })),
        evidence: [{ sha256: index.sha256, media_type: EVIDENCE_INDEX_MEDIA_TYPE }],
      });
      expect((await ingest.ack(outcome.run.run_id)).durable).toBe(true);
    });

    it('hands the bodies of each chunk to the sink in one call, and the index after the last', async () => {
      const tables = new InMemoryTableStore();
      const sink = redactingSink();
      const service = new RunService({
        inventory,
        evaluator,
        ingest: new InMemoryFindingIngest({ tables }),
        evidence: sink,
        chunkSize: 3,
      });
      const outcome = await service.run(request());
      // Every asset has one evidence body: chunks of 3, 3, 3 and 2; then the index through put.
      expect(sink.writes).toEqual([
        { method: 'putMany', items: 3 },
        { method: 'putMany', items: 3 },
        { method: 'putMany', items: 3 },
        { method: 'putMany', items: 2 },
        { method: 'put', items: 1 },
      ]);
      expect(sink.hashes()).toHaveLength(12);
      expect(outcome.evidence.index?.sha256).toBe(
        sink.hashes().find((h) => sink.media_type(h) === EVIDENCE_INDEX_MEDIA_TYPE),
      );
      for (const finding of (await tables.scan('findings')) as unknown as Finding[]) {
        for (const pointer of finding.evidence)
          expect(sha256Hex(await sink.get(pointer.hash))).toBe(pointer.hash);
      }
    });

    it('gives the same finding ids, results and evidence pointers whatever the chunk size', async () => {
      const run_id = '0b3c1a52-8a2e-4a57-9d49-7d3c0b1d1c02';
      const findingsWith = async (chunkSize: number) =>
        (
          await new RunService({
            inventory,
            evaluator,
            ingest: new InMemoryFindingIngest(),
            evidence: redactingSink(),
            chunkSize,
          }).run(request({ run_id }))
        ).findings
          .map((f) => `${f.id} ${f.result} ${f.evidence.map((p) => p.hash).join(',')}`)
          .sort();
      const one = await findingsWith(1);
      expect(one).toHaveLength(11);
      expect(one.every((line) => /^\S+ \S+ [0-9a-f]{64}$/.test(line))).toBe(true);
      expect(await findingsWith(100)).toEqual(one);
    });

    it('without ingest evaluates only: nothing stored, so the findings cite no evidence', async () => {
      const sink = redactingSink();
      const outcome = await new RunService({ inventory, evaluator, evidence: sink }).run(request());
      expect(outcome.commit).toBeNull();
      expect(outcome.material).toBeNull();
      expect(outcome.evidence).toEqual({ blobs: 0, index: null });
      expect(outcome.findings).toHaveLength(11);
      expect(outcome.findings.every((f) => f.evidence.length === 0)).toBe(true);
      expect(sink.writes).toEqual([]);
    });

    it('commits nothing when an evidence write fails', async () => {
      const ingest = new InMemoryFindingIngest();
      const sink = failingSink(3);
      const run_id = '0b3c1a52-8a2e-4a57-9d49-7d3c0b1d1c03';
      const events = new InMemoryEventBus();
      const service = new RunService({ inventory, evaluator, ingest, evidence: sink, chunkSize: 3, events });
      await expect(service.run(request({ run_id }))).rejects.toThrow('disk full');
      await expect(ingest.ack(run_id)).rejects.toMatchObject({ error_code: 'SEG_NOT_FOUND' });
      // Announced as started, never as completed.
      expect(events.published().map((e) => e.type)).toEqual(['seg.run.started']);
    });

    it('announces seg.run.started and, once committed, seg.run.completed, each once per run id', async () => {
      const tables = new InMemoryTableStore();
      const events = new InMemoryEventBus();
      const runsAtCompletion: number[] = [];
      await events.subscribe(['seg.run.completed'], async () => {
        runsAtCompletion.push((await tables.scan('runs')).length);
      });
      const run_id = '0b3c1a52-8a2e-4a57-9d49-7d3c0b1d1c05';
      const service = new RunService({
        inventory,
        evaluator,
        ingest: new InMemoryFindingIngest({ tables }),
        evidence: redactingSink(),
        events,
      });
      const outcome = await service.run(request({ run_id }));
      const published = events.published();
      expect(published.map((e) => [e.type, e.key, e.subject, e.org_id])).toEqual([
        ['seg.run.started', `seg.run.started/${run_id}`, run_id, 'acme'],
        ['seg.run.completed', `seg.run.completed/${run_id}`, run_id, 'acme'],
      ]);
      expect(published[0]!.data).toEqual({
        run_id,
        scope: SCOPE,
        control_ids: controls.controls.map((c) => c.id),
      });
      expect(published[1]!.data).toEqual({ run: outcome.run });
      expect(runsAtCompletion).toEqual([1]);
      expect(events.delivery_errors()).toEqual([]);
      // The same run again is a replayed commit, and the bus delivers its events once.
      const again = await service.run(request({ run_id }));
      expect(again.commit?.replayed).toBe(true);
      expect(events.published()).toHaveLength(2);
    });

    it('a replayed run (a redelivered job) carries the run as first committed, and is attested once', async () => {
      const tables = new InMemoryTableStore();
      const port = new InMemoryAttestation({ signer: await InMemorySigner.generate() });
      const recorded = new Map<string, Attestation>();
      const committedRuns = new Map<string, RunSummary>();
      let tick = Date.parse(NOW);
      const service = new RunService({
        inventory,
        evaluator,
        ingest: new InMemoryFindingIngest({ tables }),
        evidence: redactingSink(),
        committedFiles: tableFiles(tables),
        committed: { run: async (_org, id) => committedRuns.get(id)! },
        attester: new PortRunAttester({
          port,
          registry: new RunMaterialRegistry(),
          targets: [{ kind: 'transparency_log', log: 'local' }],
          record: async (a) => void recorded.set(a.run_id, a),
          recorded: async (run) => recorded.get(run.run_id) ?? null,
        }),
        // Each attempt starts and ends later than the one before.
        clock: { now: () => new Date((tick += 60_000)) },
      });
      const run_id = '5d1f0c2a-7b3e-4c8d-9e0f-1a2b3c4d5e6f';
      const first = await service.run(request({ run_id }));
      committedRuns.set(run_id, first.run);
      const again = await service.run(request({ run_id }));
      expect(again.commit?.replayed).toBe(true);
      expect(again.run).toEqual(first.run);
      expect(again.attestation!.attestation).toEqual(first.attestation!.attestation);
      expect(again.attestation!.verify.valid).toBe(true);
      expect(port.published({ kind: 'transparency_log', log: 'local' })).toEqual([
        first.attestation!.attestation.id,
      ]);
    });

    it('attests the summary, the bundle digest, the committed files and the evidence index', async () => {
      const tables = new InMemoryTableStore();
      const ingest = new InMemoryFindingIngest({ tables });
      const sink = redactingSink();
      const signer = await InMemorySigner.generate();
      const inner = new InMemoryAttestation({ signer });
      const registry = new RunMaterialRegistry();
      let signedWith: RunMaterial | null = null;
      // The port reads the run's material from the registry while it signs (as AttestationService does).
      const port: AttestationPort = {
        sign: async (run: RunSummary, scope: Scope) => {
          signedWith = await registry.material(run, scope);
          return inner.sign(run, scope);
        },
        verify: (a) => inner.verify(a),
        publish: (a, t) => inner.publish(a, t),
      };
      const recorded: string[] = [];
      const attester = new PortRunAttester({
        port,
        registry,
        targets: [
          { kind: 'filesystem', path: '/attestations' },
          { kind: 'transparency_log', log: 'local' },
        ],
        record: async (a) => {
          recorded.push(`${a.run_id} ${a.transparency_uri}`);
        },
      });
      const service = new RunService({
        inventory,
        evaluator,
        ingest,
        evidence: sink,
        committedFiles: tableFiles(tables),
        attester,
      });
      const outcome = await service.run(request());

      const attested = outcome.attestation!;
      expect(attested.verify.valid).toBe(true);
      expect(attested.attestation.run_id).toBe(outcome.run.run_id);
      expect(attested.attestation.transparency_uri).toBe('local#0');
      expect(attested.publish.status).toBe('success');
      expect(recorded).toEqual([`${outcome.run.run_id} local#0`]);
      expect(inner.published({ kind: 'transparency_log', log: 'local' })).toEqual([attested.attestation.id]);

      expect(signedWith).toEqual({ statement_type: 'evaluation', ...outcome.material });
      const material = outcome.material!;
      expect(material.policy_bundles).toEqual(controls.policy_bundles);
      expect(material.evidence).toEqual([
        { sha256: outcome.evidence.index!.sha256, media_type: EVIDENCE_INDEX_MEDIA_TYPE },
      ]);
      expect(material.tables!.map((t) => t.table)).toEqual(['runs', 'findings', 'evidence', 'assets']);
      const findingsFile = material.tables!.find((t) => t.table === 'findings')!.data_files[0]!;
      expect(findingsFile.record_count).toBe(11);
      expect(findingsFile.sha256).toMatch(/^[0-9a-f]{64}$/);
      // The registry forgets the material once the run is attested.
      await expect(registry.material(outcome.run, SCOPE)).rejects.toMatchObject({
        error_code: 'SEG_NOT_FOUND',
      });
    });

    it('removes secrets from finding messages and asset names and properties before the commit', async () => {
      const token = 'ghp_4kF9zQ2mX7bT1cV8nL3pR6sW0yH5jD2gA9eK';
      const leaky = asset('bucket', 'b9', { name: 'b9', region: token });
      leaky.asset.name = `deploy ${token}`;
      leaky.asset.properties = { db_password: 'hunter2-Pa55', owner_key: SECRET_KEY_ID, tier: 'gold' };
      const tenant = [...TENANT, leaky];
      const secretInventory = new InMemoryInventory({
        assets: tenant.map((t) => t.asset),
        configs: tenant.map((t) => t.config),
      });
      const tables = new InMemoryTableStore();
      const ingest = new InMemoryFindingIngest({ tables });
      const outcome = await new RunService({
        inventory: secretInventory,
        evaluator,
        ingest,
        evidence: redactingSink(),
      }).run(request());

      const finding = outcome.findings.find((f) => f.asset.urn === leaky.asset.ref.urn)!;
      expect(finding.message).toBe('region [REDACTED:github_token] is not approved');
      const row = outcome.assets.find((a) => a.ref.urn === leaky.asset.ref.urn)!;
      expect(row.name).toBe('deploy [REDACTED:github_token]');
      expect(row.properties).toEqual({
        db_password: '[REDACTED:db_password]',
        owner_key: '[REDACTED:aws_access_key_id]',
        tier: 'gold',
      });
      // What was committed (findings and assets tables) holds none of the secrets outside the URNs, which
      // are identifiers and stay as listed (the access key asset's URN names its key id).
      const committed = JSON.stringify([await tables.scan('findings'), await tables.scan('assets')]);
      expect(committed).toContain(leaky.asset.ref.urn);
      const outsideUrns = committed.replace(/"urn":"[^"]*"/g, '');
      for (const secret of [token, 'hunter2-Pa55', SECRET_KEY_ID]) expect(outsideUrns).not.toContain(secret);
    });

    it('refuses a composition that would commit unresolvable pointers or attest an uncommitted run', () => {
      const ingest = new InMemoryFindingIngest();
      expect(() => new RunService({ inventory, evaluator, ingest })).toThrow(
        expect.objectContaining({ error_code: 'SEG_INVALID_ARGUMENT' }),
      );
      const attester = { attest: async () => 'signed' };
      expect(() => new RunService({ inventory, evaluator, attester })).toThrow(/only a committed run/);
    });
  });

  describe('PortRunAttester', () => {
    const run: RunSummary = {
      run_id: '0b3c1a52-8a2e-4a57-9d49-7d3c0b1d1c04',
      scope: SCOPE,
      started_at: NOW,
      ended_at: NOW,
      controls: [],
      counts: { pass: 0, warn: 0, fail: 0, error: 0 },
    };
    const material: RunMaterial = { policy_bundles: [], tables: [], evidence: [] };

    it('fails with SEG_EVIDENCE_WRITE_FAILED when a target does not take the attestation', async () => {
      const port = new InMemoryAttestation({ signer: await InMemorySigner.generate() });
      port.set_target_failing({ kind: 'transparency_log', log: 'local' });
      const attester = new PortRunAttester({
        port,
        registry: new RunMaterialRegistry(),
        targets: [{ kind: 'transparency_log', log: 'local' }],
      });
      await expect(attester.attest(run, material)).rejects.toMatchObject({
        error_code: 'SEG_EVIDENCE_WRITE_FAILED',
        details: { results: [{ kind: 'transparency_log', status: 'failed' }] },
      });
    });

    it('announces seg.attestation.published once the attestation is published and recorded, and not on failure', async () => {
      const port = new InMemoryAttestation({ signer: await InMemorySigner.generate() });
      const events = new InMemoryEventBus();
      const order: string[] = [];
      await events.subscribe(['seg.attestation.published'], () => void order.push('announced'));
      const attester = new PortRunAttester({
        port,
        registry: new RunMaterialRegistry(),
        targets: [{ kind: 'transparency_log', log: 'https://log.example/tlog' }],
        record: async () => void order.push('recorded'),
        events,
      });
      const attested = await attester.attest(run, material);
      expect(order).toEqual(['recorded', 'announced']);
      expect(events.published().map((e) => [e.type, e.key, e.org_id, e.data])).toEqual([
        [
          'seg.attestation.published',
          `seg.attestation.published/${attested.attestation.id}`,
          SCOPE.org_id,
          { attestation: attested.attestation, report: attested.publish },
        ],
      ]);
      port.set_target_failing({ kind: 'transparency_log', log: 'https://log.example/tlog' });
      await expect(attester.attest(run, material)).rejects.toMatchObject({
        error_code: 'SEG_EVIDENCE_WRITE_FAILED',
      });
      expect(events.published()).toHaveLength(1);
    });

    it('fails with SEG_ATTEST_VERIFY_FAILED when the attestation does not verify', async () => {
      const other = await InMemorySigner.generate();
      const port = new InMemoryAttestation({
        signer: await InMemorySigner.generate(),
        trusted_keys: [{ keyid: other.keyid, algorithm: 'ed25519', public_key: await other.public_key() }],
      });
      const attester = new PortRunAttester({ port, registry: new RunMaterialRegistry(), targets: [] });
      await expect(attester.attest(run, material)).rejects.toMatchObject({
        error_code: 'SEG_ATTEST_VERIFY_FAILED',
        details: { check: 'signature' },
      });
    });
  });
});
