// npm run bench:eval [-- --bundle bundles/<id>] [--assets 100000] [--batch 200] [--workers auto|N] [--engine-only]
// (--engine-only stops after the Evaluator measurements: no native OPA side and no JSON line.)
// Evaluation benchmark (docs/benchmarks.md § bench:eval): a synthetic tenant over every control of a
// bundle, through the real Evaluator (wasm, worker pool), and the same batches through native OPA
// (`opa run --server`, its own timers). Not part of the test suite. Last line: one JSON object.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { canonicalJson } from '@neurocipher/seg-attest';
import {
  bundleVectors,
  DirectoryBundleSource,
  Evaluator,
  mergeBundleData,
  opaSourceTree,
  parseManifest,
  readBundleDirectory,
  renderChecksums,
  signChecksums,
  trustedKeyFrom,
  WasmPolicy,
  AGGREGATE_ENTRYPOINT,
  type AssetDocument,
  type BundleManifest,
} from '@neurocipher/seg-core';
import type { Asset } from '@neurocipher/seg-contracts';
import { freePort } from '@neurocipher/seg-ports/testing';

const repo = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const defaultBundle = existsSync(join(repo, 'bundles/cis-aws-foundations/build/policy.wasm'))
  ? 'bundles/cis-aws-foundations'
  : 'bundles/seg-custom';
const bundleDir = resolve(repo, arg('--bundle', defaultBundle));
const ASSETS = Number(arg('--assets', '100000'));
const BATCH = Number(arg('--batch', '200'));
/** Worker threads of the Evaluator: `auto` (every core) or a number (0 = the calling thread only). */
const WORKERS = arg('--workers', 'auto');
const NOW = '2026-06-01T00:00:00Z';
const opa = process.env.SEG_OPA ?? join(repo, '.tools/bin/opa');

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}
const ms = (ns: bigint | number): number => Number(ns) / 1e6;
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

/** The tenant: ASSETS assets round-robin over the bundle's kinds, configs drawn from the vectors' inputs. */
function syntheticTenant(manifest: BundleManifest, files: ReadonlyMap<string, Uint8Array>): AssetDocument[] {
  const templates = new Map<
    string,
    Array<{ provider: Asset['provider']; config: Record<string, unknown> }>
  >();
  for (const file of bundleVectors(files).values()) {
    for (const v of file.vectors) {
      const input = v.input as { asset?: { kind?: unknown; provider?: unknown }; config?: unknown };
      const kind = input.asset?.kind;
      const control = manifest.controls.find((c) => c.id === file.control_id)!;
      if (typeof kind !== 'string' || !control.target_kinds.includes(kind)) continue;
      if (input.config === null || typeof input.config !== 'object' || Array.isArray(input.config)) continue;
      const list = templates.get(kind) ?? [];
      list.push({
        provider: (input.asset?.provider as Asset['provider']) ?? 'aws',
        config: input.config as Record<string, unknown>,
      });
      templates.set(kind, list);
    }
  }
  const kinds = [...templates.keys()].sort();
  const out: AssetDocument[] = [];
  for (let i = 0; i < ASSETS; i++) {
    const kind = kinds[i % kinds.length]!;
    const list = templates.get(kind)!;
    const t = list[Math.floor(i / kinds.length) % list.length]!;
    const urn = `urn:asset:${t.provider}:${kind}:synthetic-${String(i).padStart(6, '0')}`;
    out.push({
      asset: {
        ref: { urn },
        kind,
        provider: t.provider,
        name: `synthetic-${i}`,
        properties: { env: i % 2 ? 'prod' : 'dev' },
        discovered_at: NOW,
      },
      config: { asset: { urn }, captured_at: NOW, schema_version: '1.0.0', body: t.config },
    });
  }
  return out;
}

async function startOpa(stage: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    opa,
    ['run', '--server', '--addr', `127.0.0.1:${port}`, '--log-level', 'error', '-b', stage],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/health?bundles`)).ok) return { url, child };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('opa server did not start');
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'seg-bench-eval-'));
  let server: { url: string; child: ChildProcess } | undefined;
  try {
    // A signed copy of the bundle (ephemeral key): the Evaluator only ever loads verified bundles.
    const name = bundleDir.split('/').pop()!;
    const copy = join(work, 'bundles', name);
    mkdirSync(dirname(copy), { recursive: true });
    cpSync(bundleDir, copy, { recursive: true });
    for (const f of ['CHECKSUMS', 'SIGNATURE', 'project.json']) rmSync(join(copy, f), { force: true });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const checksums = renderChecksums(await readBundleDirectory(copy));
    writeFileSync(join(copy, 'CHECKSUMS'), checksums);
    writeFileSync(
      join(copy, 'SIGNATURE'),
      signChecksums(
        new TextEncoder().encode(checksums),
        privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      ),
    );
    const files = await readBundleDirectory(copy);
    const manifest = parseManifest(files.get('manifest.json')!);
    const controlIds = manifest.controls.map((c) => c.id).sort();

    const t0 = performance.now();
    const docs = syntheticTenant(manifest, files);
    console.log(
      `bench:eval: bundle ${manifest.id}@${manifest.version} (${controlIds.length} controls), ${docs.length} assets over ${new Set(docs.map((d) => d.asset.kind)).size} kinds, generated in ${round(performance.now() - t0, 0)} ms`,
    );
    console.log(
      `bench:eval: machine ${cpus()[0]?.model ?? '?'} × ${availableParallelism()}, ${round(totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}`,
    );

    const evaluator = new Evaluator({
      bundleSource: new DirectoryBundleSource({ root: join(work, 'bundles') }),
      trustedKeys: [trustedKeyFrom(publicKey.export({ type: 'spki', format: 'pem' }).toString())],
      bundles: [{ id: manifest.id, version: manifest.version }],
      engine: { kind: 'wasm', workers: WORKERS === 'auto' ? 'auto' : Number(WORKERS) },
      batchSize: BATCH,
    });
    const request = { scope: { org_id: 'bench', tags: {} }, control_ids: controlIds };
    await evaluator.evaluateDocuments(request, docs.slice(0, 5000), { now: NOW }); // warm-up: load, pool start, JIT

    // 1. End to end: every control over the whole tenant, one call (batches through the worker pool).
    const t1 = performance.now();
    const full = await evaluator.evaluateDocuments(request, docs, { now: NOW });
    const wallMs = performance.now() - t1;
    const evals = full.findings.length;
    const evalsPerS = evals / (wallMs / 1000);
    console.log(
      `bench:eval: wasm end-to-end: ${evals} asset-control evaluations in ${round(wallMs, 0)} ms = ${round(evalsPerS, 0)} evals/s; counts ${JSON.stringify(full.run.counts)}`,
    );

    // 2. Per control over the whole tenant (SLO-1): each control alone over the assets of its kinds.
    const perControl: number[] = [];
    for (const control of manifest.controls) {
      const mine = docs.filter((d) => control.target_kinds.includes(d.asset.kind));
      const t = performance.now();
      await evaluator.evaluateDocuments({ ...request, control_ids: [control.id] }, mine, { now: NOW });
      perControl.push(performance.now() - t);
    }
    perControl.sort((a, b) => a - b);
    const [p50, p95, p99] = [0.5, 0.95, 0.99].map((q) => round(quantile(perControl, q)));
    console.log(
      `bench:eval: per control over the whole tenant (${perControl.length} controls): p50 ${p50} ms, p95 ${p95} ms, p99 ${p99} ms, max ${round(perControl.at(-1) ?? 0)} ms`,
    );
    await evaluator.close();

    if (args.includes('--engine-only')) return;
    // 3. Like for like, single thread each: the same aggregator query on the same batch inputs.
    const params = Object.fromEntries(
      manifest.controls.map((c) => [
        c.id,
        full.run.controls.includes(c.id) ? (c.default_inputs ?? defaults(c.inputs)) : {},
      ]),
    );
    const sorted = [...docs].sort((a, b) => (a.asset.ref.urn < b.asset.ref.urn ? -1 : 1));
    const items = sorted
      .map((d) => {
        const controls = manifest.controls
          .filter((c) => c.target_kinds.includes(d.asset.kind))
          .map((c) => c.id)
          .sort();
        return controls.length === 0
          ? null
          : {
              n: controls.length,
              controls,
              json: JSON.stringify({
                asset: {
                  ref: d.asset.ref,
                  kind: d.asset.kind,
                  provider: d.asset.provider,
                  name: d.asset.name,
                  properties: d.asset.properties,
                },
                config: d.config.body,
                controls,
              }),
            };
      })
      .filter((x) => x !== null);
    const prefix = `{"now":${JSON.stringify(NOW)},"params":${JSON.stringify(params)},"items":[`;
    const batches: Array<{ text: string; pairs: number }> = [];
    for (let i = 0; i < items.length; i += BATCH) {
      const slice = items.slice(i, i + BATCH);
      const byControl: Record<string, number[]> = {};
      slice.forEach((x, j) => {
        for (const c of x.controls) (byControl[c] ??= []).push(j);
      });
      batches.push({
        text: `${prefix}${slice.map((x) => x.json).join(',')}],"by_control":${JSON.stringify(byControl)}}`,
        pairs: slice.reduce((a, x) => a + x.n, 0),
      });
    }
    const pairs = batches.reduce((a, b) => a + b.pairs, 0);

    const policy = await WasmPolicy.create(
      files.get('build/policy.wasm')!,
      JSON.stringify(mergeBundleData(files)),
    );
    const encoder = new TextEncoder();
    for (const b of batches.slice(0, 3)) policy.evaluate(AGGREGATE_ENTRYPOINT, encoder.encode(b.text));
    let wasmNs = 0n;
    const wasmResults: unknown[] = [];
    batches.forEach((b, i) => {
      const start = process.hrtime.bigint();
      const r = policy.evaluate(AGGREGATE_ENTRYPOINT, encoder.encode(b.text));
      wasmNs += process.hrtime.bigint() - start;
      if (i % 10 === 0) wasmResults.push(r);
    });
    const wasmEngineEvalsPerS = pairs / (Number(wasmNs) / 1e9);

    const stage = join(work, 'stage');
    for (const [path, bytes] of opaSourceTree(manifest, files)) {
      mkdirSync(dirname(join(stage, path)), { recursive: true });
      writeFileSync(join(stage, path), bytes);
    }
    server = await startOpa(stage);
    const post = async (text: string): Promise<{ result: unknown; metrics: Record<string, number> }> => {
      const res = await fetch(`${server!.url}/v1/data/seg/aggregate/results?metrics=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"input":${text}}`,
      });
      return (await res.json()) as { result: unknown; metrics: Record<string, number> };
    };
    for (const b of batches.slice(0, 3)) await post(b.text);
    let opaNs = 0;
    let mismatches = 0;
    for (const [i, b] of batches.entries()) {
      const { result, metrics } = await post(b.text);
      opaNs += (metrics.timer_rego_input_parse_ns ?? 0) + (metrics.timer_rego_query_eval_ns ?? 0);
      if (i % 10 === 0 && canonicalJson(result) !== canonicalJson(wasmResults[i / 10])) mismatches++;
    }
    const opaEvalsPerS = pairs / (opaNs / 1e9);
    const ratio = wasmEngineEvalsPerS / opaEvalsPerS;
    console.log(
      `bench:eval: like for like, one thread each, ${batches.length} batches of ${BATCH} assets, ${pairs} evaluations:`,
    );
    console.log(
      `bench:eval:   wasm (opa-wasm in Node: input copy+parse, eval, result dump+parse): ${round(ms(wasmNs), 0)} ms = ${round(wasmEngineEvalsPerS, 0)} evals/s`,
    );
    console.log(
      `bench:eval:   native OPA (opa run --server, timer_rego_input_parse_ns + timer_rego_query_eval_ns): ${round(opaNs / 1e6, 0)} ms = ${round(opaEvalsPerS, 0)} evals/s`,
    );
    console.log(
      `bench:eval:   ratio wasm/native ${round(ratio, 3)}; results compared on ${wasmResults.length} batches: ${mismatches} mismatches`,
    );
    if (mismatches > 0) throw new Error('wasm and native OPA disagree');

    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    console.log(
      JSON.stringify({
        evals_per_s: round(evalsPerS, 0),
        p95_control_ms: p95,
        opa_native_evals_per_s: round(opaEvalsPerS, 0),
        ratio_vs_opa: round(ratio, 3),
        peak_rss_mb: round(peakRssMb, 1),
      }),
    );
  } finally {
    if (server) {
      const child = server.child;
      await new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill('SIGTERM');
      });
    }
    rmSync(work, { recursive: true, force: true });
  }
}

function defaults(schema: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((schema?.properties ?? {}) as Record<string, { default?: unknown }>))
    if (v && 'default' in v) out[k] = v.default;
  return out;
}

await main();
