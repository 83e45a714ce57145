import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DirectoryBundleSource, Evaluator, parseTrustedKeys, readVerifiedBundle } from '../src/index.ts';
import { bundlesRoot, repoRoot } from './helpers.ts';

// The bundles committed to the repository verify against the committed development trusted keys.
const trustedKeys = parseTrustedKeys(readFileSync(join(repoRoot, 'tools/bundle/trusted-keys.json'), 'utf8'));
// The kinds of the normalized-config registry (packages/contracts/src/normalized/index.ts). Read from the
// source because the contracts barrel does not export the registry yet.
const knownKinds = [
  ...readFileSync(join(repoRoot, 'packages/contracts/src/normalized/index.ts'), 'utf8').matchAll(
    /kind: '([a-z0-9-]+)'/g,
  ),
].map((m) => m[1]!);
const committed = ['seg-custom', 'cis-aws-foundations'].filter((b) =>
  existsSync(join(bundlesRoot, b, 'SIGNATURE')),
);

describe('committed bundles', () => {
  it('include seg-custom', () => {
    expect(committed).toContain('seg-custom');
  });

  it.each(committed)('%s verifies against tools/bundle/trusted-keys.json', async (name) => {
    const manifest = JSON.parse(readFileSync(join(bundlesRoot, name, 'manifest.json'), 'utf8'));
    const source = new DirectoryBundleSource({ root: bundlesRoot });
    const bundle = await readVerifiedBundle(
      source,
      { id: manifest.id, version: manifest.version },
      trustedKeys,
    );
    expect(bundle.verified.manifest.id).toBe(name);
    expect(bundle.controls.size).toBe(manifest.controls.length);
  });

  it.each(committed)('every control of %s validates (bundle, entrypoint, inputs, vectors)', async (name) => {
    const manifest = JSON.parse(readFileSync(join(bundlesRoot, name, 'manifest.json'), 'utf8'));
    const evaluator = new Evaluator({
      bundleSource: new DirectoryBundleSource({ root: bundlesRoot }),
      trustedKeys,
      bundles: [{ id: manifest.id, version: manifest.version }],
      engine: { kind: 'wasm', workers: 0 },
      knownKinds,
    });
    expect(knownKinds).toContain('bucket');
    for (const c of manifest.controls) {
      const report = await evaluator.validate_control({
        id: c.id,
        version: c.version,
        title: c.title,
        benchmark: c.benchmark,
        description: c.description ?? '',
        inputs: {},
        target_kinds: c.target_kinds,
        policy_bundle: manifest.id,
        severity: c.severity,
      });
      expect({ id: c.id, failed: report.checks.filter((k) => !k.ok) }).toEqual({ id: c.id, failed: [] });
    }
    await evaluator.close();
  });
});
