// Writes the deterministic demo tenant as a snapshot file:
//   node --conditions=@neurocipher/source tools/demo/generate.ts [--assets N] [--seed S] [--out PATH]
// Defaults: 10,000 assets, seed `seg-demo`, .seg/demo/tenant.ndjson. Same arguments, same bytes.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';

const { values } = parseArgs({
  options: {
    assets: { type: 'string', default: '10000' },
    seed: { type: 'string', default: 'seg-demo' },
    out: { type: 'string', default: '.seg/demo/tenant.ndjson' },
  },
});
const assets = Number(values.assets);
const out = resolve(values.out);
const started = performance.now();
const count = await writeSnapshotFile(out, generateDemoTenant({ assets, seed: values.seed }));
const seconds = ((performance.now() - started) / 1000).toFixed(2);
process.stdout.write(`demo tenant: ${count} assets written to ${out} in ${seconds} s\n`);
