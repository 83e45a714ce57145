// Envelope encryption of evidence URIs (AES-256-GCM under a data key that a KeyProvider issues and wraps).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SegError } from '@neurocipher/seg-contracts';
import type { DataKey, KeyProvider } from '@neurocipher/seg-ports';

const PREFIX = 'seg-enc:v1:';

/** AES-256-GCM encrypt: returns iv (12) ‖ ciphertext ‖ tag (16). */
export function aesGcmEncrypt(key: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  if (aad) c.setAAD(aad);
  return Buffer.concat([iv, c.update(plaintext), c.final(), c.getAuthTag()]);
}

/** AES-256-GCM decrypt of {@link aesGcmEncrypt} output; throws on any tampering. */
export function aesGcmDecrypt(key: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Buffer {
  const buf = Buffer.from(sealed);
  if (buf.length < 28) throw new Error('ciphertext too short');
  const d = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
  if (aad) d.setAAD(aad);
  d.setAuthTag(buf.subarray(buf.length - 16));
  return Buffer.concat([d.update(buf.subarray(12, buf.length - 16)), d.final()]);
}

/** Options of {@link UriSealer}. */
export interface UriSealerOptions {
  keys: KeyProvider;
  /** Master key id passed to the provider (its default when absent). */
  keyId?: string;
}

/**
 * Seals strings (evidence URIs) as `seg-enc:v1:<key id>:<wrapped data key>:<iv‖ciphertext‖tag>`. One
 * data key per sealer (make one per commit); unwrapped keys are cached for reads.
 */
export class UriSealer {
  readonly #keys: KeyProvider;
  readonly #keyId: string | undefined;
  #dataKey: Promise<DataKey> | undefined;
  readonly #unwrapped = new Map<string, Promise<Uint8Array>>();

  /** Creates a sealer over a key provider. */
  constructor(options: UriSealerOptions) {
    this.#keys = options.keys;
    this.#keyId = options.keyId;
  }

  /** Whether a string is sealed. */
  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  /** Encrypts a string under this sealer's data key. */
  async seal(plaintext: string): Promise<string> {
    this.#dataKey ??= this.#keys.generate_data_key(this.#keyId);
    const dk = await this.#dataKey;
    const wrapped = Buffer.from(dk.ciphertext).toString('base64url');
    const aad = Buffer.from(`${dk.key_id}:${wrapped}`);
    const ct = aesGcmEncrypt(dk.plaintext, Buffer.from(plaintext, 'utf8'), aad).toString('base64url');
    return `${PREFIX}${encodeURIComponent(dk.key_id)}:${wrapped}:${ct}`;
  }

  /** Decrypts a sealed string; throws `SEG_INVALID_ARGUMENT` when it was tampered with. */
  async open(sealed: string): Promise<string> {
    const parts = sealed.slice(PREFIX.length).split(':');
    if (!sealed.startsWith(PREFIX) || parts.length !== 3) {
      throw new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message: 'not a sealed value' });
    }
    const [keyIdEnc, wrapped, ct] = parts as [string, string, string];
    const keyId = decodeURIComponent(keyIdEnc);
    let key = this.#unwrapped.get(wrapped);
    if (!key) {
      key = this.#keys.decrypt_data_key(keyId, Buffer.from(wrapped, 'base64url'));
      this.#unwrapped.set(wrapped, key);
    }
    let dataKey: Uint8Array;
    try {
      dataKey = await key;
    } catch (err) {
      this.#unwrapped.delete(wrapped);
      throw err;
    }
    try {
      const aad = Buffer.from(`${keyId}:${wrapped}`);
      return aesGcmDecrypt(dataKey, Buffer.from(ct, 'base64url'), aad).toString('utf8');
    } catch (cause) {
      this.#unwrapped.delete(wrapped);
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'sealed value does not decrypt',
        cause,
      });
    }
  }
}
