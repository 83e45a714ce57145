import type { SignatureAlgorithm } from '@neurocipher/seg-ports';

/**
 * A public key the verifier trusts, with the algorithm it was registered under. The envelope's
 * keyid only selects which trusted key to try; the signature must verify under exactly that key.
 */
export interface TrustedKey {
  /** The keyid this key is registered under. */
  readonly keyid: string;
  /** The algorithm of this key. */
  readonly algorithm: SignatureAlgorithm;
  /** True when `signature` is a valid signature of `message` under this key; never throws. */
  verify(signature: Uint8Array, message: Uint8Array): boolean | Promise<boolean>;
}
