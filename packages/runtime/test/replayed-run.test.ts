// A redelivered run in a new process (a new engine on the same home): its commit is a replay, and it
// keeps the run as first committed and the attestation already recorded, verified against the run row
// the lakehouse holds; nothing is signed or recorded twice.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import { runAttestations } from '@neurocipher/seg-lakehouse';
import { parseSegConfig } from '../src/config/seg-config.ts';
import { createEngine } from '../src/engine/create-engine.ts';
import { LakehouseId } from '../src/ids.ts';

const repo = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'seg-replayed-run-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a redelivered run', () => {
  it('keeps the committed run and its one attestation', async () => {
    const snapshot = join(work, 'acme.ndjson');
    await writeSnapshotFile(snapshot, generateDemoTenant({ assets: 40 }));
    const config = parseSegConfig(
      {
        tenant: 'acme',
        home: join(work, 'home'),
        bundles_dir: join(repo, 'bundles'),
        trusted_keys: join(repo, 'tools', 'bundle', 'trusted-keys.json'),
      },
      { cwd: work },
    );
    const run_id = '3a7c9e1b-5d2f-4a6c-8e0b-1c3d5e7f9a2b';
    const attempt = async () => {
      const engine = await createEngine(config, { provider: { kind: 'snapshot', path: snapshot } });
      try {
        const request = await engine.scanRequest({ now: '2026-12-04T00:00:00Z' });
        const outcome = await (await engine.runService()).run({ ...request, run_id });
        const lake = await engine.get(LakehouseId);
        return { outcome, recorded: await runAttestations(lake.tables, run_id, 'acme') };
      } finally {
        await engine.close();
      }
    };
    const first = await attempt();
    const again = await attempt();
    expect(first.outcome.commit?.replayed).toBe(false);
    expect(again.outcome.commit?.replayed).toBe(true);
    expect(again.outcome.run).toEqual(first.outcome.run);
    expect(again.outcome.attestation?.attestation.id).toBe(first.outcome.attestation?.attestation.id);
    expect(again.outcome.attestation?.verify.valid).toBe(true);
    expect(again.recorded.map((a) => a.id)).toEqual([first.outcome.attestation!.attestation.id]);
  }, 120_000);
});
