// `seg serve` as a laptop user runs it: one process, the API and a worker, the in-process queue and the
// embedded lakehouse, a development token. A run asked for with Prefer: wait comes back as its EvalResult.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';

const repo = join(import.meta.dirname, '..', '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'seg-serve-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('seg serve', () => {
  it('serves the API with an in-process worker: a queued run comes back as its EvalResult', async () => {
    await writeSnapshotFile(join(work, 'tenant.ndjson'), generateDemoTenant({ assets: 80 }));
    const child = spawn(
      process.execPath,
      [join(repo, 'apps', 'cli', 'bin', 'seg.js'), 'serve', '--port', '0', '--snapshot', 'tenant.ndjson'],
      {
        cwd: work,
        env: {
          ...process.env,
          SEG_HOME: join(work, 'home'),
          SEG_TENANT: 'acme',
          SEG_BUNDLES_DIR: join(repo, 'bundles'),
          SEG_TRUSTED_KEYS: join(repo, 'tools', 'bundle', 'trusted-keys.json'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!/^token: /m.test(out) && Date.now() < deadline && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
      const base = /^listening: (\S+)$/m.exec(out)?.[1];
      const token = /^token: (\S+)$/m.exec(out)?.[1];
      expect([base, token, err]).toEqual([
        expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        expect.any(String),
        '',
      ]);
      expect(out).toContain('queue: memory');

      expect((await fetch(`${base}/runs`)).status).toBe(401);
      const posted = await fetch(`${base}/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'wait=120' },
        body: '{}',
      });
      expect(posted.status).toBe(200);
      const result = (await posted.json()) as {
        run: { run_id: string; counts: Record<string, number> };
        findings: unknown[];
      };
      expect(result.findings.length).toBe(Object.values(result.run.counts).reduce((a, b) => a + b, 0));
      expect(result.findings.length).toBeGreaterThan(0);
      expect(posted.headers.get('location')).toBe(`/runs/${result.run.run_id}`);
      const shown = await fetch(`${base}/runs/${result.run.run_id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(shown.status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(out).toMatch(/stopped\n$/);
  }, 180_000);
});
