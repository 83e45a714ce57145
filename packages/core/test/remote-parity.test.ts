import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '@neurocipher/seg-attest';
import {
  bundleVectors,
  DirectoryBundleSource,
  Evaluator,
  mergeBundleData,
  OpaServerEngine,
  readBundleDirectory,
  parseManifest,
  runVectors,
  WasmEngine,
  wasmEntrypoints,
  type AssetDocument,
} from '../src/index.ts';
import {
  buildOpaSignedBundle,
  buildWasmInto,
  bundlesRoot,
  newKey,
  opa,
  signDir,
  signedCopy,
  tempRoot,
  type TestKey,
} from './helpers.ts';
import { freePort } from '@neurocipher/seg-ports/testing';

async function waitHealthy(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`opa exited ${child.exitCode}: ${log()}`);
    try {
      const res = await fetch(`${url}/health?bundles`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`opa did not become healthy: ${log()}`);
}

/** Starts `opa run --server` on a free loopback port with a signed bundle and its verification key. */
async function startOpa(
  bundle: string,
  publicKeyFile: string,
): Promise<{ url: string; child: ChildProcess; log: () => string }> {
  const port = await freePort();
  const child = spawn(
    opa,
    [
      'run',
      '--server',
      '--addr',
      `127.0.0.1:${port}`,
      '--bundle',
      bundle,
      '--verification-key',
      publicKeyFile,
      '--signing-alg',
      'EdDSA',
      '--log-level',
      'error',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child, () => output);
  return { url, child, log: () => output };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

// Every bundle in the repository with a manifest; wasm is rebuilt from the sources so the test needs no committed build.
const bundles = ['seg-custom', 'cis-aws-foundations'].filter((b) =>
  existsSync(join(bundlesRoot, b, 'manifest.json')),
);

describe('remote mode (opa run --server via @styra/opa)', () => {
  let root: ReturnType<typeof tempRoot>;
  let key: TestKey;
  const servers = new Map<string, { url: string; child: ChildProcess }>();

  beforeAll(async () => {
    root = tempRoot();
    key = newKey();
    const pub = join(root.path, 'pub.pem');
    writeFileSync(pub, key.publicPem);
    for (const name of bundles) {
      const dir = await signedCopy(name, join(root.path, 'bundles'), key);
      await buildWasmInto(dir);
      await signDir(dir, key);
      const tarball = join(root.path, `${name}.tar.gz`);
      await buildOpaSignedBundle(dir, key, tarball);
      servers.set(name, await startOpa(tarball, pub));
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...servers.values()].map((s) => stop(s.child)));
    root.dispose();
  });

  it('fails the call, rather than blaming the controls, when the server cannot be reached', async () => {
    const evaluator = new Evaluator({
      bundleSource: new DirectoryBundleSource({ root: join(root.path, 'bundles') }),
      trustedKeys: [key.trusted],
      bundles: [{ id: 'seg-custom', version: '1.0.0' }],
      engine: { kind: 'opa-server', url: `http://127.0.0.1:${await freePort()}` },
    });
    const urn = 'urn:asset:aws:bucket:b1';
    const doc = {
      asset: {
        ref: { urn },
        kind: 'bucket',
        provider: 'aws' as const,
        name: 'b1',
        properties: {},
        discovered_at: '2026-01-01T00:00:00Z',
      },
      config: {
        asset: { urn },
        captured_at: '2026-01-01T00:00:00Z',
        schema_version: '1.0.0',
        body: { region: 'eu-west-1' },
      },
    };
    await expect(
      evaluator.evaluateDocuments(
        { scope: { org_id: 'acme', tags: {} }, control_ids: ['seg-bucket-approved-region'] },
        [doc],
        {
          now: '2026-06-01T00:00:00Z',
        },
      ),
    ).rejects.toMatchObject({ error_code: 'SEG_ADAPTER_UNAVAILABLE' });
    await evaluator.close();
  });

  it('refuses to serve the bundle with a key that did not sign it', async () => {
    const other = newKey();
    const pub = join(root.path, 'other.pem');
    writeFileSync(pub, other.publicPem);
    await expect(startOpa(join(root.path, 'seg-custom.tar.gz'), pub)).rejects.toThrow(
      /invalid EdDSA signature|verify/,
    );
  });

  it.each(bundles)('gives the same result as the wasm engine on every vector of %s', async (name) => {
    const files = await readBundleDirectory(join(root.path, 'bundles', name));
    const manifest = parseManifest(files.get('manifest.json')!);
    const vectors = bundleVectors(files);
    const wasm = await WasmEngine.create({
      wasm: files.get('build/policy.wasm')!,
      dataJson: JSON.stringify(mergeBundleData(files)),
      workers: 0,
    });
    const remote = new OpaServerEngine({
      url: servers.get(name)!.url,
      entrypoints: wasmEntrypoints(manifest),
    });
    const viaWasm = await runVectors(manifest, vectors, wasm);
    const viaOpa = await runVectors(manifest, vectors, remote);
    expect(viaOpa.length).toBeGreaterThanOrEqual(manifest.controls.length * 3);
    expect(viaOpa.map((o) => [o.control_id, o.name, o.ok, o.problem])).toEqual(
      viaWasm.map((o) => [o.control_id, o.name, true, undefined]),
    );
    // Same values (key order aside: OPA sorts object keys, wasm keeps insertion order).
    expect(viaOpa.map((o) => canonicalJson(o.actual))).toEqual(viaWasm.map((o) => canonicalJson(o.actual)));
    await wasm.close();
  });

  it.each(bundles)(
    'produces byte-identical findings through the Evaluator in both modes for %s',
    async (name) => {
      const docs: AssetDocument[] = [];
      const files = await readBundleDirectory(join(root.path, 'bundles', name));
      for (const file of bundleVectors(files).values()) {
        file.vectors.forEach((v, i) => {
          const input = v.input as { asset?: { kind?: unknown; provider?: 'aws' }; config?: unknown };
          // Vectors with a malformed asset or config exercise the policy, not the engine's input shape.
          if (typeof input.asset?.kind !== 'string' || typeof input.asset.provider !== 'string') return;
          if (input.config === null || typeof input.config !== 'object' || Array.isArray(input.config))
            return;
          const urn = `urn:asset:${input.asset.provider}:${input.asset.kind as string}:${file.control_id}-${i}`;
          docs.push({
            asset: {
              ref: { urn },
              kind: input.asset.kind as string,
              provider: input.asset.provider,
              name: `v${i}`,
              properties: {},
              discovered_at: '2026-01-01T00:00:00Z',
            },
            config: {
              asset: { urn },
              captured_at: '2026-01-01T00:00:00Z',
              schema_version: '1.0.0',
              body: input.config as Record<string, unknown>,
            },
          });
        });
      }
      const manifest = parseManifest(files.get('manifest.json')!);
      const common = {
        bundleSource: new DirectoryBundleSource({ root: join(root.path, 'bundles') }),
        trustedKeys: [key.trusted],
        bundles: [{ id: manifest.id, version: manifest.version }],
      };
      const request = { scope: { org_id: 'acme', tags: {} }, control_ids: manifest_ids(files) };
      const options = { now: '2026-06-01T00:00:00Z', run_id: '4f5c8a52-8a2e-4a57-9d49-7d3c0b1d1c01' };
      const wasm = new Evaluator({ ...common, engine: { kind: 'wasm', workers: 0 } });
      const remote = new Evaluator({
        ...common,
        engine: { kind: 'opa-server', url: servers.get(name)!.url },
      });
      const a = await wasm.evaluateDocuments(request, docs, options);
      const b = await remote.evaluateDocuments(request, docs, options);
      expect(a.findings.length).toBeGreaterThan(10);
      expect(JSON.stringify(b.findings)).toBe(JSON.stringify(a.findings));
      await wasm.close();
      await remote.close();
    },
  );
});

function manifest_ids(files: ReadonlyMap<string, Uint8Array>): string[] {
  return parseManifest(files.get('manifest.json')!).controls.map((c) => c.id);
}
