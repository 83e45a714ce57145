import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bundle = join(here, '../../bundles/cis-aws-foundations');

/** Runs one of the bundle-content scripts under the current Node and returns its exit status and output. */
function script(name: string, ...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(here, name), ...args], { encoding: 'utf8', env: process.env });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A scratch copy of the bundle's sources that a test may break. */
function scratchBundle(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seg-bundle-content-'));
  for (const part of ['policies', 'data', 'tests', 'manifest.json'])
    cpSync(join(bundle, part), join(dir, part), { recursive: true });
  return dir;
}

describe('cis-aws-foundations sources', () => {
  it('has the opa CLI the scripts need', () => {
    expect(process.env.SEG_OPA).toBeTruthy();
  });

  it('has vector files equal to what write-vectors.ts generates', () => {
    const r = script('write-vectors.ts', '--check');
    expect(r.out).toContain('checked 25 vector files');
    expect(r.status).toBe(0);
  });

  it('has a manifest equal to what gen-manifest.ts generates from METADATA', () => {
    const r = script('gen-manifest.ts', bundle, '--check');
    expect(r.out).toContain('matches the METADATA of 25 controls');
    expect(r.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as {
      id: string;
      controls: Array<{ id: string; entrypoint: string; frameworks: Record<string, string> }>;
    };
    expect(manifest.id).toBe('cis-aws-foundations');
    expect(manifest.controls).toHaveLength(25);
    for (const c of manifest.controls) {
      expect(c.entrypoint).toBe(`seg/controls/${c.id.replaceAll('-', '_')}/result`);
      expect(Object.keys(c.frameworks).length).toBeGreaterThan(0);
    }
  });

  it('proves the date arithmetic vectors with opa eval and opa-wasm', () => {
    const r = script('check-vectors.ts', bundle, '--only', 'cis-iam-access-key-rotation', '--wasm');
    expect(r.out).toContain('ok: 18 vectors of 1 controls agree with opa eval and opa-wasm');
    expect(r.status).toBe(0);
  });
});

describe('the bundle-content checks fail when they should', () => {
  it('gen-manifest rejects a control without remediation guidance', () => {
    const dir = scratchBundle();
    try {
      const file = join(dir, 'policies/cis_rds_not_public.rego');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('#   remediation_guidance:', '#   remediation_notes:'),
      );
      const r = script('gen-manifest.ts', dir);
      expect(r.status).toBe(1);
      expect(r.out).toContain('cis_rds_not_public.rego: custom.remediation_guidance is required');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gen-manifest --check rejects a hand-edited manifest', () => {
    const dir = scratchBundle();
    try {
      const path = join(dir, 'manifest.json');
      writeFileSync(path, readFileSync(path, 'utf8').replace('"severity": "critical"', '"severity": "low"'));
      const r = script('gen-manifest.ts', dir, '--check');
      expect(r.status).toBe(1);
      expect(r.out).toContain('is stale');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('check-vectors reports a vector whose expected result is wrong', () => {
    const dir = scratchBundle();
    try {
      const path = join(dir, 'tests/cis-rds-not-public.json');
      const doc = JSON.parse(readFileSync(path, 'utf8')) as {
        vectors: Array<{ expected: { result: string } }>;
      };
      doc.vectors[0]!.expected.result = 'fail';
      writeFileSync(path, JSON.stringify(doc));
      const r = script('check-vectors.ts', dir, '--only', 'cis-rds-not-public');
      expect(r.status).toBe(1);
      expect(r.out).toContain('cis-rds-not-public / pass: private instance: expected fail, got pass');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
