// schemathesis (the bootstrap venv's) against the API's own /openapi.json, with a valid admin token: over
// at least 2,000 generated requests, no 5xx, and no response whose status, content type or body breaks
// the document. The API is `seg serve` (the API and a worker in one process) on a demo snapshot.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';

const repo = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'seg-schemathesis-'));
let serve: ChildProcess;
let base: string;
let token: string;
let err = '';

beforeAll(async () => {
  await writeSnapshotFile(join(work, 'tenant.ndjson'), generateDemoTenant({ assets: 40 }));
  // No rate limit to speak of: the fuzzer sends thousands of requests a minute.
  writeFileSync(join(work, 'seg.config.json'), JSON.stringify({ api: { rate_per_minute: 1_000_000 } }));
  serve = spawn(
    process.execPath,
    [join(repo, 'apps', 'cli', 'bin', 'seg.js'), 'serve', '--port', '0', '--snapshot', 'tenant.ndjson'],
    {
      cwd: work,
      env: {
        ...process.env,
        SEG_CONFIG: join(work, 'seg.config.json'),
        SEG_HOME: join(work, 'home'),
        SEG_TENANT: 'acme',
        SEG_BUNDLES_DIR: join(repo, 'bundles'),
        SEG_TRUSTED_KEYS: join(repo, 'tools', 'bundle', 'trusted-keys.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  serve.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  serve.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const deadline = Date.now() + 90_000;
  while (!/^token: /m.test(out) && Date.now() < deadline && serve.exitCode === null)
    await new Promise((r) => setTimeout(r, 100));
  base = /^listening: (\S+)$/m.exec(out)?.[1] ?? '';
  token = /^token: (\S+)$/m.exec(out)?.[1] ?? '';
  if (!base || !token) throw new Error(`seg serve did not start: ${out}\n${err}`);
  // A committed run, so the routes that read one have something to read.
  const posted = await fetch(`${base}/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'wait=120' },
    body: '{}',
  });
  if (posted.status !== 200) throw new Error(`the first run did not complete: ${posted.status}`);
}, 180_000);

afterAll(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((resolve) => serve.once('exit', resolve));
    serve.kill('SIGTERM');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
});

function schemathesis(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(repo, '.tools', 'venv', 'bin', 'schemathesis'), args, {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_HOOKS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('schemathesis against /openapi.json', () => {
  it('finds no 5xx and no response that breaks the document in 2,000+ generated requests', async () => {
    const { code, out } = await schemathesis([
      'run',
      `${base}/openapi.json`,
      '--header',
      `Authorization: Bearer ${token}`,
      '--checks',
      'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
      '--phases',
      'coverage,fuzzing',
      '--max-examples',
      '200',
      '--seed',
      '1',
      // Python 3.11's hypothesis trips over itself with more than one worker thread.
      '--workers',
      '1',
      '--no-color',
    ]);
    const generated = Number(/(\d+) generated/.exec(out)?.[1] ?? 0);
    if (code !== 0 || generated < 2_000 || process.env['SEG_SCHEMATHESIS_LOG'])
      process.stderr.write(out.slice(-8_000));
    expect(code).toBe(0);
    expect(generated).toBeGreaterThanOrEqual(2_000);
    expect(err).not.toMatch(/at .*\.(ts|js):\d+/);
  }, 900_000);
});
