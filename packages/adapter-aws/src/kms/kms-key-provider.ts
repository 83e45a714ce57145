import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import type { DataKey, KeyProvider } from '@neurocipher/seg-ports';
import { awsCall, type RetryPolicy } from '../provider/aws-call.ts';

/** Options of {@link KmsKeyProvider}. */
export interface KmsKeyProviderOptions {
  /** A KMS client for the key's account and region. */
  client: KMSClient;
  /**
   * Key id, key ARN, alias name or alias ARN of a symmetric `ENCRYPT_DECRYPT` key: the master key that
   * wraps every data key. An alias must keep naming the key that wrapped the stored data keys (rotate
   * with KMS automatic key rotation, which keeps the key id).
   */
  keyId: string;
  /** How long an unwrapped data key stays cached, in ms; default 300,000 (5 minutes); 0 caches none. */
  cacheTtlMs?: number;
  /** Most unwrapped data keys cached at once (the least recently used go first); default 1,000; 0 caches none. */
  maxCachedKeys?: number;
  /** Per-attempt timeout of each KMS call in ms; default 5,000. */
  timeoutMs?: number;
  /** Retry policy of each KMS call; the adapter default when absent. */
  retry?: RetryPolicy;
  /** Clock of the cache in ms since the epoch; default `Date.now`. */
  now?: () => number;
}

/**
 * The KMS encryption context of every data key: KMS binds it to the wrapped key (GenerateDataKey and
 * Decrypt must name the same one), and CloudTrail shows it on each call.
 */
export const KMS_DATA_KEY_CONTEXT: Readonly<Record<string, string>> = { 'seg:purpose': 'evidence-data-key' };

const DATA_KEY_BYTES = 32;

type KmsOperation = 'GenerateDataKey' | 'Decrypt';

interface CachedKey {
  plaintext: Uint8Array;
  expires: number;
}

function invalid(message: string, details: Record<string, unknown>): SegError {
  return new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message, details });
}

/**
 * A {@link KeyProvider} whose master key is an AWS KMS symmetric key: `generate_data_key` is KMS
 * GenerateDataKey (AES_256) and `decrypt_data_key` is KMS Decrypt, both under
 * {@link KMS_DATA_KEY_CONTEXT}. The master key never leaves KMS. Data keys (generated or unwrapped)
 * are cached in memory for `cacheTtlMs` and at most `maxCachedKeys` of them (zeroed when they go), so
 * reading many URIs sealed under one data key costs one Decrypt; callers get copies. Plaintext keys are
 * never logged nor put in an error.
 *
 * `key_id` of a data key is the KMS key ARN that wrapped it. A key id that is neither the configured one
 * nor the ARN KMS reports for it is refused (`SEG_NOT_FOUND`, unknown master key), and so is a data key
 * wrapped by another KMS key (`SEG_INVALID_ARGUMENT`: it does not unwrap under this master key).
 * Errors: `SEG_NOT_FOUND` for a master key that does not exist; `SEG_INVALID_ARGUMENT` when KMS refuses
 * access to the key, the key is disabled or cannot encrypt, or a wrapped key does not unwrap (tampered,
 * another key, another context); `SEG_ADAPTER_UNAVAILABLE`/`SEG_ADAPTER_TIMEOUT` (retryable) when KMS
 * cannot be reached or keeps throttling (throttles are retried with backoff first).
 */
export class KmsKeyProvider implements KeyProvider {
  readonly #client: KMSClient;
  readonly #keyId: string;
  readonly #ttl: number;
  readonly #max: number;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy | undefined;
  readonly #now: () => number;
  // ARNs KMS reported for the configured key (one, unless an alias was moved).
  readonly #arns = new Set<string>();
  // Unwrapped data keys by wrapped key (base64), least recently used first.
  readonly #cache = new Map<string, CachedKey>();

  /** Creates the provider; nothing is called until the first data key is asked for. */
  constructor(options: KmsKeyProviderOptions) {
    const ttl = options.cacheTtlMs ?? 300_000;
    const max = options.maxCachedKeys ?? 1_000;
    if (options.keyId.trim() === '') throw invalid('the KMS master key id is empty', { option: 'keyId' });
    if (!Number.isFinite(ttl) || ttl < 0)
      throw invalid(`cacheTtlMs must be a non-negative number of ms, got ${ttl}`, { option: 'cacheTtlMs' });
    if (!Number.isSafeInteger(max) || max < 0)
      throw invalid(`maxCachedKeys must be a non-negative integer, got ${max}`, { option: 'maxCachedKeys' });
    this.#client = options.client;
    this.#keyId = options.keyId;
    this.#ttl = ttl;
    this.#max = max;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#retry = options.retry;
    this.#now = options.now ?? Date.now;
  }

  /** A fresh AES-256 data key wrapped by the master key; `key_id` is the KMS key's ARN. */
  async generate_data_key(key_id?: string): Promise<DataKey> {
    if (key_id !== undefined) this.#refuseOther(key_id);
    const out = await this.#call('GenerateDataKey', (abortSignal) =>
      this.#client.send(
        new GenerateDataKeyCommand({
          KeyId: this.#keyId,
          KeySpec: 'AES_256',
          EncryptionContext: { ...KMS_DATA_KEY_CONTEXT },
        }),
        { abortSignal },
      ),
    );
    const plaintext = out.Plaintext;
    const ciphertext = out.CiphertextBlob;
    if (!plaintext || plaintext.length !== DATA_KEY_BYTES || !ciphertext || !out.KeyId) {
      plaintext?.fill(0);
      throw new SegError({
        error_code: 'SEG_ADAPTER_UNAVAILABLE',
        message: 'KMS GenerateDataKey returned no 32-byte data key',
        details: { service: 'kms', operation: 'GenerateDataKey' },
      });
    }
    this.#arns.add(out.KeyId);
    if (key_id !== undefined) this.#refuseOrZero(key_id, plaintext);
    this.#remember(Buffer.from(ciphertext).toString('base64'), plaintext);
    return { key_id: out.KeyId, plaintext, ciphertext };
  }

  /**
   * The plaintext of a data key wrapped by this master key: from the cache while it holds it, else KMS
   * Decrypt (named key, same encryption context).
   */
  async decrypt_data_key(key_id: string, ciphertext: Uint8Array): Promise<Uint8Array> {
    this.#refuseOther(key_id);
    const cacheKey = Buffer.from(ciphertext).toString('base64');
    const cached = this.#cached(cacheKey);
    if (cached) return cached;
    const out = await this.#call('Decrypt', (abortSignal) =>
      this.#client.send(
        new DecryptCommand({
          KeyId: this.#keyId,
          CiphertextBlob: ciphertext,
          EncryptionContext: { ...KMS_DATA_KEY_CONTEXT },
        }),
        { abortSignal },
      ),
    );
    const plaintext = out.Plaintext;
    if (!plaintext || plaintext.length !== DATA_KEY_BYTES || !out.KeyId) {
      plaintext?.fill(0);
      throw invalid('the wrapped key does not unwrap to a 32-byte data key under the KMS master key', {
        key_id: this.#keyId,
      });
    }
    this.#arns.add(out.KeyId);
    this.#refuseOrZero(key_id, plaintext);
    this.#remember(cacheKey, plaintext);
    return plaintext;
  }

  // Refuses a key id that is known not to be this provider's master key.
  #refuseOther(key_id: string): void {
    if (key_id === this.#keyId || this.#arns.has(key_id) || this.#arns.size === 0) return;
    throw new SegError({
      error_code: 'SEG_NOT_FOUND',
      message: `unknown master key ${key_id}: this provider wraps data keys with KMS key ${this.#keyId}`,
      details: { key_id, master_key: this.#keyId },
    });
  }

  // Refuses as above once KMS has named its key, zeroing the data key it answered with.
  #refuseOrZero(key_id: string, plaintext: Uint8Array): void {
    try {
      this.#refuseOther(key_id);
    } catch (err) {
      plaintext.fill(0);
      throw err;
    }
  }

  #cached(cacheKey: string): Uint8Array | undefined {
    const hit = this.#cache.get(cacheKey);
    if (!hit) return undefined;
    this.#cache.delete(cacheKey);
    if (hit.expires <= this.#now()) {
      hit.plaintext.fill(0);
      return undefined;
    }
    this.#cache.set(cacheKey, hit);
    return hit.plaintext.slice();
  }

  // Caches a copy of a data key (the caller keeps the one it was given).
  #remember(cacheKey: string, plaintext: Uint8Array): void {
    if (this.#ttl === 0 || this.#max === 0) return;
    this.#cache.get(cacheKey)?.plaintext.fill(0);
    this.#cache.delete(cacheKey);
    this.#cache.set(cacheKey, { plaintext: plaintext.slice(), expires: this.#now() + this.#ttl });
    for (const [key, entry] of this.#cache) {
      if (this.#cache.size <= this.#max) break;
      entry.plaintext.fill(0);
      this.#cache.delete(key);
    }
  }

  // One KMS call through the adapter's retry (throttles and transient faults) and error mapping.
  async #call<T>(operation: KmsOperation, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await awsCall({ service: 'kms', operation }, send, {
        timeoutMs: this.#timeoutMs,
        ...(this.#retry ? { retry: this.#retry } : {}),
      });
    } catch (err) {
      throw this.#keyError(err, operation);
    }
  }

  // The KMS failures named for what they mean to a key provider; anything else as awsCall mapped it.
  #keyError(err: unknown, operation: KmsOperation): unknown {
    if (!isSegError(err)) return err;
    const aws = err.details['aws_error'];
    const as = (error_code: 'SEG_INVALID_ARGUMENT' | 'SEG_NOT_FOUND', message: string) =>
      new SegError({ error_code, message, details: { ...err.details, key_id: this.#keyId }, cause: err });
    switch (aws) {
      case 'NotFoundException':
        return as('SEG_NOT_FOUND', `KMS master key ${this.#keyId} does not exist`);
      case 'InvalidCiphertextException':
      case 'IncorrectKeyException':
        return as(
          'SEG_INVALID_ARGUMENT',
          `the wrapped key does not unwrap under KMS master key ${this.#keyId}`,
        );
      case 'AccessDeniedException':
        return as(
          'SEG_INVALID_ARGUMENT',
          operation === 'Decrypt'
            ? `KMS refused to unwrap the key under master key ${this.#keyId}: it was wrapped by another key, or kms:Decrypt on this key is denied`
            : `KMS denied kms:GenerateDataKey on master key ${this.#keyId} (check the key policy and IAM permissions)`,
        );
      case 'DisabledException':
      case 'KMSInvalidStateException':
      case 'InvalidKeyUsageException':
        return as('SEG_INVALID_ARGUMENT', `KMS master key ${this.#keyId} cannot wrap data keys (${aws})`);
      default:
        return err;
    }
  }
}
