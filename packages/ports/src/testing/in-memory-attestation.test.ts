import { describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import type { AttestationTarget, RunSummary, Scope } from '@neurocipher/seg-contracts';
import { AttestationPortId } from '../attestation/attestation-port.ts';
import type { AttestationPort } from '../attestation/attestation-port.ts';
import type { SignerPort } from '../crypto/signer-port.ts';
import { sha256Hex } from '../digest/sha256-hex.ts';
import { InMemoryAttestation } from './in-memory-attestation.ts';
import { InMemoryBlobStore } from './in-memory-blob-store.ts';
import { InMemorySigner } from './in-memory-signer.ts';
import { ManualClock } from './manual-clock.ts';

const scope: Scope = { org_id: 'org-1', tags: {} };
const run: RunSummary = {
  run_id: '5d9f0b6e-2a7c-4f1e-9b3a-0c8d7e6f5a4b',
  scope,
  started_at: '2026-01-01T00:00:00Z',
  ended_at: '2026-01-01T00:01:00Z',
  controls: ['CIS-S3-1'],
  counts: { pass: 3, warn: 0, fail: 1, error: 0 },
};

async function setup() {
  const signer = await InMemorySigner.generate();
  const blobs = new InMemoryBlobStore();
  const clock = new ManualClock({ start: '2026-01-01T00:05:00Z' });
  const port = new InMemoryAttestation({ signer, blobs, clock });
  return { signer, blobs, clock, port };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isSegError(error)) return error.error_code;
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('InMemoryAttestation', () => {
  it('implements AttestationPort under its id', async () => {
    const port: AttestationPort = (await setup()).port;
    expect(port).toBeInstanceOf(InMemoryAttestation);
    expect(AttestationPortId).toBe(Symbol.for('seg.ports.AttestationPort'));
  });

  describe('#sign', () => {
    it('signs a statement over the run with the injected signer', async () => {
      const { port, signer } = await setup();
      const attestation = await port.sign(run, scope);
      expect(attestation).toMatchObject({
        run_id: run.run_id,
        statement_type: 'evaluation',
        signer: signer.keyid,
        created_at: '2026-01-01T00:05:00.000Z',
        transparency_uri: null,
      });
      expect(attestation.payload_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(Buffer.from(attestation.signature, 'base64')).toHaveLength(64);
    });

    it('is not idempotent: each call is a new attestation', async () => {
      const { port } = await setup();
      const a = await port.sign(run, scope);
      const b = await port.sign(run, scope);
      expect(a.id).not.toBe(b.id);
      expect(a.payload_hash).toBe(b.payload_hash);
    });

    it('throws SEG_ATTEST_VERIFY_FAILED when the new signature does not verify', async () => {
      const real = await InMemorySigner.generate();
      const liar: SignerPort = {
        keyid: real.keyid,
        algorithm: 'ed25519',
        public_key: () => real.public_key(),
        sign: async () => new Uint8Array(64),
      } satisfies SignerPort;
      expect(await codeOf(new InMemoryAttestation({ signer: liar }).sign(run, scope))).toBe(
        'SEG_ATTEST_VERIFY_FAILED',
      );
      const unsupported: SignerPort = { ...liar, algorithm: 'ml-dsa-65', sign: (m) => real.sign(m) };
      expect(await codeOf(new InMemoryAttestation({ signer: unsupported }).sign(run, scope))).toBe(
        'SEG_ATTEST_VERIFY_FAILED',
      );
    });

    it('throws SEG_SCHEMA_VIOLATION for a bad run summary or scope', async () => {
      const { port } = await setup();
      expect(await codeOf(port.sign({ ...run, run_id: 'x' }, scope))).toBe('SEG_SCHEMA_VIOLATION');
      expect(await codeOf(port.sign(run, { org_id: '', tags: {} }))).toBe('SEG_SCHEMA_VIOLATION');
    });
  });

  describe('#verify', () => {
    it('passes every check for an untouched attestation, idempotently', async () => {
      const { port } = await setup();
      const attestation = await port.sign(run, scope);
      const report = await port.verify(attestation);
      expect(report).toMatchObject({
        attestation_id: attestation.id,
        valid: true,
        verified_at: '2026-01-01T00:05:00.000Z',
      });
      expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
        ['payload_hash', true],
        ['signature', true],
        ['subject_digest', true],
        ['statement_type', true],
      ]);
      expect(await port.verify(attestation)).toEqual(report);
    });

    it('reports (does not throw) a tampered signature, hash, signer or statement type', async () => {
      const { port } = await setup();
      const attestation = await port.sign(run, scope);
      const sig = Buffer.from(attestation.signature, 'base64');
      sig[0] = (sig[0] ?? 0) ^ 1;
      const failed = async (changes: Partial<typeof attestation>) =>
        (await port.verify({ ...attestation, ...changes })).checks.filter((c) => !c.ok).map((c) => c.name);
      expect(await failed({ signature: sig.toString('base64') })).toEqual(['signature']);
      expect(await failed({ signature: '!!!' })).toEqual(['signature']);
      expect(await failed({ payload_hash: sha256Hex('other') })).toEqual(['payload_hash']);
      expect(await failed({ signer: 'untrusted' })).toEqual(['signature']);
      expect(await failed({ statement_type: 'remediation' })).toEqual(['statement_type']);
      const report = await port.verify({ ...attestation, signer: 'untrusted' });
      expect(report.valid).toBe(false);
      expect(report.checks[1]?.reason).toContain('not a trusted key');
    });

    it('trusts only the configured keys when given', async () => {
      const { signer } = await setup();
      const other = await InMemorySigner.generate();
      const port = new InMemoryAttestation({
        signer,
        trusted_keys: [{ keyid: other.keyid, algorithm: 'ed25519', public_key: await other.public_key() }],
      });
      const report = await port.verify(await port.sign(run, scope));
      expect(report.valid).toBe(false);
    });

    it('throws SEG_NOT_FOUND for an attestation whose payload it does not hold', async () => {
      const { port } = await setup();
      const attestation = await port.sign(run, scope);
      expect(await codeOf(port.verify({ ...attestation, id: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a' }))).toBe(
        'SEG_NOT_FOUND',
      );
      expect(await codeOf(port.verify({ ...attestation, id: 'x' }))).toBe('SEG_SCHEMA_VIOLATION');
    });
    it('verifies ECDSA P-256 signatures from another signer implementation', async () => {
      const pair = (await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
        'sign',
        'verify',
      ])) as unknown as {
        privateKey: Parameters<typeof globalThis.crypto.subtle.sign>[1];
        publicKey: Parameters<typeof globalThis.crypto.subtle.exportKey>[1];
      };
      const der = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', pair.publicKey));
      const ecdsa: SignerPort = {
        keyid: sha256Hex(der),
        algorithm: 'ecdsa-p256-sha256',
        public_key: async () => der,
        sign: async (message) =>
          new Uint8Array(
            await globalThis.crypto.subtle.sign(
              { name: 'ECDSA', hash: 'SHA-256' },
              pair.privateKey,
              message.slice(),
            ),
          ),
      };
      const port = new InMemoryAttestation({ signer: ecdsa });
      const report = await port.verify(await port.sign(run, scope));
      expect(report.valid).toBe(true);
      const corrupted = new InMemoryAttestation({
        signer: ecdsa,
        trusted_keys: [
          { keyid: ecdsa.keyid, algorithm: 'ecdsa-p256-sha256', public_key: new Uint8Array([1, 2, 3]) },
        ],
      });
      expect((await corrupted.verify(await corrupted.sign(run, scope))).checks[1]).toMatchObject({
        name: 'signature',
        ok: false,
      });
    });
  });

  describe('#publish', () => {
    const targets: AttestationTarget[] = [
      { kind: 'filesystem', path: '/var/seg/attestations/' },
      { kind: 'object_store', prefix: 'attestations/' },
      { kind: 'transparency_log', log: 'https://log.example' },
    ];

    it('publishes to every target, one result each', async () => {
      const { port, blobs } = await setup();
      const attestation = await port.sign(run, scope);
      const report = await port.publish(attestation, targets);
      expect(report.status).toBe('success');
      expect(report.results.map((r) => r.uri)).toEqual([
        `file:///var/seg/attestations/${attestation.id}.json`,
        `attestations/${attestation.id}.json`,
        'https://log.example#0',
      ]);
      const stored = JSON.parse(
        new TextDecoder().decode(await blobs.get(`attestations/${attestation.id}.json`)),
      );
      expect(stored).toEqual(attestation);
    });

    it('is idempotent per target: republishing does not duplicate', async () => {
      const { port } = await setup();
      const attestation = await port.sign(run, scope);
      const first = await port.publish(attestation, targets);
      const again = await port.publish(attestation, targets);
      expect(again).toEqual(first);
      expect(port.published(targets[2] as AttestationTarget)).toEqual([attestation.id]);
      const second = await port.sign(run, scope);
      const next = await port.publish(second, [targets[2] as AttestationTarget]);
      expect(next.results[0]?.uri).toBe('https://log.example#1');
    });

    it('returns partial, not an exception, when a target fails; failed when all do', async () => {
      const { port } = await setup();
      const attestation = await port.sign(run, scope);
      port.set_target_failing(targets[0] as AttestationTarget);
      const partial = await port.publish(attestation, targets);
      expect(partial.status).toBe('partial');
      expect(partial.results[0]).toMatchObject({
        status: 'failed',
        uri: null,
        error: { error_code: 'SEG_ADAPTER_UNAVAILABLE', retryable: true },
      });
      const none = await port.publish(attestation, [targets[0] as AttestationTarget]);
      expect(none.status).toBe('failed');
      port.set_target_failing(targets[0] as AttestationTarget, false);
      expect((await port.publish(attestation, targets)).status).toBe('success');
    });

    it('fails an object-store target without a blob store, and wraps non-SegError failures', async () => {
      const signer = await InMemorySigner.generate();
      const port = new InMemoryAttestation({ signer });
      const attestation = await port.sign(run, scope);
      const report = await port.publish(attestation, [targets[1] as AttestationTarget]);
      expect(report.results[0]?.error?.error_code).toBe('SEG_ADAPTER_UNAVAILABLE');
      const broken = new InMemoryAttestation({
        signer,
        blobs: {
          ...new InMemoryBlobStore(),
          put: async () => Promise.reject(new Error('io')),
        } as unknown as InMemoryBlobStore,
      });
      const wrapped = await broken.publish(attestation, [targets[1] as AttestationTarget]);
      expect(wrapped.results[0]?.error).toMatchObject({
        error_code: 'SEG_ADAPTER_UNAVAILABLE',
        message: 'publish failed',
      });
    });

    it('throws SEG_SCHEMA_VIOLATION for a bad target', async () => {
      const { port } = await setup();
      const attestation = await port.sign(run, scope);
      expect(await codeOf(port.publish(attestation, [{ kind: 'ftp' } as unknown as AttestationTarget]))).toBe(
        'SEG_SCHEMA_VIOLATION',
      );
    });
  });
});
