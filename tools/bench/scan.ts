// `npm run bench:scan`: the demo tenant scaled to 100,000 assets, end to end through `seg scan`: inventory
// from the snapshot, evaluation with the signed CIS bundle (each chunk's evidence stored as blobs), commit
// to a fresh embedded lakehouse, and the signed, published and verified attestation. The tenant is
// generated first, streamed to a file by a child process (tools/demo/generate.ts), so neither its time nor
// its memory is counted. stderr gets one line per phase of the scan; the last line on stdout is one JSON
// object: {"assets", "wall_s", "peak_rss_mb"}. Options: --assets N (default 100000).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CAPTURED_AT } from '@neurocipher/seg-adapter-snapshot';
import { runCli } from '@neurocipher/seg-cli';

const { values } = parseArgs({ options: { assets: { type: 'string', default: '100000' } } });
const assets = Number(values.assets);
const root = resolve(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'seg-bench-scan-'));
try {
  const tenant = join(work, 'tenant.ndjson');
  execFileSync(
    process.execPath,
    [
      '--conditions=@neurocipher/source',
      join(root, 'tools/demo/generate.ts'),
      '--assets',
      String(assets),
      '--out',
      tenant,
    ],
    { stdio: ['ignore', process.stderr, process.stderr] },
  );
  const env = {
    ...process.env,
    SEG_HOME: join(work, '.seg'),
    SEG_CATALOG: `sqlite:${join(work, '.seg/catalog.db')}`,
    SEG_WAREHOUSE: `file:${join(work, '.seg/warehouse')}`,
    SEG_BLOBS: `file:${join(work, '.seg/blobs')}`,
    SEG_SIGNING_KEY: join(work, '.seg/keys/attest-ed25519.pem'),
    SEG_MASTER_KEY: join(work, '.seg/keys/master.key'),
  };
  // The summary goes to stderr with the phase lines; stdout keeps only the result line.
  const started = performance.now();
  const code = await runCli(
    ['scan', '--provider', 'snapshot', '--snapshot', tenant, '--now', DEMO_CAPTURED_AT],
    {
      stdout: process.stderr,
      stderr: process.stderr,
      env,
      cwd: root,
    },
  );
  const wall = (performance.now() - started) / 1000;
  if (code !== 0) process.exit(code);
  // maxRSS is in KiB: the peak resident set of this process, which ran nothing but the scan.
  const peak = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({ assets, wall_s: Number(wall.toFixed(2)), peak_rss_mb: Math.round(peak) }) + '\n',
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
