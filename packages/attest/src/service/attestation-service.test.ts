import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as fsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseAttestation,
  parsePublishReport,
  parseVerifyReport,
  type Attestation,
  type RunSummary,
} from '@neurocipher/seg-contracts';
import type { SignerPort } from '@neurocipher/seg-ports';
import { RFC8032_VECTORS, RUN } from '../../test/support/fixtures.ts';
import { memoryBlobStore } from '../../test/support/memory-blob-store.ts';
import { decodeBase64, encodeBase64 } from '../encoding/base64.ts';
import { sha256Hex } from '@neurocipher/seg-ports';
import { fromHex, utf8 } from '../encoding/bytes.ts';
import { Ed25519Signer } from '../keys/ed25519.ts';
import { MlDsa65Signer } from '../keys/ml-dsa.ts';
import { noteSigner, verifyCheckpoint } from '../log/checkpoint.ts';
import { leafHash, verifyInclusion } from '../log/merkle.ts';
import { TransparencyLog } from '../log/transparency-log.ts';
import {
  evaluationStatement,
  planBytes,
  runSummaryBytes,
  statementBytes,
  type StatementSubject,
} from '../statement/statement.ts';
import { IN_TOTO_PAYLOAD_TYPE, serializeEnvelope, signEnvelope } from '../dsse/envelope.ts';
import { verifyEnvelopeFile } from '../verify/verify-envelope-file.ts';
import {
  AttestationService,
  assertVerified,
  verifyReportError,
  withTransparencyUri,
  type AttestationServiceOptions,
  type RunAttestationMaterial,
} from './attestation-service.ts';

const ed = new Ed25519Signer({ privateKey: fromHex(RFC8032_VECTORS[0].seed)! });
const pq = new MlDsa65Signer({ seed: new Uint8Array(32).fill(5) });
const run: RunSummary = { ...RUN, scope: { ...RUN.scope, region: null } };
const dataFile = utf8('PAR1 ... parquet bytes ... PAR1');
const evidence = [utf8('{"bucket":"a","public":true}'), utf8('{"bucket":"b","public":false}')];
const plan = {
  id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  finding_id: '6ba7b810-9dad-41d1-80b4-00c04fd430c8',
  mode: 'apply' as const,
  estimated_risk: 'medium' as const,
  steps: [],
};

const evaluationMaterial: RunAttestationMaterial = {
  statement_type: 'evaluation',
  tables: [
    {
      table: 'findings',
      snapshot_id: '4242',
      data_files: [{ path: 'data/f-0.parquet', sha256: sha256Hex(dataFile) }],
    },
  ],
  evidence: evidence.map((e) => ({ sha256: sha256Hex(e), media_type: 'application/json' })),
};

/** The stored artifacts, by subject name; tests replace entries to simulate tampering. */
function storedArtifacts(): Map<string, Uint8Array> {
  const m = new Map<string, Uint8Array>();
  m.set(`seg/runs/${run.run_id}/summary.json`, runSummaryBytes(run));
  m.set('seg/tables/findings/snapshots/4242/data/f-0.parquet', dataFile);
  for (const e of evidence) m.set(`seg/evidence/sha256/${sha256Hex(e)}`, e);
  m.set(`seg/plans/${plan.id}/plan.json`, planBytes(plan));
  return m;
}

function service(
  overrides: Partial<AttestationServiceOptions> = {},
  artifacts = storedArtifacts(),
  material = evaluationMaterial,
) {
  return new AttestationService({
    signers: [ed, pq],
    trustedKeys: [ed.trustedKey(), pq.trustedKey()],
    resolver: { resolve: async (s: StatementSubject) => artifacts.get(s.name) },
    material: { material: async () => material },
    clock: { now: () => new Date('2026-01-02T04:00:00Z') },
    newId: () => '9b2b1a10-7c1e-4d7e-9d0f-1f2e3d4c5b6a',
    ...overrides,
  });
}

/** The attestation with its envelope edited by `edit`. */
function withEnvelope(
  attestation: Attestation,
  edit: (env: { payload: string; payloadType: string; signatures: { keyid: string; sig: string }[] }) => void,
): Attestation {
  const env = JSON.parse(attestation.signature);
  edit(env);
  return { ...attestation, signature: JSON.stringify(env) };
}

const failedCheck = async (svc: AttestationService, attestation: Attestation): Promise<string> => {
  const report = parseVerifyReport(await svc.verify(attestation));
  expect(report.valid).toBe(false);
  const failed = report.checks.find((c) => !c.ok)!;
  return `${failed.name}/${failed.reason!.split(':')[0]}`;
};

describe('AttestationService', () => {
  let attestation: Attestation;
  beforeAll(async () => {
    attestation = await service().sign(run, run.scope);
  });

  describe('#sign', () => {
    it('returns an Attestation whose signature field is the DSSE envelope, signed by both keys', () => {
      expect(attestation).toMatchObject({
        id: '9b2b1a10-7c1e-4d7e-9d0f-1f2e3d4c5b6a',
        run_id: run.run_id,
        statement_type: 'evaluation',
        signer: ed.keyid,
        created_at: '2026-01-02T04:00:00.000Z',
        transparency_uri: null,
      });
      const env = JSON.parse(attestation.signature);
      expect(env.payloadType).toBe('application/vnd.in-toto+json');
      expect(env.signatures.map((s: { keyid: string }) => s.keyid)).toEqual([ed.keyid, pq.keyid]);
      expect(attestation.payload_hash).toBe(sha256Hex(decodeBase64(env.payload)!));
    });

    it('attests remediation runs with the remediation predicate', async () => {
      const a = await service({}, storedArtifacts(), { statement_type: 'remediation', plans: [plan] }).sign(
        run,
        run.scope,
      );
      expect(a.statement_type).toBe('remediation');
      expect((await service().verify(a)).valid).toBe(true);
    });

    it('attests the summary alone when no material source is configured', async () => {
      const a = await service({ material: undefined }).sign(run, run.scope);
      const statement = JSON.parse(new TextDecoder().decode(decodeBase64(JSON.parse(a.signature).payload)));
      expect(statement.subject).toHaveLength(1);
    });

    it('refuses a scope of another tenant, a bad run summary, no signer, and a signer whose signatures do not verify', async () => {
      await expect(service().sign(run, { org_id: 'org-2', tags: {} })).rejects.toMatchObject({
        error_code: 'SEG_INVALID_ARGUMENT',
      });
      await expect(service().sign({ ...run, run_id: 'nope' }, run.scope)).rejects.toMatchObject({
        error_code: 'SEG_SCHEMA_VIOLATION',
      });
      expect(() => service({ signers: [] })).toThrow(
        expect.objectContaining({ error_code: 'SEG_INVALID_ARGUMENT' }),
      );
      const broken: SignerPort = {
        keyid: ed.keyid,
        algorithm: 'ed25519',
        public_key: () => ed.public_key(),
        sign: async () => new Uint8Array(64),
      };
      await expect(service({ signers: [broken] }).sign(run, run.scope)).rejects.toMatchObject({
        error_code: 'SEG_ATTEST_VERIFY_FAILED',
      });
    });
  });

  describe('#verify', () => {
    it('reports every check passing for an untouched attestation', async () => {
      const report = parseVerifyReport(await service().verify(attestation));
      expect(report.valid).toBe(true);
      expect(report.checks.map((c) => `${c.name}:${c.ok}`)).toEqual([
        'envelope:true',
        'signatures:true',
        'payload_hash:true',
        'signer:true',
        'statement_type:true',
        'subjects:true',
      ]);
      expect(() => assertVerified(report)).not.toThrow();
      expect(verifyReportError(report)).toBeUndefined();
    });

    it('fails on a flipped payload byte, as SEG_ATTEST_VERIFY_FAILED with its reason', async () => {
      const tampered = withEnvelope(attestation, (env) => {
        const bytes = decodeBase64(env.payload)!;
        bytes[40] = (bytes[40] as number) ^ 0x20;
        env.payload = encodeBase64(bytes);
      });
      const report = await service().verify(tampered);
      expect(await failedCheck(service(), tampered)).toBe('signatures/bad_signature');
      expect(() => assertVerified(report)).toThrow(
        expect.objectContaining({
          error_code: 'SEG_ATTEST_VERIFY_FAILED',
          details: expect.objectContaining({ reason: 'bad_signature', check: 'signatures' }),
        }),
      );
    });

    it('fails on a changed payloadType, swapped keyids, an untrusted signature and a removed signature', async () => {
      expect(
        await failedCheck(
          service(),
          withEnvelope(attestation, (env) => (env.payloadType = 'application/json')),
        ),
      ).toBe('signatures/unsupported_payload_type');
      expect(
        await failedCheck(
          service(),
          withEnvelope(attestation, (env) => {
            const [a, b] = env.signatures;
            if (a === undefined || b === undefined) throw new Error('fixture needs two signatures');
            [a.keyid, b.keyid] = [b.keyid, a.keyid];
          }),
        ),
      ).toBe('signatures/bad_signature');
      const stranger = Ed25519Signer.generate();
      const strangerSig = encodeBase64(await stranger.sign(utf8('anything')));
      expect(
        await failedCheck(
          service(),
          withEnvelope(attestation, (env) =>
            env.signatures.push({ keyid: stranger.keyid, sig: strangerSig }),
          ),
        ),
      ).toBe('signatures/untrusted_key');
      const strict = service({ requiredAlgorithms: ['ed25519', 'ml-dsa-65'] });
      expect(
        await failedCheck(
          strict,
          withEnvelope(attestation, (env) => env.signatures.pop()),
        ),
      ).toBe('signatures/missing_required_signature');
      expect(
        await failedCheck(
          service(),
          withEnvelope(attestation, (env) => env.signatures.shift()),
        ),
      ).toBe('signatures/missing_required_signature');
      expect(
        await failedCheck(
          service(),
          withEnvelope(attestation, (env) => (env.signatures = [])),
        ),
      ).toBe('signatures/no_signatures');
    });

    it('accepts reordered signatures: the envelope still carries the same signed bytes', async () => {
      const reordered = withEnvelope(attestation, (env) => env.signatures.reverse());
      expect((await service({ requiredAlgorithms: ['ed25519', 'ml-dsa-65'] }).verify(reordered)).valid).toBe(
        true,
      );
    });

    it('fails when the record disagrees with the signed statement', async () => {
      expect(await failedCheck(service(), { ...attestation, payload_hash: 'f'.repeat(64) })).toBe(
        'payload_hash/payload_hash_mismatch',
      );
      expect(await failedCheck(service(), { ...attestation, signer: 'someone-else' })).toBe(
        'signer/signature_mismatch',
      );
      expect(await failedCheck(service(), { ...attestation, statement_type: 'remediation' })).toBe(
        'statement_type/unknown_statement_type',
      );
      expect(await failedCheck(service(), { ...attestation, run_id: plan.id })).toBe(
        'statement_type/run_mismatch',
      );
      expect(await failedCheck(service(), { ...attestation, signature: '{"payload":' })).toBe(
        'envelope/malformed_envelope',
      );
    });

    it('reports resolver failures and subjects without a sha256 digest', async () => {
      const throwing = service({
        resolver: {
          resolve: async () => {
            throw new Error('store down');
          },
        },
      });
      const report = await throwing.verify(attestation);
      expect(report.checks.at(-1)).toMatchObject({
        name: 'subjects',
        ok: false,
        reason: 'subject_missing: store down',
      });
      const odd = await signEnvelope(
        IN_TOTO_PAYLOAD_TYPE,
        statementBytes({ ...evaluationStatement(run), subject: [{ name: 'x', digest: { sha512: 'ab' } }] }),
        [ed],
      );
      const payload = decodeBase64(odd.payload)!;
      const record = { ...attestation, signature: serializeEnvelope(odd), payload_hash: sha256Hex(payload) };
      expect(await failedCheck(service(), record)).toBe('subjects/subject_digest_mismatch');
    });

    it('uses the system clock, random ids and no required algorithm without a trusted Ed25519 key', async () => {
      const plain = new AttestationService({
        signers: [pq],
        trustedKeys: [pq.trustedKey()],
        resolver: { resolve: async (s) => storedArtifacts().get(s.name) },
      });
      const a = await plain.sign(run, run.scope);
      expect(a.id).not.toBe(attestation.id);
      expect(Date.parse(a.created_at)).toBeGreaterThan(Date.parse('2026-01-01T00:00:00Z'));
      expect((await plain.verify(a)).valid).toBe(true);
    });

    it('turns an invalid report into the error of its first failed check', () => {
      const error = verifyReportError({
        attestation_id: attestation.id,
        valid: false,
        checks: [{ name: 'subjects', ok: false, reason: null }],
        verified_at: '2026-01-02T04:00:00Z',
      });
      expect(error).toMatchObject({ error_code: 'SEG_ATTEST_VERIFY_FAILED', message: 'verification failed' });
    });

    it('re-hashes every stored artifact: a changed or missing artifact fails', async () => {
      const changed = storedArtifacts();
      changed.set('seg/tables/findings/snapshots/4242/data/f-0.parquet', utf8('other bytes'));
      expect(await failedCheck(service({}, changed), attestation)).toBe('subjects/subject_digest_mismatch');
      const missing = storedArtifacts();
      missing.delete(`seg/evidence/sha256/${sha256Hex(evidence[1]!)}`);
      expect(await failedCheck(service({}, missing), attestation)).toBe('subjects/subject_missing');
      const summary = storedArtifacts();
      summary.set(
        `seg/runs/${run.run_id}/summary.json`,
        runSummaryBytes({ ...run, counts: { ...run.counts, fail: 0 } }),
      );
      expect(await failedCheck(service({}, summary), attestation)).toBe('subjects/subject_digest_mismatch');
    });
  });

  describe('#publish', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'seg-attest-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    const logKey = Ed25519Signer.generate();
    const newLog = () =>
      new TransparencyLog({
        store: memoryBlobStore(),
        prefix: 'tlog/',
        origin: 'seg.example/tlog',
        signer: noteSigner('seg.example/tlog', logKey),
        base_url: 'https://seg.example/tlog',
      });

    it('publishes to the filesystem, the object store and the log, idempotently', async () => {
      const store = memoryBlobStore();
      const log = newLog();
      const svc = service({ fs: fsPromises, objectStore: store, logs: { main: log } });
      const targets = [
        { kind: 'filesystem', path: join(dir, 'out') },
        { kind: 'object_store', prefix: 'attestations/' },
        { kind: 'transparency_log', log: 'main' },
      ] as const;
      const report = parsePublishReport(await svc.publish(attestation, targets));
      expect(report.status).toBe('success');
      expect(report.results.map((r) => r.uri)).toEqual([
        `file://${join(dir, 'out', `${attestation.id}.intoto.json`)}`,
        `attestations/${attestation.id}.intoto.json`,
        'https://seg.example/tlog/entries/0',
      ]);
      const file = await readFile(join(dir, 'out', `${attestation.id}.intoto.json`));
      expect(store.objects.get(`attestations/${attestation.id}.intoto.json`)).toEqual(new Uint8Array(file));
      // The file verifies on its own against the public-key file (the CLI path).
      await fsPromises.writeFile(join(dir, 'ed.pub'), ed.publicKeyPem());
      const checked = await verifyEnvelopeFile(
        join(dir, 'out', `${attestation.id}.intoto.json`),
        join(dir, 'ed.pub'),
        fsPromises,
      );
      expect(checked.statement_type).toBe('evaluation');
      expect(checked.unchecked).toEqual([pq.keyid]);
      // The log entry is the file's bytes, included under a signed checkpoint.
      const head = verifyCheckpoint(await log.checkpoint(), 'seg.example/tlog', logKey.publicKey)!;
      expect(
        verifyInclusion(leafHash(new Uint8Array(file)), 0, head.size, await log.inclusionProof(0), head.root),
      ).toBe(true);
      const logged = withTransparencyUri(attestation, report);
      expect(parseAttestation(logged).transparency_uri).toBe('https://seg.example/tlog/entries/0');
      expect(withTransparencyUri(attestation, { ...report, results: report.results.slice(0, 2) })).toBe(
        attestation,
      );
      const again = await svc.publish(attestation, targets);
      expect(again.results.map((r) => r.uri)).toEqual(report.results.map((r) => r.uri));
      expect(await log.size()).toBe(1);
    });

    it('reports a partial publish as a value, with each failed target and its SegError', async () => {
      const svc = service({ objectStore: memoryBlobStore({ failPuts: true }), logs: { main: newLog() } });
      const report = parsePublishReport(
        await svc.publish(attestation, [
          { kind: 'object_store', prefix: 'a/' },
          { kind: 'transparency_log', log: 'main' },
          { kind: 'transparency_log', log: 'nope' },
          { kind: 'filesystem', path: dir },
        ]),
      );
      expect(report.status).toBe('partial');
      expect(report.results.map((r) => `${r.status}:${r.error?.error_code ?? ''}`)).toEqual([
        'failed:SEG_EVIDENCE_WRITE_FAILED',
        'published:',
        'failed:SEG_ADAPTER_UNAVAILABLE',
        'failed:SEG_ADAPTER_UNAVAILABLE',
      ]);
    });

    it('fails every target of a malformed attestation, and wraps non-SegError failures', async () => {
      const svc = service({ objectStore: memoryBlobStore() });
      const report = await svc.publish({ ...attestation, signature: 'garbage' }, [
        { kind: 'object_store', prefix: '' },
      ]);
      expect(report.status).toBe('failed');
      expect(report.results[0]!.error?.error_code).toBe('SEG_ATTEST_VERIFY_FAILED');
      const brokenFs = {
        mkdir: async () => undefined,
        writeFile: async () => {
          throw new Error('disk full');
        },
        readFile: async () => new Uint8Array(),
      };
      const viaFs = await service({ fs: brokenFs }).publish(attestation, [
        { kind: 'filesystem', path: 'relative/dir' },
      ]);
      expect(viaFs.results[0]!.error).toMatchObject({
        error_code: 'SEG_EVIDENCE_WRITE_FAILED',
        retryable: true,
      });
    });
  });
});
