// The lakehouse with its warehouse and evidence blobs on S3 (moto), catalog in SQLite: commit a run through
// IcebergFindingStore, read the evidence back verified from S3, and have pyiceberg read the tables from the
// S3 warehouse (through the lakehouse's own reader script) and see what was committed. Evidence URIs sealed
// under a KMS master key (moto's KMS, adapter-aws's KmsKeyProvider) open again in a fresh store.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { KmsKeyProvider, S3BlobStore } from '@neurocipher/seg-adapter-aws';
import { motoClientConfig, startMotoServer, type MotoServer } from '@neurocipher/seg-adapter-aws/testing';
import { InMemoryRedactor } from '@neurocipher/seg-ports/testing';
import { isSegError } from '@neurocipher/seg-contracts';
import type { Asset, ControlSpec, EvidenceObj, Finding, IngestContext } from '@neurocipher/seg-contracts';
import {
  BlobStoreFileIO,
  EvidenceStore,
  IcebergFindingStore,
  LakehouseTables,
  LocalKeyProvider,
  SqlCatalog,
  SqliteDriver,
  UriSealer,
  parseLossless,
  toRow,
  type Row,
  type TableName,
} from '@neurocipher/seg-lakehouse';

const run = promisify(execFile);
const here = import.meta.dirname;
const PYTHON = process.env.SEG_PYTHON ?? resolve(here, '../../.tools/venv/bin/python');
const BUCKET = 'seg-lake';
const WAREHOUSE = `s3://${BUCKET}/warehouse`;
const ORG = 'acme';
const RUN_ID = '6f1c2b8e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const COMMITTED_AT = '2026-03-04T05:06:07.123Z';
const CHUNK = 1024;
const TABLES: readonly TableName[] = ['evidence', 'findings', 'assets', 'controls', 'runs'];

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

interface PyTable {
  snapshot_id: string;
  row_count: number;
  rows: Record<string, unknown>[];
  per_org: Record<string, number>;
}

// Three buckets, two controls: six findings, each with an evidence body stored first (one is larger
// than a chunk, so it lands on S3 as chunks plus a reassembly map).
async function sampleRun(evidence: EvidenceStore) {
  const controls: ControlSpec[] = ['cis-s3-1', 'cis-s3-2'].map((id, i) => ({
    id,
    version: '1.0.0',
    title: `Bucket control ${i + 1}`,
    benchmark: 'CIS',
    description: 'Buckets block public access',
    inputs: { threshold: i },
    target_kinds: ['bucket'],
    policy_bundle: 'aws-baseline@1.0.0',
    severity: i === 0 ? 'high' : 'medium',
    rationale: null,
    remediation_guidance: 'Enable the block',
  }));
  const assets: Asset[] = [0, 1, 2].map((i) => ({
    ref: { urn: `urn:asset:aws:bucket:${ORG}-bucket-${i}` },
    kind: 'bucket',
    provider: 'aws',
    name: `bucket-${i}`,
    properties: { region: 'eu-west-1', versioned: i === 0 },
    discovered_at: '2026-03-04T01:02:03.123456Z',
  }));
  const findings: Finding[] = [];
  const evidenceRows: EvidenceObj[] = [];
  for (const c of controls) {
    for (const [i, a] of assets.entries()) {
      const fingerprint = sha256(`${ORG}|${c.id}|${a.ref.urn}`);
      const id = `${sha256(fingerprint).slice(0, 8)}-0000-4000-8000-${sha256(fingerprint).slice(8, 20)}`;
      const body = { bucket: a.ref.urn, control: c.id, policy: i === 2 ? 'x'.repeat(3 * CHUNK) : null };
      const stored = await evidence.put(body, 'application/json');
      const result = i % 2 === 0 ? 'fail' : 'pass';
      const uri = `https://${BUCKET}.s3.amazonaws.com/evidence/sha256/${stored.hash.slice(0, 2)}/${stored.hash}`;
      findings.push({
        id,
        control_id: c.id,
        control_version: c.version,
        asset: a.ref,
        result,
        severity: c.severity,
        message: `${c.id} on ${a.ref.urn}: ${result}`,
        evidence: [{ hash: stored.hash, uri, media_type: 'application/json' }],
        created_at: '2026-03-04T02:00:00Z',
        updated_at: '2026-03-04T02:00:00.5Z',
        fingerprint,
      });
      evidenceRows.push({
        hash: stored.hash,
        uri,
        media_type: 'application/json',
        size_bytes: stored.size_bytes,
        finding_ids: [id],
        captured_at: '2026-03-04T01:59:00Z',
      });
    }
  }
  const context: IngestContext = {
    run: {
      run_id: RUN_ID,
      scope: { org_id: ORG, project: null, region: 'eu-west-1', tags: { env: 'prod' } },
      started_at: '2026-03-04T01:00:00Z',
      ended_at: '2026-03-04T02:30:00Z',
      controls: controls.map((c) => c.id),
      counts: { pass: 2, warn: 0, fail: 4, error: 0 },
    },
    assets,
    controls,
  };
  return { findings, evidence: evidenceRows, context };
}

function norm(v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : typeof v === 'number' ? String(v) : v;
}
const canon = (rows: Record<string, unknown>[], key: readonly string[]) =>
  rows
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, norm(v)])))
    .sort((a, b) => (key.map((k) => a[k]).join('|') < key.map((k) => b[k]).join('|') ? -1 : 1));

describe('lakehouse with warehouse and evidence on S3 (moto), SQLite catalog', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let dir: string;
  let catalog: SqlCatalog;
  let io: BlobStoreFileIO;
  let tables: LakehouseTables;
  let evidence: EvidenceStore;
  let keys: LocalKeyProvider;
  let sample: Awaited<ReturnType<typeof sampleRun>>;
  let py: Record<string, PyTable>;

  beforeAll(async () => {
    moto = await startMotoServer();
    s3 = new S3Client(motoClientConfig(moto));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    dir = await mkdtemp(join(tmpdir(), 'seg-lake-s3-'));
    io = new BlobStoreFileIO({
      blobs: new S3BlobStore({ client: s3, bucket: BUCKET, prefix: 'warehouse/' }),
      uriPrefix: WAREHOUSE,
    });
    catalog = new SqlCatalog({
      name: 'seg',
      driver: new SqliteDriver(join(dir, 'catalog.db')),
      io,
      warehouse: WAREHOUSE,
    });
    const clock = { now: () => new Date(COMMITTED_AT) };
    tables = new LakehouseTables({ catalog, io, now: () => clock.now().getTime() });
    evidence = new EvidenceStore({
      blobs: new S3BlobStore({ client: s3, bucket: BUCKET, prefix: 'evidence/' }),
      chunkSize: CHUNK,
      clock,
      redactor: new InMemoryRedactor(),
    });
    keys = new LocalKeyProvider({ masterKey: randomBytes(32) });
    const store = new IcebergFindingStore({ tables, keys, evidence, clock });
    sample = await sampleRun(evidence);
    const out = await store.commit(sample.findings, sample.evidence, sample.context);
    expect(out).toMatchObject({ findings_written: 6, evidence_written: 6, replayed: false });
    // A replay of the same run adds nothing (idempotent by run id), on S3 as on disk.
    expect((await store.commit(sample.findings, sample.evidence, sample.context)).replayed).toBe(true);

    const properties = {
      's3.endpoint': moto.endpoint,
      's3.access-key-id': moto.credentials.accessKeyId,
      's3.secret-access-key': moto.credentials.secretAccessKey,
      's3.session-token': moto.credentials.sessionToken ?? '',
      's3.region': moto.region,
      's3.force-virtual-addressing': 'false',
    };
    const { stdout } = await run(
      PYTHON,
      [
        join(here, '..', '..', 'packages', 'lakehouse', 'test', 'pyiceberg_read.py'),
        'seg',
        `sqlite:///${join(dir, 'catalog.db')}`,
        'seg',
        ...TABLES,
      ],
      {
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, SEG_PYICEBERG_PROPERTIES: JSON.stringify(properties) },
      },
    );
    py = parseLossless(stdout);
  }, 180_000);

  afterAll(async () => {
    await catalog?.close();
    s3?.destroy();
    await moto?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps every table file in the S3 warehouse: only the catalog database is local', async () => {
    // (SQLite's -wal and -shm files sit next to the database.)
    expect((await readdir(dir)).filter((f) => !/^catalog\.db(-wal|-shm)?$/.test(f))).toEqual([]);
    for (const name of TABLES) {
      const { metadataLocation } = await catalog.loadTable({ namespace: 'seg', name });
      expect(metadataLocation).toMatch(
        new RegExp(`^${WAREHOUSE}/seg/${name}/metadata/.+\\.metadata\\.json$`),
      );
      const raw = await s3.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: metadataLocation.slice(`s3://${BUCKET}/`.length) }),
      );
      expect(JSON.parse(await raw.Body!.transformToString())).toMatchObject({ 'format-version': 2 });
    }
  });

  it('pyiceberg reads each table from S3 at the committed snapshot with the committed rows', async () => {
    const seg = { org_id: ORG, run_id: RUN_ID, committed_at: COMMITTED_AT };
    const expected: Record<string, Row[]> = {
      evidence: sample.evidence.map((e) => toRow(tables.layout('evidence'), e, seg)),
      findings: sample.findings.map((f) => toRow(tables.layout('findings'), f, seg)),
      assets: sample.context.assets.map((a) => toRow(tables.layout('assets'), a, seg)),
      controls: sample.context.controls.map((c) => toRow(tables.layout('controls'), c, seg)),
      runs: [toRow(tables.layout('runs'), sample.context.run, seg)],
    };
    const sealer = new UriSealer({ keys });
    for (const name of TABLES) {
      const { metadata } = await tables.table(name).load();
      expect(py[name]!.snapshot_id).toBe(String(metadata['current-snapshot-id']));
      expect(py[name]!.row_count).toBe(expected[name]!.length);
      expect(py[name]!.per_org).toEqual({ [ORG]: expected[name]!.length });
      // Evidence URIs are sealed at rest: what pyiceberg read must open to the committed URI.
      for (const r of py[name]!.rows) {
        if (name === 'evidence') r.uri = await sealer.open(String(r.uri));
        if (name === 'findings') {
          const ptrs = JSON.parse(String(r.evidence)) as { uri?: string }[];
          for (const p of ptrs) if (p.uri) p.uri = await sealer.open(p.uri);
          r.evidence = ptrs;
        }
      }
      const want = expected[name]!.map((r) =>
        name === 'findings' ? { ...r, evidence: JSON.parse(String(r.evidence)) as unknown } : r,
      );
      const key = tables.layout(name).definition.key;
      expect(canon(py[name]!.rows, key)).toEqual(canon(want, key));
    }
  });

  it('reads every evidence blob back from S3 verified against its hash, chunked ones included', async () => {
    for (const e of sample.evidence) {
      const bytes = await evidence.get(e.hash);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(e.hash);
      expect(bytes.length).toBe(e.size_bytes);
    }
    const large = sample.evidence.find((e) => (e.size_bytes ?? 0) > CHUNK)!;
    const map = await s3.send(
      new GetObjectCommand({
        Bucket: BUCKET,
        Key: `evidence/sha256/${large.hash.slice(0, 2)}/${large.hash}.map.json`,
      }),
    );
    const chunks = (JSON.parse(await map.Body!.transformToString()) as { chunks: { hash: string }[] }).chunks;
    expect(chunks.length).toBeGreaterThan(1);
    // Corrupt one chunk in the bucket: reading the blob is then an error, never wrong bytes.
    const victim = chunks[1]!.hash;
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `evidence/sha256/${victim.slice(0, 2)}/${victim}`,
        Body: 'tampered',
      }),
    );
    const failure = await evidence.get(large.hash).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSegError(failure)).toBe(true);
    expect(String((failure as Error).message)).toMatch(/corrupt/);
  });

  it('seals evidence URIs under a KMS master key that a fresh store opens, and another key cannot', async () => {
    const kms = new KMSClient(motoClientConfig(moto));
    try {
      const keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
      const otherArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
      // Tables of their own namespace, so the run above stays as pyiceberg read it.
      const kmsTables = new LakehouseTables({ catalog, io, namespace: 'seg_kms' });
      const writer = new IcebergFindingStore({
        tables: kmsTables,
        keys: new KmsKeyProvider({ client: kms, keyId: keyArn }),
      });
      await writer.commit(sample.findings, sample.evidence, sample.context);
      const stored = await kmsTables.table('evidence').scan({ columns: ['uri'] });
      expect(stored).toHaveLength(sample.evidence.length);
      for (const { uri } of stored) {
        expect(UriSealer.isSealed(String(uri))).toBe(true);
        expect(String(uri)).toContain(encodeURIComponent(keyArn));
      }
      const reader = new IcebergFindingStore({
        tables: kmsTables,
        keys: new KmsKeyProvider({ client: kms, keyId: keyArn }),
      });
      expect((await reader.runFindings(ORG, RUN_ID)).map((f) => f.finding)).toEqual(sample.findings);
      const stranger = new IcebergFindingStore({
        tables: kmsTables,
        keys: new KmsKeyProvider({ client: kms, keyId: otherArn }),
      });
      await expect(stranger.runFindings(ORG, RUN_ID)).rejects.toMatchObject({
        error_code: 'SEG_INVALID_ARGUMENT',
      });
    } finally {
      kms.destroy();
    }
  });
});
