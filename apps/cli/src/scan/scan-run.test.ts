import { sha256Hex } from '@neurocipher/seg-ports';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_CAPTURED_AT, generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import { decodePayload, parseEnvelope, parseSubjectName, runSummaryBytes } from '@neurocipher/seg-attest';
import type { InTotoStatement } from '@neurocipher/seg-attest';
import { EVIDENCE_INDEX_MEDIA_TYPE, EVIDENCE_INDEX_TYPE } from '@neurocipher/seg-core';
import { RUN_ID_SUMMARY_KEY, openEmbeddedLakehouse } from '@neurocipher/seg-lakehouse';
import type { EmbeddedLakehouse } from '@neurocipher/seg-lakehouse';
import { runSeg } from '../testing/run-seg.ts';

const repo = resolve(import.meta.dirname, '..', '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'seg-scan-run-'));
const sha256 = (bytes: Uint8Array): string => sha256Hex(bytes);
// The stored bytes of a blob, read without the store's own code: a loose file `sha256/<2>/<hash>`, or the
// slice of a pack that its index (`packs/<id>.idx.json`: [hash, offset, length, media type]) names.
function storedBytes(hash: string): Buffer {
  const loose = join(dir, '.seg/blobs/sha256', hash.slice(0, 2), hash);
  if (existsSync(loose)) return readFileSync(loose);
  const packs = join(dir, '.seg/blobs/packs');
  for (const name of readdirSync(packs).filter((n) => n.endsWith('.idx.json'))) {
    const { entries } = JSON.parse(readFileSync(join(packs, name), 'utf8')) as {
      entries: [string, number, number, string][];
    };
    const entry = entries.find(([h]) => h === hash);
    if (entry)
      return readFileSync(join(packs, name.replace(/\.idx\.json$/, '.pack'))).subarray(
        entry[1],
        entry[1] + entry[2],
      );
  }
  throw new Error(`blob ${hash} is not stored`);
}

const seg = (...argv: string[]) => runSeg(dir, argv);

// One committed, attested scan of a 300-asset demo tenant, read back from the embedded lakehouse.
describe('seg scan (RunService composed over the embedded lakehouse)', () => {
  let out = '';
  let runId = '';
  let lake: EmbeddedLakehouse;
  let statement: InTotoStatement<{ evidence: Array<{ sha256: string; media_type?: string }> }>;

  beforeAll(async () => {
    writeFileSync(
      join(dir, 'seg.config.json'),
      JSON.stringify({
        bundles_dir: join(repo, 'bundles'),
        trusted_keys: join(repo, 'tools/bundle/trusted-keys.json'),
      }),
    );
    const tenant = join(dir, 'tenant.ndjson');
    await writeSnapshotFile(tenant, generateDemoTenant({ assets: 300 }));
    const scan = await seg('scan', '--provider', 'snapshot', '--snapshot', tenant, '--now', DEMO_CAPTURED_AT);
    expect(scan.code).toBe(0);
    out = scan.out;
    runId = /^run: (\S+)/m.exec(out)?.[1] as string;
    // Progress goes to stderr, one line per phase when it is not a terminal.
    expect(scan.err.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^inventoried: 300 assets in \d+\.\d s$/),
      expect.stringMatching(/^evaluated: 300 assets in \d+\.\d s$/),
      expect.stringMatching(/^committed: 300 assets in \d+\.\d s$/),
    ]);
    const envelope = /^attestation: (.+)$/m.exec(out)?.[1] as string;
    statement = JSON.parse(
      new TextDecoder().decode(decodePayload(parseEnvelope(readFileSync(envelope, 'utf8')))),
    ) as typeof statement;
    lake = openEmbeddedLakehouse({ root: join(dir, '.seg') });
  });

  afterAll(async () => {
    await lake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores every committed evidence pointer as a blob whose bytes hash to it', async () => {
    const findings = await lake.store.findings({ run_id: runId });
    expect(findings.length).toBeGreaterThan(600);
    const pointers = findings.flatMap((f) => f.finding.evidence);
    expect(pointers.length).toBeGreaterThan(findings.length / 2);
    for (const pointer of pointers) expect(sha256(storedBytes(pointer.hash))).toBe(pointer.hash);
    // The evidence table holds one row per cited blob plus the run's evidence index.
    const rows = await lake.tables.table('evidence').scan({ filter: (r) => r.run_id === runId });
    expect(rows).toHaveLength(new Set(pointers.map((p) => p.hash)).size + 1);
    expect(rows.filter((r) => r.media_type === EVIDENCE_INDEX_MEDIA_TYPE)).toHaveLength(1);
  });

  it('attests the summary, the bundle, each table commit and the evidence index', async () => {
    const subjects = statement.subject.map((s) => ({
      ref: parseSubjectName(s.name),
      sha256: s.digest.sha256,
    }));
    // The summary: the run committed to the runs table.
    const summary = subjects.find((s) => s.ref.kind === 'run_summary');
    expect(summary?.ref).toEqual({ kind: 'run_summary', run_id: runId });
    const runRow = (await lake.tables.table('runs').scan({ filter: (r) => r.run_id === runId }))[0];
    expect(runRow).toBeDefined();
    expect((statement.predicate as unknown as { run: { counts: unknown } }).run.counts).toEqual(
      JSON.parse(String(runRow!.counts)),
    );
    expect(summary?.sha256).toBe(
      sha256(
        runSummaryBytes(
          (statement.predicate as unknown as { run: Parameters<typeof runSummaryBytes>[0] }).run,
        ),
      ),
    );

    // Every table the run committed: its snapshot's manifest list and metadata file, hashed from the warehouse.
    for (const table of ['evidence', 'findings', 'assets', 'controls', 'runs'] as const) {
      const loaded = await lake.tables.table(table).load();
      const snapshot = loaded.metadata.snapshots.find((s) => s.summary[RUN_ID_SUMMARY_KEY] === runId)!;
      expect(snapshot).toBeDefined();
      const files = subjects.filter(
        (s) =>
          s.ref.kind === 'data_file' &&
          s.ref.table === table &&
          s.ref.snapshot_id === String(snapshot['snapshot-id']),
      );
      expect(files.map((f) => (f.ref as { path: string }).path)).toContain(
        snapshot['manifest-list'].slice(loaded.metadata.location.length + 1),
      );
      for (const file of files) {
        const path = `${loaded.metadata.location}/${(file.ref as { path: string }).path}`;
        expect(sha256(readFileSync(new URL(path)))).toBe(file.sha256);
      }
    }

    // The evidence index: one subject, a stored blob listing exactly the hashes the findings cite.
    const evidence = subjects.filter((s) => s.ref.kind === 'evidence');
    expect(evidence).toHaveLength(1);
    expect(statement.predicate.evidence).toEqual([
      { sha256: evidence[0]!.sha256, media_type: EVIDENCE_INDEX_MEDIA_TYPE },
    ]);
    const indexBytes = storedBytes(evidence[0]!.sha256!);
    expect(sha256(indexBytes)).toBe(evidence[0]!.sha256);
    const index = JSON.parse(indexBytes.toString('utf8')) as {
      type: string;
      run_id: string;
      evidence: string[];
    };
    const cited = (await lake.store.findings({ run_id: runId })).flatMap((f) =>
      f.finding.evidence.map((p) => p.hash),
    );
    expect(index).toEqual({ type: EVIDENCE_INDEX_TYPE, run_id: runId, evidence: [...new Set(cited)].sort() });

    // The bundle, pinned by the digest of its CHECKSUMS.
    const bundles = (
      statement.predicate as unknown as { policy_bundles: Array<{ id: string; digest: { sha256: string } }> }
    ).policy_bundles;
    expect(bundles).toEqual([
      expect.objectContaining({
        id: 'cis-aws-foundations',
        digest: { sha256: sha256(readFileSync(join(repo, 'bundles/cis-aws-foundations/CHECKSUMS'))) },
      }),
    ]);
  });

  it('prints the lines other tools need, and seg attest verify accepts the envelope', async () => {
    const envelope = /^attestation: (.+)$/m.exec(out)?.[1] as string;
    const key = /^public key: (.+)$/m.exec(out)?.[1] as string;
    expect(out).toMatch(/^catalog: sqlite:.*catalog\.db$/m);
    expect(out).toMatch(/^transparency log: https:\/\/seg\.local\/tlog\/entries\/0$/m);
    const verified = await seg('attest', 'verify', envelope, '--key', key);
    expect(verified.code).toBe(0);
    expect(verified.out).toContain(`subjects: ${statement.subject.length}`);
    // One summary, one evidence index, and per table of the five: its manifest list, its manifest, at
    // least one data file and its metadata file.
    const files = statement.subject.filter((s) => parseSubjectName(s.name).kind === 'data_file');
    expect(statement.subject).toHaveLength(files.length + 2);
    for (const table of ['evidence', 'findings', 'assets', 'controls', 'runs']) {
      const mine = files.filter((s) => s.name.startsWith(`seg/tables/${table}/`)).map((s) => s.name);
      expect(mine.filter((n) => /\/metadata\/snap-[^/]+\.avro$/.test(n))).toHaveLength(1);
      expect(mine.filter((n) => /\/metadata\/[^/]+-m0\.avro$/.test(n))).toHaveLength(1);
      expect(mine.filter((n) => /\/metadata\/[^/]+\.metadata\.json$/.test(n))).toHaveLength(1);
      expect(mine.filter((n) => /\/data\/.+\.parquet$/.test(n)).length).toBeGreaterThan(0);
    }
  });
});
