import type { PortId } from '../ids/port-id.ts';

/** Signature algorithms a signer may use. */
export type SignatureAlgorithm = 'ed25519' | 'ecdsa-p256-sha256' | 'ml-dsa-65';

/**
 * Signs bytes with one private key that never leaves the signer (a local key file, AWS KMS, an HSM).
 * Deterministic for Ed25519 and ML-DSA (hedged randomness aside); ECDSA signatures differ per call.
 *
 * Errors: `SEG_ADAPTER_UNAVAILABLE` (retryable) when a remote key service cannot be reached,
 * `SEG_ADAPTER_TIMEOUT` (retryable) when it does not answer in time, `SEG_INVALID_ARGUMENT` when the key
 * cannot sign.
 */
export interface SignerPort {
  /** Stable key id (for Ed25519 keys: the securesystemslib keyid, hex sha256 of the canonical public key). */
  readonly keyid: string;
  readonly algorithm: SignatureAlgorithm;
  /** The public key, SubjectPublicKeyInfo DER. */
  public_key(): Promise<Uint8Array>;
  /** Signs `message` (the whole message; the signer hashes it if its algorithm needs to). */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** Inversion-of-control id of {@link SignerPort}. */
export const SignerPortId: PortId<SignerPort> = Symbol.for('seg.ports.SignerPort');

/** A data key for envelope encryption: use `plaintext` once, store only `ciphertext`. */
export interface DataKey {
  key_id: string;
  /** 32 bytes for AES-256-GCM. */
  plaintext: Uint8Array;
  /** The data key wrapped by the key provider's master key. */
  ciphertext: Uint8Array;
}

/**
 * Issues and unwraps data keys for envelope encryption (spec §12: evidence pointers with URIs are
 * envelope-encrypted). A local master key by default, AWS KMS in production.
 *
 * Errors: `SEG_NOT_FOUND` for an unknown master key, `SEG_INVALID_ARGUMENT` when a wrapped key does not
 * unwrap (tampered or another master key), `SEG_ADAPTER_UNAVAILABLE` (retryable) when remote.
 */
export interface KeyProvider {
  /** A fresh data key under master key `key_id` (the provider's default when absent). */
  generate_data_key(key_id?: string): Promise<DataKey>;
  /** The plaintext of a data key returned earlier by {@link KeyProvider.generate_data_key}. */
  decrypt_data_key(key_id: string, ciphertext: Uint8Array): Promise<Uint8Array>;
}

/** Inversion-of-control id of {@link KeyProvider}. */
export const KeyProviderId: PortId<KeyProvider> = Symbol.for('seg.ports.KeyProvider');
