// The README's embedding example, run exactly as written: its code block is written to a file inside this
// package (so that its import resolves as an embedder's would), run in its own Node process from a folder
// holding the inventory, and the envelope it signed is verified with the public key it left.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import { attestedRun, verifyEnvelopeText } from '@neurocipher/seg-attest';

const here = import.meta.dirname;
const repo = join(here, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'seg-embed-'));
const script = join(here, '..', 'test-output', `readme-example-${process.pid}.ts`);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(script, { force: true });
});

function readmeExample(): string {
  const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
  const block = /## Embedding[^\n]*\n+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error('README has no embedding example');
  return block;
}

describe('the README embedding example', () => {
  it('builds the engine from its own settings and runs one attested scan', async () => {
    const example = readmeExample();
    expect(example.split('\n').filter((l) => l.trim() !== '').length).toBeLessThanOrEqual(16);
    mkdirSync(join(here, '..', 'test-output'), { recursive: true });
    writeFileSync(script, example);
    await writeSnapshotFile(join(work, 'inventory', 'acme.ndjson'), generateDemoTenant({ assets: 40 }));
    const settings = {
      home: join(work, 'home'),
      bundles_dir: join(repo, 'bundles'),
      trusted_keys: join(repo, 'tools', 'bundle', 'trusted-keys.json'),
    };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@neurocipher/source', '--disable-warning=ExperimentalWarning', script],
      { cwd: work, env: { ...process.env, ACME_SEG_SETTINGS: JSON.stringify(settings) }, timeout: 240_000 },
    );
    const m = /^run ([0-9a-f-]{36}): (\d+) failing, attestation (\S+)\n$/.exec(stdout);
    expect(m).not.toBeNull();
    expect(Number(m?.[2])).toBeGreaterThan(0);
    const [envelopeFile, ...others] = readdirSync(join(work, 'home', 'attestations'));
    expect(others).toEqual([]);
    const verified = await verifyEnvelopeText(
      readFileSync(join(work, 'home', 'attestations', envelopeFile!)),
      [readFileSync(join(work, 'home', 'keys', 'attest-ed25519.pub'), 'utf8')],
    );
    expect(attestedRun(verified.statement)).toMatchObject({ run_id: m?.[1], org_id: 'acme' });
    // Nothing lands outside the configured home.
    expect(readdirSync(work).sort()).toEqual(['home', 'inventory']);
  }, 300_000);
});
