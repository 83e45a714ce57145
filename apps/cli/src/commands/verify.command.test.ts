import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_CAPTURED_AT, generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import { decodePayload, parseEnvelope, parseSubjectName } from '@neurocipher/seg-attest';
import type { InTotoStatement } from '@neurocipher/seg-attest';
import { runSeg } from '../testing/run-seg.ts';

const repo = resolve(import.meta.dirname, '..', '..', '..', '..');
const python = process.env.SEG_PYTHON ?? join(repo, '.tools', 'venv', 'bin', 'python');
const run = promisify(execFile);

// Rewrites a findings Parquet file in place with pyarrow, every `fail` made `pass` (field ids kept, so
// every Iceberg reader still reads it); prints how many rows it changed.
const REWRITE = `
import sys, pyarrow.parquet as pq, pyarrow.compute as pc
path = sys.argv[1]
table = pq.read_table(path)
i = table.schema.get_field_index("result")
result = table.column(i)
print(pc.sum(pc.equal(result, "fail")).as_py())
table = table.set_column(i, table.schema.field(i), pc.if_else(pc.equal(result, "fail"), "pass", result))
pq.write_table(table, path)
`;

interface Scan {
  runId: string;
  envelope: string;
  statement: InTotoStatement;
}

function scanOf(out: string): Scan {
  const envelope = /^attestation: (.+)$/m.exec(out)?.[1] as string;
  return {
    runId: /^run: (\S+)/m.exec(out)?.[1] as string,
    envelope,
    statement: JSON.parse(
      new TextDecoder().decode(decodePayload(parseEnvelope(readFileSync(envelope, 'utf8')))),
    ) as InTotoStatement,
  };
}

async function bash(script: string, cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('bash', ['-euo', 'pipefail', '-c', script], {
      cwd,
      env: { ...process.env, PATH: `${join(python, '..')}:${process.env.PATH ?? ''}` },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

// Two committed, attested scans of one small demo tenant in one home, then the ways their data is broken.
describe('seg verify RUN and seg attest verify (one home, two runs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seg-verify-'));
  const seg = (...argv: string[]) => runSeg(dir, argv);
  const key = join(dir, '.seg/keys/attest-ed25519.pub');
  const blobs = join(dir, '.seg/blobs');
  let first: Scan;
  let second: Scan;
  // The documented third-party checker (docs/attestations.md), run exactly as written.
  let recipe: string;
  const runRecipe = async (scan: Scan) => {
    copyFileSync(scan.envelope, join(dir, 'envelope.json'));
    return bash(recipe, dir);
  };

  beforeAll(async () => {
    writeFileSync(
      join(dir, 'seg.config.json'),
      JSON.stringify({
        bundles_dir: join(repo, 'bundles'),
        trusted_keys: join(repo, 'tools/bundle/trusted-keys.json'),
      }),
    );
    const tenant = join(dir, 'tenant.ndjson');
    await writeSnapshotFile(tenant, generateDemoTenant({ assets: 60 }));
    const scans: Scan[] = [];
    for (let i = 0; i < 2; i++) {
      const scan = await seg(
        'scan',
        '--provider',
        'snapshot',
        '--snapshot',
        tenant,
        '--now',
        DEMO_CAPTURED_AT,
      );
      expect(scan.code).toBe(0);
      scans.push(scanOf(scan.out));
    }
    [first, second] = scans as [Scan, Scan];
    copyFileSync(key, join(dir, 'seg-signing.pub'));
    const doc = readFileSync(join(repo, 'docs/attestations.md'), 'utf8');
    recipe = [...doc.matchAll(/```bash\n(# \(data\)\n[\s\S]*?)```/g)].map((m) => m[1] as string)[0] as string;
    expect(recipe).toContain('SqlCatalog');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies a clean run: every table file and evidence blob it covers re-hashes', async () => {
    const ok = await seg('verify', first.runId);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    const files = first.statement.subject.filter((s) => parseSubjectName(s.name).kind === 'data_file');
    expect(ok.out).toContain(`run: ${first.runId} (tenant demo, bundle cis-aws-foundations@`);
    const checked = /^checked: (\d+) table files, (\d+) evidence blobs \((\d+) subjects\)$/m.exec(ok.out);
    expect(Number(checked?.[1])).toBe(files.length);
    expect(Number(checked?.[2])).toBeGreaterThan(20);
    expect(Number(checked?.[3])).toBe(first.statement.subject.length);
    const docs = await runRecipe(first);
    expect(docs.out).toMatch(new RegExp(`^OK ${first.runId} demo `, 'm'));
    expect(docs.out).toMatch(/^VERIFIED: \d+ table files, \d+ evidence blobs$/m);
    expect(docs.code).toBe(0);
  });

  it('says what an envelope attests, refuses it for another run (--run), and checks its log entry', async () => {
    const ok = await seg('attest', 'verify', first.envelope, '--key', key);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`run: ${first.runId}\ntenant: demo\nbundle: cis-aws-foundations@`);
    expect(ok.out).toMatch(/^time: 20\d\d-\d\d-\d\dT/m);
    expect(ok.out).toContain('log entry: 0 (tree size 2, inclusion verified)\n');
    // Run 1's envelope saved under run 2's name: it verifies as run 1's, and --run run2 refuses it.
    const replayed = join(dir, `${second.runId}.intoto.json`);
    copyFileSync(first.envelope, replayed);
    const plain = await seg('attest', 'verify', replayed, '--key', key);
    expect(plain.code).toBe(0);
    expect(plain.out).toContain(`run: ${first.runId}\n`);
    const refused = await seg('attest', 'verify', replayed, '--key', key, '--run', second.runId);
    expect(refused.out).toBe('');
    expect(refused.err).toBe(
      `seg: SEG_ATTEST_VERIFY_FAILED: the envelope attests run ${first.runId}, not run ${second.runId}\n`,
    );
    expect(refused.code).toBe(1);
    expect((await seg('attest', 'verify', second.envelope, '--key', key, '--run', second.runId)).code).toBe(
      0,
    );
  });

  it('fails on a tampered log entry or checkpoint, with a line that says so', async () => {
    const tlog = join(dir, '.seg/tlog/tlog');
    const checkpoint = join(tlog, 'checkpoint');
    const good = readFileSync(checkpoint, 'utf8');
    writeFileSync(checkpoint, good.replace('\n2\n', '\n1\n'));
    const badNote = await seg('attest', 'verify', first.envelope, '--key', key);
    expect(badNote.err).toBe(
      'seg: SEG_ATTEST_VERIFY_FAILED: transparency log: the log checkpoint does not verify (origin seg.local/tlog, the given key)\n',
    );
    expect(badNote.code).toBe(1);
    writeFileSync(checkpoint, good);
    const entry = join(tlog, 'entries/000000000001');
    const saved = readFileSync(entry);
    writeFileSync(entry, Buffer.concat([saved, Buffer.from(' ')]));
    const badEntry = await seg('attest', 'verify', first.envelope, '--key', key);
    expect(badEntry.err).toMatch(
      /^seg: SEG_ATTEST_VERIFY_FAILED: transparency log: the inclusion proof of log entry 0 does not verify against the checkpoint root \(tree size 2\)/,
    );
    expect(badEntry.code).toBe(1);
    expect((await seg('attest', 'verify', second.envelope, '--key', key)).err).toMatch(
      /transparency log: log entry 1 does not hold this envelope/,
    );
    writeFileSync(entry, saved);
    expect((await seg('attest', 'verify', first.envelope, '--key', key)).code).toBe(0);
  });

  it('names a findings Parquet file rewritten with pyarrow (fail made pass); so does the documented checker', async () => {
    const subject = first.statement.subject.find((s) =>
      /^seg\/tables\/findings\/.*\/data\/.*\.parquet$/.test(s.name),
    )!;
    const ref = parseSubjectName(subject.name) as { path: string };
    const warehouse = join(dir, '.seg/warehouse');
    const found = readdirSync(warehouse, { recursive: true, encoding: 'utf8' }).find((p) =>
      p.endsWith(ref.path),
    )!;
    const file = join(warehouse, found);
    const { stdout } = await run(python, ['-c', REWRITE, file]);
    expect(Number(stdout.trim())).toBeGreaterThan(0);
    // The signature still verifies (it covers the statement), but the data does not.
    expect((await seg('attest', 'verify', first.envelope, '--key', key)).code).toBe(0);
    const bad = await seg('verify', first.runId);
    expect(bad.out).toBe('');
    expect(bad.err).toMatch(
      new RegExp(
        `^seg: SEG_ATTEST_VERIFY_FAILED: table file ${subject.name.replace(/[.]/g, '\\.')} differs: its sha256 is [0-9a-f]{64}, the attestation says ${subject.digest.sha256}\\n$`,
      ),
    );
    expect(bad.code).toBe(1);
    expect((await seg('verify', second.runId)).code).toBe(0);
    const docs = await runRecipe(first);
    expect(docs.out).toContain(`MISMATCH ${subject.name}\n`);
    expect(docs.out).not.toContain('Traceback');
    expect(docs.code).not.toBe(0);
  });

  it('names an evidence blob whose byte was flipped, or whose pack or index is gone; the checker prints a line, no traceback', async () => {
    const packs = join(blobs, 'packs');
    const idx = readdirSync(packs).find((n) => n.endsWith('.idx.json'))!;
    const pack = join(packs, idx.replace(/\.idx\.json$/, '.pack'));
    const entries = (
      JSON.parse(readFileSync(join(packs, idx), 'utf8')) as { entries: [string, number, number][] }
    ).entries;
    const [hash, offset] = entries[0]!;
    const saved = readFileSync(pack);
    const flipped = Buffer.from(saved);
    flipped[offset] = (flipped[offset] as number) ^ 1;
    writeFileSync(pack, flipped);
    const bad = await seg('verify', second.runId);
    expect(bad.err).toMatch(
      new RegExp(
        `^seg: SEG_ATTEST_VERIFY_FAILED: evidence blob ${hash} \\(listed by the evidence index [0-9a-f]{64}\\) differs: `,
      ),
    );
    expect(bad.code).toBe(1);
    const flippedDocs = await runRecipe(second);
    expect(flippedDocs.out).toContain(`MISMATCH seg/evidence/sha256/${hash}\n`);
    expect(flippedDocs.code).not.toBe(0);

    writeFileSync(pack, saved);
    renameSync(pack, `${pack}.gone`);
    const gone = await seg('verify', second.runId);
    expect(gone.err).toMatch(
      new RegExp(
        `^seg: SEG_ATTEST_VERIFY_FAILED: evidence blob [0-9a-f]{64}( \\(listed by the evidence index [0-9a-f]{64}\\))? is missing\\n$`,
      ),
    );
    expect(gone.code).toBe(1);
    const goneDocs = await runRecipe(second);
    expect(goneDocs.out).toContain(`MISSING seg/evidence/sha256/${hash}\n`);
    expect(goneDocs.out).not.toContain('Traceback');
    expect(goneDocs.code).not.toBe(0);
    renameSync(`${pack}.gone`, pack);

    renameSync(join(packs, idx), join(packs, `${idx}.gone`));
    expect((await seg('verify', second.runId)).err).toMatch(/ is missing\n$/);
    const noIndex = await runRecipe(second);
    expect(noIndex.out).toContain(`MISSING seg/evidence/sha256/${hash}\n`);
    expect(noIndex.out).not.toContain('Traceback');
    expect(noIndex.code).not.toBe(0);
    renameSync(join(packs, `${idx}.gone`), join(packs, idx));
    expect((await seg('verify', second.runId)).code).toBe(0);
  });

  it('refuses a run without an attestation and a key that did not sign', async () => {
    const none = await seg('verify', '0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(none.err).toBe(
      'seg: SEG_ATTEST_VERIFY_FAILED: run 0f8fad5b-d9cb-469f-a165-70867728950e of tenant demo has no attestation in the attestations table\n',
    );
    expect(none.code).toBe(1);
    const { publicKey } = await import('node:crypto').then((c) => c.generateKeyPairSync('ed25519'));
    writeFileSync(join(dir, 'other.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    const other = await seg('verify', second.runId, '--key', 'other.pub');
    expect(other.err).toMatch(/^seg: SEG_ATTEST_VERIFY_FAILED: /);
    expect(other.code).toBe(1);
    const missing = await seg('verify', second.runId, '--key', 'nope.pub');
    expect(missing.err).toMatch(
      /^seg: SEG_INVALID_ARGUMENT: public key .*nope\.pub cannot be read: no such file or directory \(ENOENT\)\n$/,
    );
    expect(missing.code).toBe(2);
  });
});
