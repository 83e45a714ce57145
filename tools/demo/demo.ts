// `npm run demo`: the whole product on a laptop, no servers, no cloud account. Generates the deterministic
// 10,000-asset demo tenant, scans it with the signed CIS AWS Foundations bundle through the snapshot
// adapter, commits to the embedded lakehouse under ./.seg/, signs + publishes + verifies the run's
// attestation, writes the HTML report and prints the summary (with `catalog:`, `attestation:` and
// `public key:` lines for other tools).
import { resolve } from 'node:path';
import { DEMO_CAPTURED_AT, generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import { runCli } from '@neurocipher/seg-cli';
import type { CliIo } from '@neurocipher/seg-cli';

const root = resolve(import.meta.dirname, '..', '..');
const tenant = resolve(root, '.seg/demo/tenant.ndjson');
const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: root };

const count = await writeSnapshotFile(tenant, generateDemoTenant({ assets: 10_000, seed: 'seg-demo' }));
process.stdout.write(`demo tenant: ${count} AWS-shaped assets in ${tenant}\n\n`);

// --now pins policy time and config time to the tenant's capture: every demo run has the same findings.
const scan = await runCli(
  [
    'scan',
    '--provider',
    'snapshot',
    '--snapshot',
    tenant,
    '--bundle',
    'cis-aws-foundations',
    '--now',
    DEMO_CAPTURED_AT,
  ],
  io,
);
if (scan !== 0) process.exit(scan);
const report = await runCli(['report', '--html'], io);
if (report !== 0) process.exit(report);
process.stdout.write(
  '\nopen the report in a browser (path above); list findings with `npx seg findings`; ' +
    'check the attestation with `npx seg attest verify <attestation> --key <public key>`.\n',
);
