// DESIGN.md §4 is enforced by lint. These cases prove the rules bite: each forbidden import is linted as if
// it were written in a real file of the package, through the workspace's own ESLint config.
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  const rules = new Set(['@nx/enforce-module-boundaries', 'no-restricted-imports']);
  return (result?.messages ?? [])
    .filter((m) => m.ruleId !== null && rules.has(m.ruleId))
    .map((m) => m.message);
}

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
});
