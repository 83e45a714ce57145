// DESIGN.md §4 is enforced by lint. These cases prove the rules bite: each forbidden import is linted as if
// it were written in a real file of the package, through the workspace's own ESLint config. The import
// rules need no types, so those files need not exist; the type-aware rules are proven on real files of the
// tools project (tools/lint/fixtures/, which the workspace's lint leaves out).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const root = join(import.meta.dirname, '..', '..');
// The boundary cases lint files that do not exist, which no TypeScript program holds: parse without types.
const eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });
const typed = new ESLint({ cwd: root, ignore: false });
const FIXTURES = join(root, 'tools', 'lint', 'fixtures');

async function boundaryErrors(
  filePath: string,
  code: string,
  rules: ReadonlySet<string> = new Set(['@nx/enforce-module-boundaries', 'no-restricted-imports']),
): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId !== null && rules.has(m.ruleId))
    .map((m) => m.message);
}

const NX_RULE = new Set(['@nx/enforce-module-boundaries']);

describe('module boundaries (DESIGN.md §4)', () => {
  it.each([
    [
      'a core file importing an AWS SDK client',
      'packages/core/src/evil.ts',
      "import { S3Client } from '@aws-sdk/client-s3';\nexport const c = S3Client;\n",
    ],
    [
      'a core file importing an Azure SDK',
      'packages/core/src/evil.ts',
      "import { x } from '@azure/arm-storage';\nexport const c = x;\n",
    ],
    [
      'contracts importing ports',
      'packages/contracts/src/evil.ts',
      "import type { InventoryPort } from '@neurocipher/seg-ports';\nexport type X = InventoryPort;\n",
    ],
    [
      'contracts importing anything but zod',
      'packages/contracts/src/evil.ts',
      "import canonicalize from 'canonicalize';\nexport const c = canonicalize;\n",
    ],
    [
      'ports importing core',
      'packages/ports/src/evil.ts',
      "import { x } from '@neurocipher/seg-core';\nexport const c = x;\n",
    ],
    [
      'the lakehouse importing core',
      'packages/lakehouse/src/evil.ts',
      "import { x } from '@neurocipher/seg-core';\nexport const c = x;\n",
    ],
    [
      'the lakehouse importing a cloud SDK',
      'packages/lakehouse/src/evil.ts',
      "import { S3Client } from '@aws-sdk/client-s3';\nexport const c = S3Client;\n",
    ],
    [
      'a library importing inversify',
      'packages/attest/src/evil.ts',
      "import { Container } from 'inversify';\nexport const c = Container;\n",
    ],
    [
      'an adapter importing inversify',
      'packages/adapter-aws/src/evil.ts',
      "import { Container } from 'inversify';\nexport const c = Container;\n",
    ],
    [
      'a library importing the service fixture (it runs the apps: for tools and e2e projects)',
      'packages/attest/src/evil.ts',
      "import { startServiceFixture } from '@neurocipher/seg-service-fixture';\nexport const c = startServiceFixture;\n",
    ],
  ])('rejects %s', async (_what, file, code) => {
    expect(await boundaryErrors(file, code)).not.toEqual([]);
  });

  it.each([
    [
      'core importing contracts and ports',
      'packages/core/src/fine.ts',
      "import { SegError } from '@neurocipher/seg-contracts';\nimport type { Clock } from '@neurocipher/seg-ports';\nexport const c: Clock | typeof SegError = SegError;\n",
    ],
    [
      'contracts importing zod',
      'packages/contracts/src/fine.ts',
      "import { z } from 'zod';\nexport const c = z.string();\n",
    ],
    [
      'an adapter importing its cloud SDK',
      'packages/adapter-aws/src/fine.ts',
      "import { S3Client } from '@aws-sdk/client-s3';\nexport const c = S3Client;\n",
    ],
    [
      'core importing opa-wasm',
      'packages/core/src/fine.ts',
      "import { loadPolicy } from '@open-policy-agent/opa-wasm';\nexport const c = loadPolicy;\n",
    ],
  ])('allows %s', async (_what, file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });

  // The report formats may depend only on contracts (and ports): no other library, no external package.
  it.each([
    [
      'the reports library importing the lakehouse',
      'packages/reports/src/evil.ts',
      "import { IcebergFindingStore } from '@neurocipher/seg-lakehouse';\nexport const c = IcebergFindingStore;\n",
    ],
    [
      'the reports library importing core',
      'packages/reports/src/evil.ts',
      "import { x } from '@neurocipher/seg-core';\nexport const c = x;\n",
    ],
    [
      'the reports library importing an external package',
      'packages/reports/src/evil.ts',
      "import canonicalize from 'canonicalize';\nexport const c = canonicalize;\n",
    ],
  ])('rejects %s', async (_what, file, code) => {
    expect(await boundaryErrors(file, code)).not.toEqual([]);
  });

  it('allows the reports library importing contracts and ports', async () => {
    const code =
      "import type { Finding } from '@neurocipher/seg-contracts';\nimport type { Clock } from '@neurocipher/seg-ports';\nexport type X = Finding | Clock;\n";
    expect(await boundaryErrors('packages/reports/src/fine.ts', code)).toEqual([]);
  });

  // The runtime: the one composition. It may import every library and inversify, never an app or a cloud
  // SDK; no library may import it. Only the Nx rule (over the project graph) sees library-to-library
  // edges, so these cases check that rule by id: they fail when it skips for want of a graph.
  it.each([
    [
      'the runtime importing an app',
      'packages/runtime/src/evil.ts',
      "import { runCli } from '@neurocipher/seg-cli';\nexport const c = runCli;\n",
    ],
    [
      'core importing the runtime',
      'packages/core/src/evil.ts',
      "import { createEngine } from '@neurocipher/seg-runtime';\nexport const c = createEngine;\n",
    ],
    [
      'the lakehouse importing the runtime',
      'packages/lakehouse/src/evil.ts',
      "import { createEngine } from '@neurocipher/seg-runtime';\nexport const c = createEngine;\n",
    ],
    [
      'an adapter importing the runtime',
      'packages/adapter-aws/src/evil.ts',
      "import { createEngine } from '@neurocipher/seg-runtime';\nexport const c = createEngine;\n",
    ],
  ])('rejects %s (the Nx rule)', async (_what, file, code) => {
    expect(await boundaryErrors(file, code, NX_RULE)).not.toEqual([]);
  });

  it('rejects the runtime importing a cloud SDK', async () => {
    const code = "import { S3Client } from '@aws-sdk/client-s3';\nexport const c = S3Client;\n";
    expect(await boundaryErrors('packages/runtime/src/evil.ts', code)).not.toEqual([]);
  });

  it('rejects the runtime importing the AWS adapter statically (it loads only when the config names it)', async () => {
    const code =
      "import { S3BlobStore } from '@neurocipher/seg-adapter-aws';\nexport const c = S3BlobStore;\n";
    expect(await boundaryErrors('packages/runtime/src/evil.ts', code, NX_RULE)).not.toEqual([]);
  });

  it('allows the runtime importing inversify, core and the lakehouse, and an adapter lazily', async () => {
    const code = [
      "import { Container } from 'inversify';",
      "import { RunService } from '@neurocipher/seg-core';",
      "import { openLakehouse } from '@neurocipher/seg-lakehouse';",
      "export const aws = () => import('@neurocipher/seg-adapter-aws');",
      'export const c = [Container, RunService, openLakehouse];',
      '',
    ].join('\n');
    expect(await boundaryErrors('packages/runtime/src/fine.ts', code)).toEqual([]);
  });

  it('refuses to lint at all when no Nx project graph is cached, instead of skipping the Nx rule', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'seg-no-graph-'));
    try {
      const failed = await promisify(execFile)(
        process.execPath,
        [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), 'packages/runtime/src/index.ts'],
        { cwd: root, env: { ...process.env, NX_WORKSPACE_DATA_DIRECTORY: empty } },
      ).then(
        () => null,
        (error: { code?: number; stderr?: string }) => error,
      );
      expect(failed?.code).toBe(2);
      expect(failed?.stderr).toContain('no Nx project graph is cached');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('type-aware rules', () => {
  // Real files of the tools project (so its program holds them), kept out of the workspace's own lint.
  async function ruleErrors(rule: string, fixture: string): Promise<string[]> {
    const [result] = await typed.lintFiles([join(FIXTURES, fixture)]);
    expect((result?.messages ?? []).filter((m) => m.fatal)).toEqual([]);
    return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message);
  }

  it.each([
    ['a call whose promise nobody handles', 'floating-unhandled.ts', 1],
    ['an awaited call', 'floating-awaited.ts', 0],
    ['a promise marked as ignored', 'floating-voided.ts', 0],
  ])('no-floating-promises: %s', async (_what, fixture, count) => {
    expect(await ruleErrors('@typescript-eslint/no-floating-promises', fixture)).toHaveLength(count);
  });

  it.each([
    ['a switch over a union that leaves a member out', 'switch-missing.ts', 1],
    ['a default that hides a missing member', 'switch-default.ts', 1],
    ['a switch naming every member', 'switch-complete.ts', 0],
  ])('switch-exhaustiveness-check: %s', async (_what, fixture, count) => {
    expect(await ruleErrors('@typescript-eslint/switch-exhaustiveness-check', fixture)).toHaveLength(count);
  });
});
