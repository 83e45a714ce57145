import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { decodeBase64 } from '../encoding/base64.ts';
import { bytesEqual, concatBytes, fromHex, toHex } from '../encoding/bytes.ts';
import type { SignerPort } from '@neurocipher/seg-ports';
import type { TrustedKey } from '../dsse/signer.ts';
import { invalidArgument } from '../errors.ts';
import { securesystemslibKeyid } from './keyid.ts';
import { decodePem, encodePem, startsWith } from './pem.ts';

// Synchronous noble API needs a SHA-512; the async one would go through WebCrypto.
ed.hashes.sha512 = sha512;

/** DER prefix of an RFC 8410 Ed25519 SubjectPublicKeyInfo; the 32-byte key follows. */
const SPKI_PREFIX = fromHex('302a300506032b6570032100') as Uint8Array;
/** DER prefix of an RFC 8410 Ed25519 PKCS#8 private key (v1, no public key); the 32-byte seed follows. */
const PKCS8_PREFIX = fromHex('302e020100300506032b657004220420') as Uint8Array;

/** An Ed25519 key in JWK form (RFC 8037). */
export interface Ed25519Jwk {
  kty: 'OKP';
  crv: 'Ed25519';
  /** base64url public key. */
  x: string;
  /** base64url seed (private keys only). */
  d?: string;
}

function jwkBytes(value: unknown, field: 'x' | 'd'): Uint8Array {
  const bytes = typeof value === 'string' ? decodeBase64(value) : undefined;
  if (bytes?.length !== 32) throw invalidArgument(`Ed25519 JWK field "${field}" is not 32 base64url bytes`);
  return bytes;
}

function asJwk(key: unknown): Record<string, unknown> | undefined {
  if (typeof key === 'object' && key !== null) return key as Record<string, unknown>;
  if (typeof key === 'string' && key.trimStart().startsWith('{')) {
    try {
      return JSON.parse(key) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function checkJwkShape(jwk: Record<string, unknown>): void {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') throw invalidArgument('JWK is not an Ed25519 OKP key');
}

/**
 * The 32-byte Ed25519 seed of a private key given as PEM PKCS#8 (`-----BEGIN PRIVATE KEY-----`,
 * RFC 8410) or as a JWK (object or JSON text, `{kty:"OKP",crv:"Ed25519",d,x}`). When a JWK carries
 * `x`, it must match the public key derived from `d`. Throws `SEG_INVALID_ARGUMENT` otherwise.
 */
export function parseEd25519PrivateKey(key: string | Ed25519Jwk): Uint8Array {
  const jwk = asJwk(key);
  if (jwk) {
    checkJwkShape(jwk);
    const seed = jwkBytes(jwk.d, 'd');
    if (jwk.x !== undefined && !bytesEqual(jwkBytes(jwk.x, 'x'), ed.getPublicKey(seed))) {
      throw invalidArgument('Ed25519 JWK "x" does not match its private key');
    }
    return seed;
  }
  const pem = decodePem(key as string);
  if (pem?.label !== 'PRIVATE KEY' || pem.der.length !== 48 || !startsWith(pem.der, PKCS8_PREFIX)) {
    throw invalidArgument('expected an Ed25519 PKCS#8 PEM private key or an Ed25519 JWK');
  }
  return pem.der.slice(PKCS8_PREFIX.length);
}

/**
 * The 32-byte Ed25519 public key given as SPKI PEM (`-----BEGIN PUBLIC KEY-----`), a JWK, or 64 hex
 * characters (the securesystemslib `keyval.public` form). Throws `SEG_INVALID_ARGUMENT` otherwise.
 */
export function parseEd25519PublicKey(key: string | Ed25519Jwk): Uint8Array {
  const jwk = asJwk(key);
  if (jwk) {
    checkJwkShape(jwk);
    return jwkBytes(jwk.x, 'x');
  }
  const text = (key as string).trim();
  const hex = /^[0-9a-fA-F]{64}$/.test(text) ? fromHex(text) : undefined;
  if (hex) return hex;
  const pem = decodePem(text);
  if (pem?.label !== 'PUBLIC KEY' || pem.der.length !== 44 || !startsWith(pem.der, SPKI_PREFIX)) {
    throw invalidArgument('expected an Ed25519 SPKI PEM public key, an Ed25519 JWK or 64 hex characters');
  }
  return pem.der.slice(SPKI_PREFIX.length);
}

/** SPKI PEM (RFC 8410) of a 32-byte Ed25519 public key: what openssl and pyca load. */
export function ed25519PublicKeyPem(publicKey: Uint8Array): string {
  return encodePem('PUBLIC KEY', concatBytes(SPKI_PREFIX, publicKey));
}

/** PKCS#8 PEM (RFC 8410) of a 32-byte Ed25519 seed. Secret material: never log it. */
export function ed25519PrivateKeyPem(seed: Uint8Array): string {
  return encodePem('PRIVATE KEY', concatBytes(PKCS8_PREFIX, seed));
}

/** The securesystemslib default keyid of an Ed25519 public key (keytype and scheme `ed25519`). */
export function ed25519Keyid(publicKey: Uint8Array): string {
  return securesystemslibKeyid('ed25519', 'ed25519', toHex(publicKey));
}

/** Strict RFC 8032 / FIPS 186-5 verification (`zip215: false`): rejects non-canonical encodings. */
export function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  try {
    return ed.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** Options of {@link Ed25519Signer}. */
export interface Ed25519SignerOptions {
  /** PEM PKCS#8 text, a JWK (object or JSON text), or the raw 32-byte seed. */
  privateKey: string | Ed25519Jwk | Uint8Array;
}

/**
 * Signs with a local Ed25519 key (pure Ed25519, RFC 8032, deterministic). Its keyid is the
 * securesystemslib default keyid, so Python securesystemslib matches signatures to the key.
 */
export class Ed25519Signer implements SignerPort {
  readonly algorithm = 'ed25519' as const;
  /** The envelope keyid of this key. */
  readonly keyid: string;
  /** The 32-byte public key. */
  readonly publicKey: Uint8Array;
  readonly #seed: Uint8Array;

  constructor(options: Ed25519SignerOptions) {
    const { privateKey } = options;
    if (privateKey instanceof Uint8Array) {
      if (privateKey.length !== 32) throw invalidArgument('an Ed25519 seed is 32 bytes');
      this.#seed = privateKey.slice();
    } else {
      this.#seed = parseEd25519PrivateKey(privateKey);
    }
    this.publicKey = ed.getPublicKey(this.#seed);
    this.keyid = ed25519Keyid(this.publicKey);
  }

  /** A signer with a fresh random key (tests, demos). */
  static generate(): Ed25519Signer {
    return new Ed25519Signer({ privateKey: ed.utils.randomSecretKey() });
  }

  /** SPKI PEM of the public key. */
  publicKeyPem(): string {
    return ed25519PublicKeyPem(this.publicKey);
  }

  /** The public key as SubjectPublicKeyInfo DER (SignerPort contract). */
  async public_key(): Promise<Uint8Array> {
    return concatBytes(SPKI_PREFIX, this.publicKey);
  }

  /** The trusted-key entry a verifier registers for this signer. */
  trustedKey(): TrustedKey {
    return ed25519TrustedKey(this.publicKey);
  }

  /** Signs the message (the PAE bytes) and returns the 64-byte signature. */
  async sign(message: Uint8Array): Promise<Uint8Array> {
    return ed.sign(message, this.#seed);
  }
}

/**
 * A verifier's trusted Ed25519 key (public key as bytes, SPKI PEM, JWK or hex), registered under
 * its securesystemslib keyid unless `keyid` is given; verification is strict RFC 8032.
 */
export function ed25519TrustedKey(publicKey: Uint8Array | string | Ed25519Jwk, keyid?: string): TrustedKey {
  const key = publicKey instanceof Uint8Array ? publicKey : parseEd25519PublicKey(publicKey);
  if (key.length !== 32) throw invalidArgument('an Ed25519 public key is 32 bytes');
  return {
    keyid: keyid ?? ed25519Keyid(key),
    algorithm: 'ed25519',
    verify: (signature, message) => verifyEd25519(signature, message, key),
  };
}
