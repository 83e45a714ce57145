import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DirectoryBundleSource, parseTrustedKeys, readVerifiedBundle } from '../src/index.ts';
import { bundlesRoot, repoRoot } from './helpers.ts';

// The bundles committed to the repository verify against the committed development trusted keys.
const trustedKeys = parseTrustedKeys(readFileSync(join(repoRoot, 'tools/bundle/trusted-keys.json'), 'utf8'));
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
});
