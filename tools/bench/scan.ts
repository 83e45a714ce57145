// `npm run bench:scan`: the demo tenant scaled to 100,000 assets, end to end through `seg scan`: inventory
// from the snapshot, evaluation with the signed CIS bundle, commit to a fresh embedded lakehouse, and the
// signed, published and verified attestation. Generation is outside the timed part. The last line is one
// JSON object: {"assets", "wall_s", "peak_rss_mb"}. Options: --assets N (default 100000).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CAPTURED_AT, generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import { runCli } from '@neurocipher/seg-cli';

const { values } = parseArgs({ options: { assets: { type: 'string', default: '100000' } } });
const assets = Number(values.assets);
const root = resolve(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'seg-bench-scan-'));
try {
  const tenant = join(work, 'tenant.ndjson');
  await writeSnapshotFile(tenant, generateDemoTenant({ assets, seed: 'seg-demo' }));
  const env = {
    ...process.env,
    SEG_HOME: join(work, '.seg'),
    SEG_CATALOG: `sqlite:${join(work, '.seg/catalog.db')}`,
    SEG_WAREHOUSE: `file:${join(work, '.seg/warehouse')}`,
    SEG_BLOBS: `file:${join(work, '.seg/blobs')}`,
    SEG_SIGNING_KEY: join(work, '.seg/keys/attest-ed25519.pem'),
    SEG_MASTER_KEY: join(work, '.seg/keys/master.key'),
  };
  const started = performance.now();
  const code = await runCli(
    ['scan', '--provider', 'snapshot', '--snapshot', tenant, '--now', DEMO_CAPTURED_AT, '--no-progress'],
    { stdout: process.stdout, stderr: process.stderr, env, cwd: root },
  );
  const wall = (performance.now() - started) / 1000;
  if (code !== 0) process.exit(code);
  // maxRSS is in KiB: the peak resident set of this whole process (generation included).
  const peak = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({ assets, wall_s: Number(wall.toFixed(2)), peak_rss_mb: Math.round(peak) }) + '\n',
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
