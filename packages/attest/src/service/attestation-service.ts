import { randomUUID } from 'node:crypto';
import {
  parseAttestation,
  parseRunSummary,
  parseScope,
  SegError,
  type Attestation,
  type AttestationTarget,
  type PublishReport,
  type PublishTargetResult,
  type RunSummary,
  type Scope,
  type VerifyCheck,
  type VerifyReport,
} from '@neurocipher/seg-contracts';
import {
  systemClock,
  type AttestationPort,
  type BlobStore,
  type Clock,
  type SignatureAlgorithm,
  type SignerPort,
} from '@neurocipher/seg-ports';
import { sha256Hex } from '@neurocipher/seg-ports';
import { utf8 } from '../encoding/bytes.ts';
import { IN_TOTO_PAYLOAD_TYPE, parseEnvelope, serializeEnvelope, signEnvelope } from '../dsse/envelope.ts';
import type { TrustedKey } from '../dsse/signer.ts';
import { verifyEnvelope } from '../dsse/verify-envelope.ts';
import { verifyFailed, type VerifyFailureReason } from '../errors.ts';
import { trustedKeyFromSigner } from '../keys/trusted-key.ts';
import type { TransparencyLog } from '../log/transparency-log.ts';
import type { FileSystemPort } from '../publish/file-system-port.ts';
import {
  evaluationStatement,
  parseStatement,
  remediationStatement,
  statementBytes,
  type ParsedStatement,
  type RemediationMaterial,
  type RunMaterial,
} from '../statement/statement.ts';
import type { SubjectResolver } from './subject-resolver.ts';

/** What a run committed, as the material source reports it for `sign`. */
export type RunAttestationMaterial =
  | ({ statement_type: 'evaluation' } & RunMaterial)
  | ({ statement_type: 'remediation' } & RemediationMaterial);

/**
 * Looks up what a run committed (table snapshots and data-file digests, evidence hashes, plans):
 * core implements it over the ingest results. Throws `SEG_NOT_FOUND` for an unknown run.
 */
export interface RunMaterialSource {
  material(run: RunSummary, scope: Scope): Promise<RunAttestationMaterial>;
}

/** Options of {@link AttestationService}. */
export interface AttestationServiceOptions {
  /** Signers, primary first (Ed25519 by default; an ML-DSA-65 signer adds the post-quantum signature). */
  signers: readonly SignerPort[];
  /** Keys `verify` trusts. Every signature of an envelope must verify under one of them. */
  trustedKeys: readonly TrustedKey[];
  /** Algorithms of which `verify` requires a valid signature; default `['ed25519']` when an Ed25519 key is trusted. */
  requiredAlgorithms?: readonly SignatureAlgorithm[];
  /** Fetches stored artifacts so `verify` can re-hash every subject. */
  resolver: SubjectResolver;
  /** What each run committed; without it a run is attested as an evaluation over its summary alone. */
  material?: RunMaterialSource | undefined;
  /** Object store for `object_store` publish targets. */
  objectStore?: BlobStore;
  /** Filesystem for `filesystem` publish targets (inject `node:fs/promises`). */
  fs?: FileSystemPort;
  /** Transparency logs by name, for `transparency_log` targets. */
  logs?: Readonly<Record<string, TransparencyLog>>;
  /** Time source of `created_at` and `verified_at`. */
  clock?: Clock;
  /** Attestation id generator (UUID). */
  newId?: () => string;
}

/** File name of a published envelope: `<attestation id>.intoto.json`. */
export function envelopeFileName(attestation: Pick<Attestation, 'id'>): string {
  return `${attestation.id}.intoto.json`;
}

/** The `SEG_ATTEST_VERIFY_FAILED` error of the first failed check of a report, or `undefined` when valid. */
export function verifyReportError(report: VerifyReport): SegError | undefined {
  const failed = report.checks.find((c) => !c.ok);
  if (report.valid && !failed) return undefined;
  const [reason = 'bad_signature', ...rest] = (failed?.reason ?? '').split(': ');
  return verifyFailed(reason as VerifyFailureReason, rest.join(': ') || 'verification failed', {
    check: failed?.name,
    attestation_id: report.attestation_id,
  });
}

/**
 * The attestation with `transparency_uri` set from a publish report: the URI of the first
 * transparency-log target that published. Unchanged when no log target succeeded.
 */
export function withTransparencyUri(attestation: Attestation, report: PublishReport): Attestation {
  const entry = report.results.find(
    (r) => r.target.kind === 'transparency_log' && r.status === 'published' && r.uri,
  );
  return entry ? { ...attestation, transparency_uri: entry.uri } : attestation;
}

/** Throws the `SEG_ATTEST_VERIFY_FAILED` error of a report that is not valid. */
export function assertVerified(report: VerifyReport): void {
  const error = verifyReportError(report);
  if (error) throw error;
}

// `<reason>: <message>`; failures that carry no verification reason (a resolver that threw, say)
// get the reason of the step they happened in.
function reasonOf(error: unknown, fallback: VerifyFailureReason): string {
  const reason =
    error instanceof SegError && typeof error.details.reason === 'string' ? error.details.reason : fallback;
  return `${reason}: ${error instanceof Error ? error.message : String(error)}`;
}

function joinPath(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

/**
 * The AttestationPort: signs an in-toto statement over a run as a DSSE envelope (every signer over
 * the same PAE), verifies attestations into a VerifyReport, and publishes envelopes to the
 * filesystem, the object store and transparency logs. The `Attestation.signature` field carries the
 * whole DSSE envelope JSON, so an attestation record is verifiable on its own; `signer` is the
 * primary keyid and `payload_hash` the SHA-256 of the payload bytes.
 */
export class AttestationService implements AttestationPort {
  readonly #options: AttestationServiceOptions;
  readonly #clock: Clock;

  constructor(options: AttestationServiceOptions) {
    if (options.signers.length === 0)
      throw new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message: 'at least one signer is required' });
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Signs a statement over `run` and what it committed; checks the new envelope before returning it. */
  async sign(run: RunSummary, scope: Scope): Promise<Attestation> {
    const summary = parseRunSummary(run);
    const checkedScope = parseScope(scope);
    if (checkedScope.org_id !== summary.scope.org_id) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'scope belongs to another tenant than the run',
        details: { run_id: summary.run_id },
      });
    }
    const material = (await this.#options.material?.material(summary, checkedScope)) ?? {
      statement_type: 'evaluation',
    };
    const statement =
      material.statement_type === 'remediation'
        ? remediationStatement(summary, material)
        : evaluationStatement(summary, material);
    const payload = statementBytes(statement);
    const envelope = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, this.#options.signers);
    const ownKeys = await Promise.all(this.#options.signers.map((s) => trustedKeyFromSigner(s)));
    try {
      await verifyEnvelope(envelope, { trustedKeys: ownKeys });
    } catch (cause) {
      throw new SegError({
        error_code: 'SEG_ATTEST_VERIFY_FAILED',
        message: 'a signer produced a signature that does not verify',
        cause,
      });
    }
    return parseAttestation({
      id: this.#options.newId?.() ?? randomUUID(),
      run_id: summary.run_id,
      statement_type: material.statement_type,
      payload_hash: sha256Hex(payload),
      signer: (this.#options.signers[0] as SignerPort).keyid,
      signature: serializeEnvelope(envelope).trimEnd(),
      created_at: this.#clock.now().toISOString(),
      transparency_uri: null,
    });
  }

  /**
   * Checks, in order: the envelope parses; every signature verifies under a trusted key (and the
   * required algorithms are present); `payload_hash` is the SHA-256 of the verified payload; the
   * `signer` is one of the verified keys; the statement is an in-toto Statement v1 with a known SEG
   * predicate matching `statement_type` and `run_id`; every subject digest equals the re-hashed
   * stored artifact. Later checks need the earlier ones, so the first failure ends the report.
   * Never throws for a bad attestation; see {@link assertVerified}.
   */
  async verify(attestation: Attestation): Promise<VerifyReport> {
    const checks: VerifyCheck[] = [];
    const report = (): VerifyReport => ({
      attestation_id: attestation.id,
      valid: checks.every((c) => c.ok),
      checks,
      verified_at: this.#clock.now().toISOString(),
    });
    const step = async <T>(
      name: string,
      work: () => Promise<T> | T,
      fallback: VerifyFailureReason = 'malformed_envelope',
    ): Promise<T | undefined> => {
      try {
        const value = await work();
        checks.push({ name, ok: true, reason: null });
        return value;
      } catch (error) {
        checks.push({ name, ok: false, reason: reasonOf(error, fallback) });
        return undefined;
      }
    };
    const envelope = await step('envelope', () => parseEnvelope(attestation.signature));
    if (!envelope) return report();
    const requiredAlgorithms =
      this.#options.requiredAlgorithms ??
      (this.#options.trustedKeys.some((k) => k.algorithm === 'ed25519') ? ['ed25519' as const] : []);
    const verified = await step(
      'signatures',
      () => verifyEnvelope(envelope, { trustedKeys: this.#options.trustedKeys, requiredAlgorithms }),
      'bad_signature',
    );
    if (!verified) return report();
    const hashOk = await step('payload_hash', () => {
      if (sha256Hex(verified.payload) !== attestation.payload_hash) {
        throw verifyFailed('payload_hash_mismatch', 'payload_hash is not the SHA-256 of the signed payload');
      }
      return true;
    });
    if (!hashOk) return report();
    const signerOk = await step('signer', () => {
      if (!verified.signatures.some((s) => s.keyid === attestation.signer)) {
        throw verifyFailed('signature_mismatch', 'the attestation signer did not sign the envelope');
      }
      return true;
    });
    if (!signerOk) return report();
    const parsed = await step(
      'statement_type',
      () => checkStatement(parseStatement(verified.payload), attestation),
      'malformed_statement',
    );
    if (!parsed) return report();
    await step('subjects', () => this.#checkSubjects(parsed), 'subject_missing');
    return report();
  }

  async #checkSubjects(parsed: ParsedStatement): Promise<true> {
    for (const subject of parsed.statement.subject) {
      const expected = subject.digest.sha256;
      if (expected === undefined)
        throw verifyFailed('subject_digest_mismatch', 'subject has no sha256 digest', { name: subject.name });
      const bytes = await this.#options.resolver.resolve(subject);
      if (!bytes)
        throw verifyFailed('subject_missing', `stored artifact not found: ${subject.name}`, {
          name: subject.name,
        });
      if (sha256Hex(bytes) !== expected) {
        throw verifyFailed(
          'subject_digest_mismatch',
          `stored artifact does not match its digest: ${subject.name}`,
          { name: subject.name },
        );
      }
    }
    return true;
  }

  /**
   * Publishes the envelope to every target and reports each one; a failing target is recorded as
   * `failed` with its SegError and the others still run (`partial`). Republishing is idempotent:
   * files and objects are rewritten with the same bytes, and a log returns the existing entry.
   */
  async publish(attestation: Attestation, targets: readonly AttestationTarget[]): Promise<PublishReport> {
    const results: PublishTargetResult[] = [];
    for (const target of targets) {
      try {
        const bytes = utf8(serializeEnvelope(parseEnvelopeForPublish(attestation.signature)));
        results.push({
          target,
          status: 'published',
          uri: await this.#publishOne(attestation, target, bytes),
          error: null,
        });
      } catch (error) {
        const segError =
          error instanceof SegError
            ? error
            : new SegError({
                error_code: 'SEG_EVIDENCE_WRITE_FAILED',
                message: 'publishing to the target failed',
                cause: error,
              });
        results.push({ target, status: 'failed', uri: null, error: segError.toJSON() });
      }
    }
    const published = results.filter((r) => r.status === 'published').length;
    const status = published === results.length ? 'success' : published === 0 ? 'failed' : 'partial';
    return { attestation_id: attestation.id, status, results };
  }

  async #publishOne(attestation: Attestation, target: AttestationTarget, bytes: Uint8Array): Promise<string> {
    switch (target.kind) {
      case 'filesystem': {
        const fs = this.#options.fs;
        if (!fs) throw unavailable('no filesystem is configured for filesystem targets');
        await fs.mkdir(target.path, { recursive: true });
        const path = joinPath(target.path, envelopeFileName(attestation));
        await fs.writeFile(path, bytes);
        return `file://${path.startsWith('/') ? '' : '/'}${path}`;
      }
      case 'object_store': {
        const store = this.#options.objectStore;
        if (!store) throw unavailable('no object store is configured for object_store targets');
        const key = `${target.prefix}${envelopeFileName(attestation)}`;
        await store.put(key, bytes, { content_type: 'application/vnd.in-toto+json' });
        return key;
      }
      case 'transparency_log': {
        const log = this.#options.logs?.[target.log];
        if (!log) throw unavailable(`no transparency log named ${target.log}`);
        return (await log.append(bytes)).uri;
      }
    }
  }
}

function unavailable(message: string): SegError {
  return new SegError({ error_code: 'SEG_ADAPTER_UNAVAILABLE', message, retryable: false });
}

function parseEnvelopeForPublish(signature: string) {
  const envelope = parseEnvelope(signature);
  return { ...envelope, signatures: envelope.signatures.map((s) => ({ keyid: s.keyid ?? '', sig: s.sig })) };
}

function checkStatement(parsed: ParsedStatement, attestation: Attestation): ParsedStatement {
  if (parsed.statement_type !== attestation.statement_type) {
    throw verifyFailed(
      'unknown_statement_type',
      `statement is a ${parsed.statement_type} statement, the record says ${attestation.statement_type}`,
    );
  }
  const run = (parsed.statement.predicate as { run?: { run_id?: string } }).run;
  if (run?.run_id !== attestation.run_id)
    throw verifyFailed('run_mismatch', 'statement is about another run');
  return parsed;
}
