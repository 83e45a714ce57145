import { SegError } from '@neurocipher/seg-contracts';
import type { SignatureAlgorithm, SignerPort } from '../crypto/signer-port.ts';
import { sha256Hex } from './digest.ts';
import type { WebCryptoKey } from './digest.ts';

/** Options of {@link InMemorySigner}: an Ed25519 WebCrypto key pair (use {@link InMemorySigner.generate}). */
export interface InMemorySignerOptions {
  private_key: WebCryptoKey;
  public_key: WebCryptoKey;
  /** SubjectPublicKeyInfo DER of `public_key`. */
  public_key_der: Uint8Array;
  /** Hex sha256 of `public_key_der` unless given. */
  keyid: string;
}

/**
 * An Ed25519 {@link SignerPort} over WebCrypto (`crypto.subtle`), with a key that lives only in memory.
 *
 * Its `keyid` is the hex sha256 of the SubjectPublicKeyInfo DER. That is NOT the securesystemslib keyid
 * (sha256 of the canonical JSON public key) that `@neurocipher/seg-attest`'s signers use; tests that
 * compare key ids with securesystemslib must use that package's signer.
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
    const pair = (await globalThis.crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as unknown as { privateKey: WebCryptoKey; publicKey: WebCryptoKey };
    const der = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', pair.publicKey));
    return new InMemorySigner({
      private_key: pair.privateKey,
      public_key: pair.publicKey,
      public_key_der: der,
      keyid: await sha256Hex(der),
    });
  }

  async public_key(): Promise<Uint8Array> {
    return this.#publicKeyDer.slice();
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    try {
      return new Uint8Array(await globalThis.crypto.subtle.sign({ name: 'Ed25519' }, this.#privateKey, message.slice()));
    } catch (cause) {
      throw new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message: 'the key cannot sign', cause });
    }
  }

  /** Whether `signature` is this key's Ed25519 signature of `message` (a test helper, not part of the port). */
  async verify(message: Uint8Array, signature: Uint8Array): Promise<boolean> {
    return globalThis.crypto.subtle.verify({ name: 'Ed25519' }, this.#publicKey, signature.slice(), message.slice());
  }
}
