import { sha512 } from '@noble/hashes/sha2.js';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { concatBytes, fromHex, utf8 } from '../encoding/bytes.ts';
import type { SignerPort } from '@neurocipher/seg-ports';
import type { TrustedKey } from '../dsse/signer.ts';
import { invalidArgument } from '../errors.ts';
import { securesystemslibKeyid } from './keyid.ts';
import { decodePem, encodePem, startsWith } from './pem.ts';

/** ML-DSA-65 public key length (FIPS 204). */
const PUBLIC_KEY_BYTES = 1952;
/** DER prefix of an ML-DSA-65 SubjectPublicKeyInfo (OID 2.16.840.1.101.3.4.3.18); the key follows. */
const SPKI_PREFIX = fromHex('308207b2300b0609608648016503040312038207a100') as Uint8Array;

/** securesystemslib key type and scheme of ML-DSA-65 keys (TUF TAP 21, version 1). */
export const ML_DSA_65_KEYTYPE = 'ml-dsa';
/** securesystemslib scheme name of ML-DSA-65 keys (TUF TAP 21, version 1). */
export const ML_DSA_65_SCHEME = 'ml-dsa-65/1';

/**
 * The message ML-DSA actually signs for a DSSE PAE: `"tuf" || 0x01 || SHA-512(pae)` (TAP 21 v1),
 * with pure ML-DSA and an empty context. This is what securesystemslib >= 1.5 verifies, so the
 * second signature is independently checkable, not just ours.
 */
export function mlDsaMessage(pae: Uint8Array): Uint8Array {
  return concatBytes(utf8('tuf'), Uint8Array.of(1), sha512(pae));
}

/** SPKI PEM of an ML-DSA-65 public key (what pyca `load_pem_public_key` reads). */
export function mlDsa65PublicKeyPem(publicKey: Uint8Array): string {
  return encodePem('PUBLIC KEY', concatBytes(SPKI_PREFIX, publicKey));
}

/** The raw ML-DSA-65 public key in an SPKI PEM; throws `SEG_INVALID_ARGUMENT` otherwise. */
export function parseMlDsa65PublicKey(pemText: string): Uint8Array {
  const pem = decodePem(pemText);
  if (
    pem?.label !== 'PUBLIC KEY' ||
    pem.der.length !== SPKI_PREFIX.length + PUBLIC_KEY_BYTES ||
    !startsWith(pem.der, SPKI_PREFIX)
  ) {
    throw invalidArgument('expected an ML-DSA-65 SPKI PEM public key');
  }
  return pem.der.slice(SPKI_PREFIX.length);
}

/** The securesystemslib default keyid of an ML-DSA-65 key (keyval.public is its SPKI PEM). */
export function mlDsa65Keyid(publicKey: Uint8Array): string {
  return securesystemslibKeyid(ML_DSA_65_KEYTYPE, ML_DSA_65_SCHEME, mlDsa65PublicKeyPem(publicKey));
}

/** Options of {@link MlDsa65Signer}. */
export interface MlDsa65SignerOptions {
  /** The 32-byte key-generation seed (FIPS 204 ξ). Secret material. */
  seed: Uint8Array;
}

/**
 * ML-DSA-65 (FIPS 204) signer for the optional second, post-quantum signature of an envelope
 * (spec §6.5 upgrade path). Signs the TAP 21 message of the PAE; hedged (randomised) signing.
 */
export class MlDsa65Signer implements SignerPort {
  readonly algorithm = 'ml-dsa-65' as const;
  /** The envelope keyid of this key. */
  readonly keyid: string;
  /** The 1952-byte public key. */
  readonly publicKey: Uint8Array;
  readonly #secretKey: Uint8Array;

  constructor(options: MlDsa65SignerOptions) {
    if (options.seed.length !== 32) throw invalidArgument('an ML-DSA-65 seed is 32 bytes');
    const { publicKey, secretKey } = ml_dsa65.keygen(options.seed);
    this.publicKey = publicKey;
    this.#secretKey = secretKey;
    this.keyid = mlDsa65Keyid(publicKey);
  }

  /** A signer with a fresh random seed (tests, demos). */
  static generate(): MlDsa65Signer {
    return new MlDsa65Signer({ seed: randomBytes(32) });
  }

  /** SPKI PEM of the public key. */
  publicKeyPem(): string {
    return mlDsa65PublicKeyPem(this.publicKey);
  }

  /** The public key as SubjectPublicKeyInfo DER (SignerPort contract). */
  async public_key(): Promise<Uint8Array> {
    return concatBytes(SPKI_PREFIX, this.publicKey);
  }

  /** The trusted-key entry a verifier registers for this signer. */
  trustedKey(): TrustedKey {
    return mlDsa65TrustedKey(this.publicKey);
  }

  /** Signs the PAE bytes (through {@link mlDsaMessage}); returns the 3309-byte signature. */
  async sign(message: Uint8Array): Promise<Uint8Array> {
    return ml_dsa65.sign(mlDsaMessage(message), this.#secretKey);
  }
}

/** A verifier's trusted ML-DSA-65 key (raw bytes or SPKI PEM), under its securesystemslib keyid by default. */
export function mlDsa65TrustedKey(publicKey: Uint8Array | string, keyid?: string): TrustedKey {
  const key = typeof publicKey === 'string' ? parseMlDsa65PublicKey(publicKey) : publicKey;
  if (key.length !== PUBLIC_KEY_BYTES) throw invalidArgument('an ML-DSA-65 public key is 1952 bytes');
  return {
    keyid: keyid ?? mlDsa65Keyid(key),
    algorithm: 'ml-dsa-65',
    verify: (signature, message) => {
      try {
        return ml_dsa65.verify(signature, mlDsaMessage(message), key);
      } catch {
        return false;
      }
    },
  };
}
