import { createHash, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { SegError } from '@neurocipher/seg-contracts';
import { sha256Hex, type SignatureAlgorithm, type SignerPort } from '@neurocipher/seg-ports';
import { awsCall, type RetryPolicy } from '../provider/aws-call.ts';

/** Options of {@link KmsSigner.create}. */
export interface KmsSignerOptions {
  /** A KMS client for the key's account and region. */
  client: KMSClient;
  /** Key id, key ARN, alias name or alias ARN of an `ECC_NIST_P256` / `SIGN_VERIFY` key. */
  keyId: string;
  /** Per-attempt timeout of each KMS call in ms; default 5,000. */
  timeoutMs?: number;
  /** Retry policy of each KMS call; the adapter default when absent. */
  retry?: RetryPolicy;
}

/** KMS's largest RAW message, in bytes. */
const RAW_MESSAGE_LIMIT = 4096;

function pem(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

/**
 * The securesystemslib default keyid of an ECDSA P-256 key: SHA-256 of the canonical
 * `{"keytype":"ecdsa","keyval":{"public":<SPKI PEM>},"scheme":"ecdsa-sha2-nistp256"}`, the PEM with
 * raw newlines (securesystemslib's canonical JSON escapes only `\` and `"`). Same as
 * `SSlibKey.from_crypto(key).keyid` in Python.
 */
export function ecdsaP256Keyid(spki: Uint8Array): string {
  const text = `{"keytype":"ecdsa","keyval":{"public":"${pem(spki)}"},"scheme":"ecdsa-sha2-nistp256"}`;
  return sha256Hex(text);
}

/**
 * A SignerPort backed by an AWS KMS asymmetric key (`ECC_NIST_P256`, `ECDSA_SHA_256`): the private key
 * never leaves KMS. `sign` signs the message (the DSSE PAE) with SHA-256, sending long messages as a
 * locally computed digest, so messages of any size work; the result is a DER ECDSA
 * signature, which openssl, node:crypto and securesystemslib verify over the original message.
 * Errors are SegErrors: `SEG_ADAPTER_UNAVAILABLE`/`SEG_ADAPTER_TIMEOUT` (retryable) when KMS cannot
 * be reached, `SEG_NOT_FOUND` for an unknown key, `SEG_INVALID_ARGUMENT` for a key that cannot sign.
 */
export class KmsSigner implements SignerPort {
  readonly algorithm: SignatureAlgorithm = 'ecdsa-p256-sha256';
  /** securesystemslib keyid of the KMS public key (see {@link ecdsaP256Keyid}). */
  readonly keyid: string;
  /** The KMS key ARN that signs. */
  readonly keyArn: string;
  readonly #client: KMSClient;
  readonly #spki: Uint8Array;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy | undefined;

  private constructor(options: KmsSignerOptions, keyArn: string, spki: Uint8Array) {
    this.#client = options.client;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#retry = options.retry;
    this.keyArn = keyArn;
    this.#spki = spki;
    this.keyid = ecdsaP256Keyid(spki);
  }

  /** Fetches the key's public key, checks that it is a P-256 signing key, and returns the signer. */
  static async create(options: KmsSignerOptions): Promise<KmsSigner> {
    const out = await awsCall(
      { service: 'kms', operation: 'GetPublicKey' },
      (abortSignal) =>
        options.client.send(new GetPublicKeyCommand({ KeyId: options.keyId }), { abortSignal }),
      { timeoutMs: options.timeoutMs ?? 5_000, ...(options.retry ? { retry: options.retry } : {}) },
    );
    // KeySpec and SigningAlgorithms are checked when present (moto omits KeySpec); the public key's
    // curve is always checked below.
    const spec = out.KeySpec ?? out.CustomerMasterKeySpec;
    const algorithms = out.SigningAlgorithms;
    if (
      (spec !== undefined && spec !== 'ECC_NIST_P256') ||
      (algorithms !== undefined && !algorithms.includes('ECDSA_SHA_256')) ||
      out.KeyUsage !== 'SIGN_VERIFY' ||
      !out.PublicKey ||
      !out.KeyId
    ) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'the KMS key is not an ECC_NIST_P256 SIGN_VERIFY key',
        details: { key_spec: out.KeySpec, key_usage: out.KeyUsage },
      });
    }
    const spki = new Uint8Array(out.PublicKey);
    // Refuse a key whose public part does not parse as P-256 before any signature depends on it.
    const curve = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' })
      .asymmetricKeyDetails?.namedCurve;
    if (curve !== 'prime256v1') {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'the KMS public key is not on P-256',
      });
    }
    return new KmsSigner(options, out.KeyId, spki);
  }

  /** SPKI DER of the KMS public key. */
  async public_key(): Promise<Uint8Array> {
    return this.#spki.slice();
  }

  /** SPKI PEM of the KMS public key (what a verifier is given). */
  publicKeyPem(): string {
    return pem(this.#spki);
  }

  /**
   * ECDSA P-256 / SHA-256 signature of `message`, DER-encoded, made by KMS. Messages up to KMS's
   * 4,096-byte limit are sent RAW (KMS hashes them); longer ones are hashed here and sent as a
   * DIGEST. Both give a signature over SHA-256(message).
   */
  async sign(message: Uint8Array): Promise<Uint8Array> {
    const raw = message.length <= RAW_MESSAGE_LIMIT;
    const input = raw ? Buffer.from(message) : createHash('sha256').update(message).digest();
    const out = await awsCall(
      { service: 'kms', operation: 'Sign' },
      (abortSignal) =>
        this.#client.send(
          new SignCommand({
            KeyId: this.keyArn,
            Message: input,
            MessageType: raw ? 'RAW' : 'DIGEST',
            SigningAlgorithm: 'ECDSA_SHA_256',
          }),
          { abortSignal },
        ),
      { timeoutMs: this.#timeoutMs, ...(this.#retry ? { retry: this.#retry } : {}) },
    );
    if (!out.Signature)
      throw new SegError({ error_code: 'SEG_ADAPTER_UNAVAILABLE', message: 'KMS returned no signature' });
    return new Uint8Array(out.Signature);
  }
}
