import {
  SegError,
  parseAttestation,
  parseAttestationTarget,
  parseRunSummary,
  parseScope,
} from '@neurocipher/seg-contracts';
import type {
  Attestation,
  AttestationTarget,
  PublishReport,
  PublishTargetResult,
  RunSummary,
  Scope,
  VerifyCheck,
  VerifyReport,
} from '@neurocipher/seg-contracts';
import type { AttestationPort } from '../attestation/attestation-port.ts';
import type { SignatureAlgorithm, SignerPort } from '../crypto/signer-port.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { systemClock } from '../time/clock.ts';
import type { Clock } from '../time/clock.ts';
import { sha256Hex } from '../digest/sha256-hex.ts';

/**
 * A public key {@link InMemoryAttestation.verify} trusts, as SPKI DER: the test double's own shape (this
 * package cannot import `@neurocipher/seg-attest`, whose `TrustedKey` verifies real DSSE envelopes).
 */
export interface InMemoryTrustedKey {
  keyid: string;
  algorithm: SignatureAlgorithm;
  /** SubjectPublicKeyInfo DER. */
  public_key: Uint8Array;
}

/** Options of {@link InMemoryAttestation}. */
export interface InMemoryAttestationOptions {
  /** Signs every statement. */
  signer: SignerPort;
  /** Keys `verify` accepts; only the signer's own key when absent. */
  trusted_keys?: readonly InMemoryTrustedKey[];
  /** Receives `object_store` publications (`<prefix><attestation id>.json`); such targets fail without it. */
  blobs?: BlobStore;
  clock?: Clock;
}

/** The in-toto statement type the in-memory attestation signs. */
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** The predicate type of an evaluation statement. */
export const EVALUATION_PREDICATE_TYPE = 'https://neurocipher.io/seg/evaluation/v1';

interface Stored {
  payload: Uint8Array;
  run_json: string;
}

const WEBCRYPTO_VERIFY: Partial<
  Record<
    SignatureAlgorithm,
    { import: { name: string; namedCurve?: string }; verify: { name: string; hash?: string } }
  >
> = {
  ed25519: { import: { name: 'Ed25519' }, verify: { name: 'Ed25519' } },
  'ecdsa-p256-sha256': {
    import: { name: 'ECDSA', namedCurve: 'P-256' },
    verify: { name: 'ECDSA', hash: 'SHA-256' },
  },
};

/**
 * A TEST DOUBLE of {@link AttestationPort}, not the DSSE implementation (that is `@neurocipher/seg-attest`).
 * It signs the plain JSON bytes of an in-toto statement (no DSSE envelope, no pre-authentication
 * encoding) with the injected {@link SignerPort}, keeps the payload in memory by attestation id, and
 * verifies against it: payload hash, signature under a trusted key (Ed25519 and ECDSA P-256 through
 * WebCrypto), the subject digest (sha256 of the run summary's JSON) and the statement type. Publishing
 * records the attestation per target (idempotent per target); `set_target_failing` makes a target fail.
 */
export class InMemoryAttestation implements AttestationPort {
  readonly #signer: SignerPort;
  readonly #trusted: readonly InMemoryTrustedKey[] | undefined;
  readonly #blobs: BlobStore | undefined;
  readonly #clock: Clock;
  readonly #stored = new Map<string, Stored>();
  readonly #published = new Map<string, Map<string, string>>();
  readonly #failing = new Set<string>();
  readonly #logs = new Map<string, string[]>();

  constructor(options: InMemoryAttestationOptions) {
    this.#signer = options.signer;
    this.#trusted = options.trusted_keys;
    this.#blobs = options.blobs;
    this.#clock = options.clock ?? systemClock;
  }

  async sign(run: RunSummary, scope: Scope): Promise<Attestation> {
    const parsedRun = parseRunSummary(run);
    const parsedScope = parseScope(scope);
    const runJson = JSON.stringify(parsedRun);
    const statement = {
      _type: IN_TOTO_STATEMENT_TYPE,
      subject: [{ name: `run:${parsedRun.run_id}`, digest: { sha256: sha256Hex(runJson) } }],
      predicateType: EVALUATION_PREDICATE_TYPE,
      predicate: { run: parsedRun, scope: parsedScope },
    };
    const payload = new TextEncoder().encode(JSON.stringify(statement));
    const signature = await this.#signer.sign(payload);
    const ownKey: InMemoryTrustedKey = {
      keyid: this.#signer.keyid,
      algorithm: this.#signer.algorithm,
      public_key: await this.#signer.public_key(),
    };
    if (!(await verifySignature(ownKey, payload, signature))) {
      throw new SegError({
        error_code: 'SEG_ATTEST_VERIFY_FAILED',
        message: 'the new signature does not verify under the signer public key',
        details: { keyid: this.#signer.keyid },
      });
    }
    const attestation = parseAttestation({
      id: globalThis.crypto.randomUUID(),
      run_id: parsedRun.run_id,
      statement_type: 'evaluation',
      payload_hash: sha256Hex(payload),
      signer: this.#signer.keyid,
      signature: toBase64(signature),
      created_at: this.#clock.now().toISOString(),
      transparency_uri: null,
    });
    this.#stored.set(attestation.id, { payload, run_json: runJson });
    return attestation;
  }

  async verify(attestation: Attestation): Promise<VerifyReport> {
    const parsed = parseAttestation(attestation);
    const stored = this.#stored.get(parsed.id);
    if (stored === undefined) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: 'no payload for this attestation',
        details: { attestation_id: parsed.id },
      });
    }
    const checks: VerifyCheck[] = [];
    const hash = sha256Hex(stored.payload);
    checks.push(check('payload_hash', hash === parsed.payload_hash, 'payload hash does not match'));
    const trusted = this.#trusted ?? [
      {
        keyid: this.#signer.keyid,
        algorithm: this.#signer.algorithm,
        public_key: await this.#signer.public_key(),
      },
    ];
    const key = trusted.find((candidate) => candidate.keyid === parsed.signer);
    let signatureOk = false;
    let reason = `signer ${parsed.signer} is not a trusted key`;
    if (key !== undefined) {
      const signature = fromBase64(parsed.signature);
      signatureOk = signature !== null && (await verifySignature(key, stored.payload, signature));
      reason = 'signature does not verify';
    }
    checks.push(check('signature', signatureOk, reason));
    const statement = JSON.parse(new TextDecoder().decode(stored.payload)) as {
      _type?: unknown;
      predicateType?: unknown;
      subject?: Array<{ digest?: { sha256?: unknown } }>;
    };
    const digest = statement.subject?.[0]?.digest?.sha256;
    checks.push(
      check('subject_digest', digest === sha256Hex(stored.run_json), 'subject digest does not match the run'),
    );
    checks.push(
      check(
        'statement_type',
        statement._type === IN_TOTO_STATEMENT_TYPE &&
          parsed.statement_type === 'evaluation' &&
          statement.predicateType === EVALUATION_PREDICATE_TYPE,
        'statement type does not match',
      ),
    );
    return {
      attestation_id: parsed.id,
      valid: checks.every((c) => c.ok),
      checks,
      verified_at: this.#clock.now().toISOString(),
    };
  }

  async publish(attestation: Attestation, targets: readonly AttestationTarget[]): Promise<PublishReport> {
    const parsed = parseAttestation(attestation);
    const parsedTargets = targets.map((target) => parseAttestationTarget(target));
    const results: PublishTargetResult[] = [];
    for (const target of parsedTargets) {
      try {
        results.push({
          target,
          status: 'published',
          uri: await this.#publishTo(parsed, target),
          error: null,
        });
      } catch (error) {
        const segError =
          error instanceof SegError
            ? error
            : new SegError({
                error_code: 'SEG_ADAPTER_UNAVAILABLE',
                message: 'publish failed',
                cause: error,
              });
        results.push({ target, status: 'failed', uri: null, error: segError.toJSON() });
      }
    }
    const ok = results.filter((r) => r.status === 'published').length;
    const status = ok === results.length ? 'success' : ok === 0 ? 'failed' : 'partial';
    return { attestation_id: parsed.id, status, results };
  }

  /** Makes publishing to `target` fail (`true`) or work again (`false`). A test helper. */
  set_target_failing(target: AttestationTarget, failing = true): void {
    if (failing) this.#failing.add(targetKey(target));
    else this.#failing.delete(targetKey(target));
  }

  /** The attestation ids published to `target`, in first-publish order. A test helper. */
  published(target: AttestationTarget): string[] {
    return [...(this.#published.get(targetKey(target))?.keys() ?? [])];
  }

  async #publishTo(attestation: Attestation, target: AttestationTarget): Promise<string> {
    const key = targetKey(target);
    if (this.#failing.has(key)) {
      throw new SegError({
        error_code: 'SEG_ADAPTER_UNAVAILABLE',
        message: 'publish target unavailable',
        details: { target: key },
      });
    }
    const done = this.#published.get(key) ?? new Map<string, string>();
    this.#published.set(key, done);
    const previous = done.get(attestation.id);
    if (previous !== undefined) return previous;
    let uri: string;
    switch (target.kind) {
      case 'filesystem':
        uri = `file://${target.path.replace(/\/$/, '')}/${attestation.id}.json`;
        break;
      case 'object_store': {
        if (this.#blobs === undefined) {
          throw new SegError({ error_code: 'SEG_ADAPTER_UNAVAILABLE', message: 'no blob store configured' });
        }
        const blobKey = `${target.prefix}${attestation.id}.json`;
        await this.#blobs.put(blobKey, new TextEncoder().encode(JSON.stringify(attestation)), {
          content_type: 'application/json',
        });
        uri = blobKey;
        break;
      }
      case 'transparency_log': {
        const entries = this.#logs.get(target.log) ?? [];
        entries.push(attestation.id);
        this.#logs.set(target.log, entries);
        uri = `${target.log}#${entries.length - 1}`;
        break;
      }
    }
    done.set(attestation.id, uri);
    return uri;
  }
}

function check(name: string, ok: boolean, reason: string): VerifyCheck {
  return ok ? { name, ok } : { name, ok, reason };
}

function targetKey(target: AttestationTarget): string {
  switch (target.kind) {
    case 'filesystem':
      return `filesystem:${target.path}`;
    case 'object_store':
      return `object_store:${target.prefix}`;
    case 'transparency_log':
      return `transparency_log:${target.log}`;
  }
}

async function verifySignature(
  key: InMemoryTrustedKey,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const algorithm = WEBCRYPTO_VERIFY[key.algorithm];
  if (algorithm === undefined) return false;
  try {
    const publicKey = await globalThis.crypto.subtle.importKey(
      'spki',
      key.public_key.slice(),
      algorithm.import,
      false,
      ['verify'],
    );
    return await globalThis.crypto.subtle.verify(
      algorithm.verify,
      publicKey,
      signature.slice(),
      message.slice(),
    );
  } catch {
    return false;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
