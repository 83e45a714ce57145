// Redaction that a tool we did not write agrees with (issue 12, item 5). A corpus of fake secrets of more
// than 30 kinds is seeded into a snapshot tenant (asset names and properties, config values that finding
// messages and evidence cite, bucket policy conditions) and into moto resources (bucket policy
// conditions and tags, security group names and descriptions, IAM user tags, KMS key descriptions, EC2
// instance tags); both are scanned with `seg scan`, every report format is rendered, and Yelp's
// detect-secrets then runs over everything SEG stored and showed: every blob, every table read back with
// pyiceberg, every output and the captured stdout and stderr of every command. It must find nothing.
//
// detect-secrets' plugins: all of 1.5.0's except HexHighEntropyString. SEG's outputs are full of
// hexadecimal identifiers by design (sha256 content addresses of evidence, fingerprints, digests of
// bundles and table files, UUIDs), which that plugin reports at its limit of 3.0 bits per character;
// none of them is a secret, and hex secrets of known formats (Twilio, Mailchimp) are still found by
// their own plugins. Two kinds of SEG data are rewritten before the scan because they are public by
// design: DSSE envelopes (in `<home>/attestations/`, the transparency log and the attestations table's
// `signature` column) are scanned as their decoded payloads, since a signature is published base64 that
// Base64HighEntropyString flags; `<home>/keys/` (SEG's own signing and master keys) is not output and is
// not scanned. The catalog database and the Parquet and Avro files are scanned as pyiceberg reads them.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import type { SnapshotRecord } from '@neurocipher/seg-adapter-snapshot';
import { seedCisScenario, seedSecretResources, startMotoServer } from '@neurocipher/seg-adapter-aws/testing';
import type { CisSeed, MotoServer } from '@neurocipher/seg-adapter-aws/testing';
import { runSeg } from '../src/testing/run-seg.ts';
import type { SegRun } from '../src/testing/run-seg.ts';
import { secretCorpus } from './secret-corpus.ts';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '..', '..', '..');
const PYTHON = process.env['SEG_PYTHON'] ?? join(repo, '.tools/venv/bin/python');
const DETECT_SECRETS = join(dirname(PYTHON), 'detect-secrets');
const SCANNER = join(import.meta.dirname, 'secret_scan.py');
const NOW = '2026-11-30T00:00:00Z';

const corpus = secretCorpus();
const dir = mkdtempSync(join(tmpdir(), 'seg-redaction-'));
const home = join(dir, 'home');
const saved = { ...process.env };
let moto: MotoServer;
let seed: CisSeed;

/** One detect-secrets finding (it reports a hash of the secret, never the secret). */
interface Hit {
  file: string;
  line: number;
  type: string;
  hash: string;
}

// detect-secrets over every file under `root`, with every plugin but HexHighEntropyString (see above).
async function detectSecrets(root: string): Promise<Hit[]> {
  const { stdout } = await run(
    DETECT_SECRETS,
    ['scan', '--all-files', '--disable-plugin', 'HexHighEntropyString', '.'],
    { cwd: root, maxBuffer: 256 * 1024 * 1024 },
  );
  const report = JSON.parse(stdout) as {
    results: Record<string, { type: string; line_number: number; hashed_secret: string }[]>;
    plugins_used: { name: string }[];
  };
  expect(report.plugins_used.map((p) => p.name)).not.toContain('HexHighEntropyString');
  expect(report.plugins_used.length).toBeGreaterThanOrEqual(25);
  return Object.entries(report.results).flatMap(([file, hits]) =>
    hits.map((h) => ({ file, line: h.line_number, type: h.type, hash: h.hashed_secret })),
  );
}

// The seeded secrets spread over the snapshot tenant: buckets carry them in their name (asset and config,
// so the finding messages quote them), in properties and in a policy condition the evidence cites; other
// kinds in the config fields their controls' messages quote.
function seededTenant(): SnapshotRecord[] {
  // Access key assets are left out: the demo generator names them by their access key id (an identifier
  // kept as listed; the AWS inventory names them by a digest instead).
  const records = [...generateDemoTenant({ assets: 300, seed: 'redaction' })].filter(
    (r) => r.asset.kind !== 'iam-access-key',
  );
  const byKind = (kind: string) => records.filter((r) => r.asset.kind === kind);
  const buckets = byKind('bucket');
  const messageFields: [kind: string, field: string][] = [
    ['security-group', 'group_name'],
    ['rds-instance', 'db_instance_identifier'],
    ['cloudtrail-trail', 'name'],
    ['iam-policy', 'name'],
    ['kms-key', 'description'],
  ];
  corpus.forEach((secret, i) => {
    const bucket = buckets[i % buckets.length]!;
    const body = bucket.configs[0]!.body as Record<string, unknown>;
    bucket.asset.name = `${bucket.asset.name ?? ''} ${secret.value}`;
    bucket.asset.properties[`note_${i}`] = `owner said: ${secret.value}`;
    bucket.asset.properties['db_password'] = `Pw-${i}-${secret.kind.length}x${i * 7919}`;
    body['name'] = `${String(body['name'])}-${secret.value}`;
    const policy = body['policy'] as { statements: { conditions: unknown[] }[] } | null;
    policy?.statements[0]?.conditions.push({
      operator: 'StringEquals',
      key: 'aws:Referer',
      values: [secret.value],
    });
    const [kind, field] = messageFields[i % messageFields.length]!;
    const others = byKind(kind);
    const other = others[i % Math.max(1, others.length)];
    if (other) {
      const config = other.configs[0]!.body as Record<string, unknown>;
      config[field] = `${String(config[field] ?? '')} ${secret.value}`;
      other.asset.name = `${other.asset.name ?? ''} ${secret.value}`;
    }
  });
  return records;
}

const outputs: { name: string; ext: string; result: SegRun }[] = [];
async function seg(
  name: string,
  ext: string,
  argv: string[],
  env: Record<string, string> = {},
): Promise<SegRun> {
  const result = await runSeg(home, argv, env);
  outputs.push({ name, ext, result });
  return result;
}

// Everything SEG stored and showed, gathered under `root` for the scanner.
async function gather(root: string): Promise<void> {
  const seg = join(home, '.seg');
  mkdirSync(root, { recursive: true });
  for (const part of ['blobs', 'attestations', 'tlog']) {
    if (existsSync(join(seg, part))) cpSync(join(seg, part), join(root, part), { recursive: true });
  }
  // Table metadata files (JSON) as written; the data as pyiceberg reads it.
  const warehouse = join(seg, 'warehouse');
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
    );
  for (const file of walk(warehouse).filter((f) => f.endsWith('.metadata.json'))) {
    const to = join(root, 'warehouse', relative(warehouse, file));
    mkdirSync(dirname(to), { recursive: true });
    cpSync(file, to);
  }
  mkdirSync(join(root, 'tables'));
  await run(PYTHON, [SCANNER, 'dump-tables', join(seg, 'catalog.db'), join(root, 'tables')]);
  await run(PYTHON, [SCANNER, 'unwrap-envelopes', root]);
  mkdirSync(join(root, 'outputs'));
  for (const [i, o] of outputs.entries()) {
    writeFileSync(join(root, 'outputs', `${i}-${o.name}.stdout.${o.ext}`), o.result.out);
    writeFileSync(join(root, 'outputs', `${i}-${o.name}.stderr.txt`), o.result.err);
  }
  for (const report of readdirSync(home).filter((f) => f.endsWith('.html')))
    cpSync(join(home, report), join(root, 'outputs', report));
}

beforeAll(async () => {
  mkdirSync(home);
  moto = await startMotoServer({ loadManagedPolicies: true });
  seed = await seedCisScenario(moto);
  await seedSecretResources(
    moto,
    seed,
    corpus.map((c) => c.value),
  );
  process.env['AWS_ACCESS_KEY_ID'] = moto.credentials.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] = moto.credentials.secretAccessKey;
  process.env['AWS_REGION'] = moto.region;
  writeFileSync(
    join(home, 'seg.config.json'),
    JSON.stringify({
      bundles_dir: join(repo, 'bundles'),
      trusted_keys: join(repo, 'tools/bundle/trusted-keys.json'),
      aws: { role_name: 'SegAudit', regions: [moto.region] },
    }),
  );
  await writeSnapshotFile(join(home, 'tenant.ndjson'), seededTenant());
}, 180_000);

afterAll(async () => {
  process.env = saved;
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('redaction, checked by detect-secrets', () => {
  it('detect-secrets finds at least 30 kinds of the seeded secrets in the corpus itself', async () => {
    const root = join(dir, 'corpus');
    mkdirSync(root);
    for (const s of corpus) {
      writeFileSync(join(root, `${s.kind}.txt`), `${s.value}\n`);
      writeFileSync(join(root, `${s.kind}.json`), `${JSON.stringify({ value: s.value }, null, 1)}\n`);
    }
    const hits = await detectSecrets(root);
    const kinds = new Set(hits.map((h) => basename(h.file).replace(/\.(txt|json)$/, '')));
    expect(kinds.size).toBeGreaterThanOrEqual(30);
    expect(new Set(hits.map((h) => h.hash)).size).toBeGreaterThanOrEqual(30);
  }, 120_000);

  it('finds none of them in anything SEG stored or showed after scanning the snapshot and moto', async () => {
    const formats: [string, string][] = [
      ['table', 'txt'],
      ['json', 'json'],
      ['csv', 'csv'],
      ['sarif', 'sarif'],
      ['ocsf', 'json'],
    ];
    const scanned = await seg('scan-snapshot', 'json', [
      'scan',
      '--provider',
      'snapshot',
      '--snapshot',
      'tenant.ndjson',
      '--now',
      NOW,
      '--format',
      'json',
    ]);
    expect(scanned.err).toBe('');
    expect(JSON.parse(scanned.out)).toMatchObject({ findings: expect.any(Array) });
    for (const [format, ext] of formats)
      await seg(`findings-snapshot-${format}`, ext, ['findings', '--format', format]);
    await seg('report-snapshot', 'txt', ['report', '--html', '--out', 'report-snapshot.html']);
    const summary = await seg('scan-snapshot-summary', 'txt', [
      'scan',
      '--provider',
      'snapshot',
      '--snapshot',
      'tenant.ndjson',
      '--now',
      NOW,
      '--no-progress',
    ]);
    expect(summary.err).toBe('');

    const aws = await seg(
      'scan-aws',
      'sarif',
      ['scan', '--provider', 'aws', '--accounts', seed.account_id, '--format', 'sarif'],
      {
        AWS_ENDPOINT_URL: moto.endpoint,
      },
    );
    expect(aws.err).toBe('');
    for (const [format, ext] of formats)
      await seg(`findings-aws-${format}`, ext, ['findings', '--format', format]);
    await seg('report-aws', 'txt', ['report', '--html', '--out', 'report-aws.html']);
    for (const o of outputs) expect([o.name, o.result.code]).not.toEqual([o.name, 2]);

    const root = join(dir, 'stored');
    await gather(root);
    // The scan must have had something to redact: the evidence and the tables are there.
    expect(readdirSync(join(root, 'tables')).map((f) => f.split('.').at(-2))).toEqual(
      expect.arrayContaining(['assets', 'attestations', 'controls', 'evidence', 'findings', 'runs']),
    );
    expect(existsSync(join(root, 'blobs', 'config-history'))).toBe(true);
    // The seeded secrets reached every kind of place, redacted: evidence, raw responses, tables, outputs.
    const grep = async (where: string) =>
      (await run('grep', ['-rlF', '[REDACTED:', where], { cwd: root, maxBuffer: 64 * 1024 * 1024 })).stdout
        .split('\n')
        .filter(Boolean);
    for (const where of ['blobs/packs', 'blobs/sha256', 'outputs']) expect(await grep(where)).not.toEqual([]);
    expect(await grep('tables')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/assets\.jsonl$/),
        expect.stringMatching(/findings\.jsonl$/),
      ]),
    );
    const hits = await detectSecrets(root);
    expect(hits.map((h) => `${h.file}:${h.line} ${h.type}`)).toEqual([]);
  }, 600_000);
});
