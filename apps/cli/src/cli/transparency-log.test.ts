import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { DEMO_CAPTURED_AT, generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import {
  Ed25519Signer,
  TransparencyLog,
  noteSigner,
  verifyCheckpoint,
  verifyLogEntry,
} from '@neurocipher/seg-attest';
import { LOCAL_LOG_ORIGIN, localLogLocation } from '@neurocipher/seg-runtime';
import { runSeg } from '../testing/run-seg.ts';

const repo = resolve(import.meta.dirname, '..', '..', '..', '..');
const dirs: string[] = [];
const tempHome = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'seg-tlog-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs `seg` in its own Node process (apps/cli/bin/seg.js), sharing only the files under `cwd`. */
function segProcess(cwd: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(repo, 'apps', 'cli', 'bin', 'seg.js'), ...argv],
      { cwd, env: { ...process.env }, timeout: 540_000 },
      (error, out, err) => done({ code: error ? Number(error.code ?? 2) : 0, out, err }),
    );
  });
}

describe('the embedded transparency log under concurrent writers', () => {
  it('gives many log instances appending at once to one local store distinct entries and a full checkpoint', async () => {
    const home = tempHome();
    const key = Ed25519Signer.generate();
    const { store, prefix, origin } = localLogLocation(home, key.publicKey);
    // Separate instances: each sees the store as a separate process would.
    const writers = Array.from(
      { length: 12 },
      () =>
        new TransparencyLog({
          store,
          prefix,
          origin,
          signer: noteSigner(origin, key),
          base_url: 'https://seg.local/tlog',
        }),
    );
    const envelopes = writers.flatMap((_, w) =>
      [0, 1].map((i) => new TextEncoder().encode(`envelope ${w}.${i}`)),
    );
    const results = await Promise.all(
      writers.flatMap((log, w) => [0, 1].map((i) => log.append(envelopes[w * 2 + i]!))),
    );
    expect(new Set(results.map((r) => r.index)).size).toBe(24);
    expect(readdirSync(join(home, 'tlog/tlog/entries'))).toHaveLength(24);
    const head = verifyCheckpoint(
      readFileSync(join(home, 'tlog/tlog/checkpoint'), 'utf8'),
      origin,
      key.publicKey,
    );
    expect(head?.size).toBe(24);
    const location = localLogLocation(home, key.publicKey);
    for (const [i, envelope] of envelopes.entries()) {
      expect(await verifyLogEntry(location, envelope)).toEqual({ index: results[i]!.index, tree_size: 24 });
    }
  });

  it('gives 16 concurrent seg scan processes on one home 16 envelopes, 16 distinct entries and a checkpoint of 16', async () => {
    const home = tempHome();
    writeFileSync(
      join(home, 'seg.config.json'),
      JSON.stringify({
        bundles_dir: join(repo, 'bundles'),
        trusted_keys: join(repo, 'tools/bundle/trusted-keys.json'),
      }),
    );
    const tenant = join(home, 'tenant.ndjson');
    await writeSnapshotFile(tenant, generateDemoTenant({ assets: 6 }));
    // A new home: the first uses of the signing key, the tables and the log all race.
    const scan = [
      'scan',
      '--provider',
      'snapshot',
      '--snapshot',
      tenant,
      '--now',
      DEMO_CAPTURED_AT,
      '--no-progress',
    ];
    const scans = await Promise.all(Array.from({ length: 16 }, () => segProcess(home, scan)));
    for (const s of scans) {
      expect(s.err).toBe('');
      expect(s.code).toBe(0);
    }
    const uris = scans.map((s) => /^transparency log: (.+)$/m.exec(s.out)?.[1]);
    const entries = uris.map((u) => /\/entries\/(\d+)$/.exec(u ?? '')?.[1]);
    expect(entries.every((e) => e !== undefined)).toBe(true);
    expect(new Set(entries).size).toBe(16);
    expect(readdirSync(join(home, '.seg/attestations'))).toHaveLength(16);
    expect(readdirSync(join(home, '.seg/tlog/tlog/entries'))).toHaveLength(16);
    const checkpoint = readFileSync(join(home, '.seg/tlog/tlog/checkpoint'), 'utf8');
    expect(checkpoint.startsWith(`${LOCAL_LOG_ORIGIN}\n16\n`)).toBe(true);
    // Every envelope is in the entry it was told, under the one signing key, covered by the checkpoint.
    for (const [i, s] of scans.entries()) {
      const envelope = /^attestation: (.+)$/m.exec(s.out)?.[1] as string;
      const verified = await runSeg(home, [
        'attest',
        'verify',
        envelope,
        '--key',
        '.seg/keys/attest-ed25519.pub',
      ]);
      expect(verified.out).toContain(`log entry: ${entries[i]} (tree size 16, inclusion verified)\n`);
      expect(verified.code).toBe(0);
    }
  }, 600_000);
});
