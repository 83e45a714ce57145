// `npm run bench:redact`: throughput of core's SecretRedactor over the demo tenant, the way a scan hands it
// data: per chunk of 5,000 assets, one call with the config bodies and one with the assets' names and
// properties. Compared in the same run with a plain walk that copies every value (the floor any
// redactor pays). Last line on stdout: one JSON object. Options: --assets N (default 20000), --rounds N (3).
import { parseArgs } from 'node:util';
import { generateDemoTenant } from '@neurocipher/seg-adapter-snapshot';
import { SecretRedactor } from '@neurocipher/seg-core';

const { values } = parseArgs({
  options: { assets: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '3' } },
});
const records = [...generateDemoTenant({ assets: Number(values.assets) })];
const bodies = records.map((r) => r.configs[0]!.body);
const assets = records.map((r) => ({ name: r.asset.name, properties: r.asset.properties }));
const mb = (Buffer.byteLength(JSON.stringify(bodies)) + Buffer.byteLength(JSON.stringify(assets))) / 1e6;
const CHUNK = 5000;

const copy = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(copy)
    : v !== null && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]))
      : v;

async function time(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const redactS: number[] = [];
const copyS: number[] = [];
let redactions = 0;
for (let round = 0; round < Number(values.rounds); round++) {
  const redactor = new SecretRedactor();
  redactS.push(
    await time(async () => {
      for (let i = 0; i < bodies.length; i += CHUNK) {
        for (const r of await redactor.redact(bodies.slice(i, i + CHUNK))) redactions += r.redactions.length;
        for (const r of await redactor.redact(assets.slice(i, i + CHUNK))) redactions += r.redactions.length;
      }
    }),
  );
  copyS.push(
    await time(async () => {
      for (let i = 0; i < bodies.length; i += CHUNK) {
        bodies.slice(i, i + CHUNK).map(copy);
        assets.slice(i, i + CHUNK).map(copy);
      }
      await Promise.resolve();
    }),
  );
}
const r = median(redactS);
const c = median(copyS);
process.stdout.write(
  `${JSON.stringify({
    assets: records.length,
    mb: Number(mb.toFixed(1)),
    redact_s: Number(r.toFixed(2)),
    redact_mb_per_s: Number((mb / r).toFixed(1)),
    copy_s: Number(c.toFixed(2)),
    ratio_vs_copy: Number((r / c).toFixed(1)),
    redactions,
  })}\n`,
);
