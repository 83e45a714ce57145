import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
// Runs the commands of docs/attestations.md, exactly as written, against an envelope we sign here:
// the third-party instructions stay true. Blocks that start with `# (setup)` (installs) or
// `# (example)` (needs files the reader has) are not run, and `# (data)` (the data checker, which needs a
// real scan's lakehouse) is run by apps/cli/src/commands/verify.command.test.ts; `python` is the test
// venv's (securesystemslib).
import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import type { SignerPort } from '@neurocipher/seg-ports';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { RUN } from './support/fixtures.ts';
import { decodeBase64, encodeBase64 } from '../src/encoding/base64.ts';
import { IN_TOTO_PAYLOAD_TYPE, serializeEnvelope, signEnvelope } from '../src/dsse/envelope.ts';
import { Ed25519Signer } from '../src/keys/ed25519.ts';
import { MlDsa65Signer } from '../src/keys/ml-dsa.ts';
import { evaluationStatement, statementBytes } from '../src/statement/statement.ts';

const here = new URL('.', import.meta.url).pathname;
const python = process.env.SEG_PYTHON ?? join(here, '../../../.tools/venv/bin/python');

async function bash(script: string, cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
      cwd,
      env: { ...process.env, PATH: `${dirname(python)}:${process.env.PATH ?? ''}` },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('docs/attestations.md commands', () => {
  let blocks: string[];
  let ecdsaBlock: string;
  let dir: string;
  const ed = Ed25519Signer.generate();
  const pq = MlDsa65Signer.generate();

  beforeAll(async () => {
    for (const tool of ['jq', 'openssl']) {
      if ((await bash(`command -v ${tool}`, tmpdir())).code !== 0)
        throw new Error(`${tool} is required by the documented commands`);
    }
    if (!existsSync(python))
      throw new Error(`securesystemslib venv missing at ${python}: run tools/bootstrap`);
    const doc = await readFile(join(here, '../../../docs/attestations.md'), 'utf8');
    blocks = [...doc.matchAll(/```bash\n([\s\S]*?)```/g)]
      .map((m) => m[1] as string)
      .filter((b) => !['# (setup)', '# (example)', '# (data)'].some((tag) => b.startsWith(tag)));
    ecdsaBlock = blocks.find((b) => b.startsWith('# (ecdsa)'))!;
    blocks = blocks.filter((b) => b !== ecdsaBlock);
    dir = await mkdtemp(join(tmpdir(), 'seg-docs-'));
    const envelope = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytes(evaluationStatement(RUN)), [
      ed,
      pq,
    ]);
    await writeFile(join(dir, 'envelope.json'), serializeEnvelope(envelope));
    await writeFile(join(dir, 'seg-signing.pub'), ed.publicKeyPem());
    await writeFile(join(dir, 'seg-signing-mldsa.pub'), pq.publicKeyPem());
    const bytes = decodeBase64(envelope.payload)!;
    bytes[10] = (bytes[10] as number) ^ 1;
    await writeFile(
      join(dir, 'tampered.json'),
      serializeEnvelope({ ...envelope, payload: encodeBase64(bytes) }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has the securesystemslib, PAE, Ed25519, statement, summary and ECDSA blocks', () => {
    expect(blocks).toHaveLength(5);
    expect(ecdsaBlock).toContain('openssl dgst -sha256 -verify');
  });

  it('securesystemslib block: accepts our envelope (Ed25519, then Ed25519 + ML-DSA-65), rejects a tampered one', async () => {
    const sslib = blocks[0]!;
    const ok = await bash(sslib, dir);
    expect(ok.out).toContain('OK https://neurocipher.io/seg/attestation/evaluation-run/v1');
    expect(ok.out).toContain(`seg/runs/${RUN.run_id}/summary.json`);
    expect(ok.code).toBe(0);
    const both = await bash(
      sslib.replace('seg-signing.pub <<', 'seg-signing.pub seg-signing-mldsa.pub <<'),
      dir,
    );
    expect(both.code).toBe(0);
    const bad = await bash(sslib.replace('python - envelope.json', 'python - tampered.json'), dir);
    expect(bad.out).toContain('VerificationError');
    expect(bad.code).not.toBe(0);
  });

  it('openssl blocks: verify the PAE signature and print the statement, reject a tampered envelope', async () => {
    const [, pae, verify, read] = blocks as [string, string, string, string];
    const ok = await bash(pae + verify, dir);
    expect(ok.out).toContain('Signature Verified Successfully');
    expect(ok.code).toBe(0);
    const statement = await bash(read, dir);
    expect(statement.out.split('\n')[0]).toBe('https://neurocipher.io/seg/attestation/evaluation-run/v1');
    const bad = await bash(pae.replaceAll('envelope.json', 'tampered.json') + verify, dir);
    expect(bad.code).not.toBe(0);
  });

  it('summary block: the predicate run hashes to the summary subject digest', async () => {
    const [, pae, , , summary] = blocks as [string, string, string, string, string];
    const { code, out } = await bash(pae + summary, dir);
    const [computed, pinned] = out.trim().split('\n');
    expect(computed).toMatch(/^[0-9a-f]{64}$/);
    expect(computed).toBe(pinned);
    expect(code).toBe(0);
  });

  it('ECDSA block: verifies a P-256 (KMS-style) signature over the rebuilt PAE, rejects a tampered one', async () => {
    const ecdsaDir = await mkdtemp(join(tmpdir(), 'seg-docs-ecdsa-'));
    try {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const signer: SignerPort = {
        keyid: 'kms',
        algorithm: 'ecdsa-p256-sha256',
        public_key: async () => new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
        sign: async (m) => new Uint8Array(nodeSign('sha256', m, { key: privateKey, dsaEncoding: 'der' })),
      };
      const envelope = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytes(evaluationStatement(RUN)), [
        signer,
      ]);
      await writeFile(join(ecdsaDir, 'envelope.json'), serializeEnvelope(envelope));
      await writeFile(join(ecdsaDir, 'seg-signing.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
      const [, pae] = blocks as [string, string];
      const ok = await bash(pae + ecdsaBlock, ecdsaDir);
      expect(ok.out).toContain('Verified OK');
      expect(ok.code).toBe(0);
      const bytes = decodeBase64(envelope.payload)!;
      bytes[10] = (bytes[10] as number) ^ 1;
      await writeFile(
        join(ecdsaDir, 'envelope.json'),
        serializeEnvelope({ ...envelope, payload: encodeBase64(bytes) }),
      );
      expect((await bash(pae + ecdsaBlock, ecdsaDir)).code).not.toBe(0);
    } finally {
      await rm(ecdsaDir, { recursive: true, force: true });
    }
  });
});
