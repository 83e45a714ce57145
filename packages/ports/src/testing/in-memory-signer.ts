import { SegError } from '@neurocipher/seg-contracts';
import type { SignatureAlgorithm, SignerPort } from '../crypto/signer-port.ts';
import { sha256Hex } from '../digest/sha256-hex.ts';
import { toHex } from './digest.ts';
import type { WebCryptoKey } from './digest.ts';

/** Options of {@link InMemorySigner}: an Ed25519 WebCrypto key pair (use {@link InMemorySigner.generate}). */
export interface InMemorySignerOptions {
  private_key: WebCryptoKey;
  public_key: WebCryptoKey;
  /** SubjectPublicKeyInfo DER of `public_key`. */
  public_key_der: Uint8Array;
  /** The key id; {@link InMemorySigner.generate} uses {@link ed25519KeyId} of the public key. */
  keyid: string;
}

/**
 * The securesystemslib keyid of an Ed25519 public key (32 raw bytes): the hex sha256 of the canonical JSON
 * `{"keytype":"ed25519","keyval":{"public":"<hex>"},"scheme":"ed25519"}`, as `SSlibKey` computes it.
 */
export async function ed25519KeyId(raw_public_key: Uint8Array): Promise<string> {
  if (raw_public_key.byteLength !== 32) throw new TypeError('an Ed25519 public key is 32 bytes');
  return sha256Hex(`{"keytype":"ed25519","keyval":{"public":"${toHex(raw_public_key)}"},"scheme":"ed25519"}`);
}

/**
 * An Ed25519 {@link SignerPort} over WebCrypto (`crypto.subtle`), with a key that lives only in memory.
 * Keys made by {@link InMemorySigner.generate} carry the securesystemslib keyid ({@link ed25519KeyId}),
 * as the port requires, so their signatures can be checked by securesystemslib-based verifiers.
 */
export class InMemorySigner implements SignerPort {
  readonly keyid: string;
  readonly algorithm: SignatureAlgorithm = 'ed25519';
  readonly #privateKey: WebCryptoKey;
  readonly #publicKey: WebCryptoKey;
  readonly #publicKeyDer: Uint8Array;

  constructor(options: InMemorySignerOptions) {
    this.#privateKey = options.private_key;
    this.#publicKey = options.public_key;
    this.#publicKeyDer = options.public_key_der.slice();
    this.keyid = options.keyid;
  }

  /** A signer with a fresh Ed25519 key pair. */
  static async generate(): Promise<InMemorySigner> {
    const pair = (await globalThis.crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as unknown as { privateKey: WebCryptoKey; publicKey: WebCryptoKey };
    const der = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', pair.publicKey));
    return new InMemorySigner({
      private_key: pair.privateKey,
      public_key: pair.publicKey,
      public_key_der: der,
      keyid: await ed25519KeyId(
        new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', pair.publicKey)),
      ),
    });
  }

  async public_key(): Promise<Uint8Array> {
    return this.#publicKeyDer.slice();
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    try {
      return new Uint8Array(
        await globalThis.crypto.subtle.sign({ name: 'Ed25519' }, this.#privateKey, message.slice()),
      );
    } catch (cause) {
      throw new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message: 'the key cannot sign', cause });
    }
  }

  /** Whether `signature` is this key's Ed25519 signature of `message` (a test helper, not part of the port). */
  async verify(message: Uint8Array, signature: Uint8Array): Promise<boolean> {
    return globalThis.crypto.subtle.verify(
      { name: 'Ed25519' },
      this.#publicKey,
      signature.slice(),
      message.slice(),
    );
  }
}
