import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
// Interop: our envelopes verified by tools we did not write. Python securesystemslib (the test
// venv, $SEG_PYTHON) checks both the Ed25519 and the ML-DSA-65 signature; `openssl pkeyutl
// -verify` checks the Ed25519 signature over the PAE bytes. Neither is optional: a missing tool
// fails the suite with the command that was tried.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RUN } from './support/fixtures.ts';
import { decodeBase64, encodeBase64 } from '../src/encoding/base64.ts';
import { preAuthEncoding } from '../src/dsse/pae.ts';
import {
  IN_TOTO_PAYLOAD_TYPE,
  signEnvelope,
  serializeEnvelope,
  type DsseEnvelope,
} from '../src/dsse/envelope.ts';
import { Ed25519Signer } from '../src/keys/ed25519.ts';
import { MlDsa65Signer } from '../src/keys/ml-dsa.ts';
import { evaluationStatement, statementBytes } from '../src/statement/statement.ts';

const run = promisify(execFile);
const here = new URL('.', import.meta.url).pathname;
const python = process.env.SEG_PYTHON ?? join(here, '../../../.tools/venv/bin/python');

async function exec(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(cmd, args);
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number')
      throw new Error(`could not run ${cmd}: ${String(e.code)} (run tools/bootstrap)`);
    return { code: e.code, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('interop with independent verifiers', () => {
  const ed = Ed25519Signer.generate();
  const pq = MlDsa65Signer.generate();
  let dir: string;
  let envelope: DsseEnvelope;

  beforeAll(async () => {
    if (!existsSync(python))
      throw new Error(`securesystemslib venv missing at ${python}: run tools/bootstrap`);
    dir = await mkdtemp(join(tmpdir(), 'seg-interop-'));
    envelope = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytes(evaluationStatement(RUN)), [ed, pq]);
    await writeFile(join(dir, 'ed.pub'), ed.publicKeyPem());
    await writeFile(join(dir, 'pq.pub'), pq.publicKeyPem());
    await writeFile(join(dir, 'envelope.json'), serializeEnvelope(envelope));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const tampered = async (name: string, edit: (env: DsseEnvelope) => DsseEnvelope): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, serializeEnvelope(edit(structuredClone(envelope))));
    return path;
  };

  describe('Python securesystemslib', () => {
    it('verifies the Ed25519 and the ML-DSA-65 signature, and computes our keyids', async () => {
      const { code, out } = await exec(python, [
        join(here, 'verify_sslib.py'),
        join(dir, 'envelope.json'),
        join(dir, 'ed.pub'),
        join(dir, 'pq.pub'),
      ]);
      expect(out).toContain(`KEYID ed25519 ed25519 ${ed.keyid}`);
      expect(out).toContain(`KEYID ml-dsa ml-dsa-65/1 ${pq.keyid}`);
      expect(out).toContain('OK https://neurocipher.io/seg/attestation/evaluation-run/v1');
      expect(code).toBe(0);
    });

    it('rejects a flipped payload byte and a signature under another key', async () => {
      const flipped = await tampered('flipped.json', (env) => {
        const bytes = decodeBase64(env.payload)!;
        bytes[3] = (bytes[3] as number) ^ 1;
        return { ...env, payload: encodeBase64(bytes) };
      });
      const a = await exec(python, [join(here, 'verify_sslib.py'), flipped, join(dir, 'ed.pub')]);
      expect(a.out).toContain('FAIL');
      expect(a.code).toBe(1);
      const other = Ed25519Signer.generate();
      await writeFile(join(dir, 'other.pub'), other.publicKeyPem());
      const b = await exec(python, [
        join(here, 'verify_sslib.py'),
        join(dir, 'envelope.json'),
        join(dir, 'other.pub'),
      ]);
      expect(b.code).toBe(1);
    });
  });

  describe('openssl pkeyutl', () => {
    const verify = async (pae: Uint8Array, sig: string): Promise<{ code: number; out: string }> => {
      await writeFile(join(dir, 'pae.bin'), pae);
      await writeFile(join(dir, 'sig.bin'), decodeBase64(sig)!);
      return exec('openssl', [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        join(dir, 'ed.pub'),
        '-rawin',
        '-in',
        join(dir, 'pae.bin'),
        '-sigfile',
        join(dir, 'sig.bin'),
      ]);
    };

    it('verifies the Ed25519 signature over the PAE bytes', async () => {
      const pae = preAuthEncoding(envelope.payloadType, decodeBase64(envelope.payload)!);
      const { code, out } = await verify(pae, envelope.signatures[0]!.sig);
      expect(out).toContain('Signature Verified Successfully');
      expect(code).toBe(0);
    });

    it('rejects the signature over a changed payloadType or a flipped payload byte', async () => {
      const body = decodeBase64(envelope.payload)!;
      expect(
        (await verify(preAuthEncoding('application/json', body), envelope.signatures[0]!.sig)).code,
      ).not.toBe(0);
      const flipped = body.slice();
      flipped[0] = (flipped[0] as number) ^ 1;
      expect(
        (await verify(preAuthEncoding(envelope.payloadType, flipped), envelope.signatures[0]!.sig)).code,
      ).not.toBe(0);
    });
  });
});
