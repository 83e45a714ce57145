import type { SignatureAlgorithm } from '@neurocipher/seg-ports';

/**
 * A public key a verifier trusts, with the algorithm it was registered under: the one trusted-key type
 * of SEG, for DSSE envelopes and for policy bundle signatures (core's `verifySignature`) alike. A
 * signature's keyid only selects which trusted key to try; the signature must verify under exactly that
 * key.
 */
export interface TrustedKey {
  /** The keyid this key is registered under. */
  readonly keyid: string;
  /** The algorithm of this key. */
  readonly algorithm: SignatureAlgorithm;
  /** A human label: who holds the private half (`development` keys are never production keys). */
  readonly label?: string;
  /** True when `signature` is a valid signature of `message` under this key; never throws. */
  verify(signature: Uint8Array, message: Uint8Array): boolean | Promise<boolean>;
}
