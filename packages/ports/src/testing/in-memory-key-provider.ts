import { SegError } from '@neurocipher/seg-contracts';
import type { DataKey, KeyProvider } from '../crypto/signer-port.ts';
import type { WebCryptoKey } from './digest.ts';

/** Options of {@link InMemoryKeyProvider}. */
export interface InMemoryKeyProviderOptions {
  /** The master key used when `generate_data_key` gets no id; `local-master` by default. */
  default_key_id?: string;
  /** Further master key ids that exist (the default always does). */
  key_ids?: readonly string[];
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A {@link KeyProvider} whose master keys are non-extractable AES-256-GCM WebCrypto keys made on first use.
 * A wrapped data key is `iv (12 bytes) || AES-GCM ciphertext and tag`, with the master key id as
 * additional data, so a key wrapped under one master key does not unwrap under another.
 */
export class InMemoryKeyProvider implements KeyProvider {
  readonly #defaultKeyId: string;
  readonly #masters = new Map<string, Promise<WebCryptoKey> | null>();

  constructor(options: InMemoryKeyProviderOptions = {}) {
    this.#defaultKeyId = options.default_key_id ?? 'local-master';
    for (const id of [this.#defaultKeyId, ...(options.key_ids ?? [])]) this.#masters.set(id, null);
  }

  async generate_data_key(key_id?: string): Promise<DataKey> {
    const id = key_id ?? this.#defaultKeyId;
    const master = await this.#master(id);
    const plaintext = globalThis.crypto.getRandomValues(new Uint8Array(32));
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const sealed = new Uint8Array(
      await globalThis.crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(id) },
        master,
        plaintext,
      ),
    );
    const ciphertext = new Uint8Array(IV_BYTES + sealed.byteLength);
    ciphertext.set(iv);
    ciphertext.set(sealed, IV_BYTES);
    return { key_id: id, plaintext, ciphertext };
  }

  async decrypt_data_key(key_id: string, ciphertext: Uint8Array): Promise<Uint8Array> {
    const master = await this.#master(key_id);
    if (ciphertext.byteLength < IV_BYTES + TAG_BYTES) throw unwrapFailed(key_id);
    try {
      return new Uint8Array(
        await globalThis.crypto.subtle.decrypt(
          {
            name: 'AES-GCM',
            iv: ciphertext.slice(0, IV_BYTES),
            additionalData: new TextEncoder().encode(key_id),
          },
          master,
          ciphertext.slice(IV_BYTES),
        ),
      );
    } catch (cause) {
      throw unwrapFailed(key_id, cause);
    }
  }

  #master(key_id: string): Promise<WebCryptoKey> {
    if (!this.#masters.has(key_id)) {
      return Promise.reject(
        new SegError({
          error_code: 'SEG_NOT_FOUND',
          message: `unknown master key: ${key_id}`,
          details: { key_id },
        }),
      );
    }
    let master = this.#masters.get(key_id) ?? null;
    if (master === null) {
      master = globalThis.crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
        'encrypt',
        'decrypt',
      ]);
      this.#masters.set(key_id, master);
    }
    return master;
  }
}

function unwrapFailed(key_id: string, cause?: unknown): SegError {
  return new SegError({
    error_code: 'SEG_INVALID_ARGUMENT',
    message: 'the data key does not unwrap under this master key (tampered, or another master key)',
    details: { key_id },
    cause,
  });
}
