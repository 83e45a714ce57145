import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { SegError } from '@neurocipher/seg-contracts';
import { ed25519TrustedKey, type TrustedKey } from '@neurocipher/seg-attest';
import { sha256Hex } from '@neurocipher/seg-ports';

ed.hashes.sha512 = sha512;

/** The `format` tag of a SIGNATURE file. */
export const SIGNATURE_FORMAT = 'seg-bundle-signature/v1';

/**
 * The SIGNATURE file: a JSON object over the exact bytes of CHECKSUMS.
 * `key_id` is the sha256 (hex) of the raw 32-byte Ed25519 public key; `signature` is the 64-byte
 * Ed25519 signature, base64.
 */
export interface BundleSignature {
  format: typeof SIGNATURE_FORMAT;
  algorithm: 'Ed25519';
  key_id: string;
  signature: string;
}

function loadFailed(message: string, details: Record<string, unknown> = {}, cause?: unknown): SegError {
  return new SegError({ error_code: 'SEG_POLICY_LOAD_FAILED', message, details, cause });
}

function rawPublicKey(key: KeyObject): Uint8Array {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `key is ${key.asymmetricKeyType}, not ed25519`,
    });
  }
  const jwk = key.export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(jwk.x!, 'base64url'));
}

/** The key id of a raw Ed25519 public key: sha256 hex of its 32 bytes. */
export function keyIdOf(publicKey: Uint8Array): string {
  return sha256Hex(publicKey);
}

/**
 * A trusted bundle-signing key (attest's {@link TrustedKey}: Ed25519, strict RFC 8032 verification,
 * registered under {@link keyIdOf} of the key) from an SPKI PEM (`-----BEGIN PUBLIC KEY-----`, as
 * `openssl pkey -pubout` writes and `opa run --verification-key` reads) or from the base64 of the raw
 * 32 bytes.
 */
export function trustedKeyFrom(publicKey: string, label?: string): TrustedKey {
  let raw: Uint8Array;
  if (publicKey.includes('BEGIN PUBLIC KEY')) {
    raw = rawPublicKey(createPublicKey(publicKey));
  } else {
    raw = new Uint8Array(Buffer.from(publicKey.trim(), 'base64'));
    if (raw.length !== 32) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'raw Ed25519 public key must be 32 bytes',
      });
    }
  }
  const key = ed25519TrustedKey(raw, keyIdOf(raw));
  return label === undefined ? key : { ...key, label };
}

/**
 * Parses a trusted-keys file: `{"keys": [{"label": "...", "public_key": "<SPKI PEM or base64 raw>"}]}`.
 * Throws `SEG_INVALID_ARGUMENT` when malformed.
 */
export function parseTrustedKeys(json: string): TrustedKey[] {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (cause) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: 'trusted-keys file is not JSON',
      cause,
    });
  }
  const keys = (doc as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: 'trusted-keys file has no "keys" array',
    });
  }
  return keys.map((k: { label?: unknown; public_key?: unknown }) => {
    if (typeof k.public_key !== 'string') {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'trusted key has no "public_key" string',
      });
    }
    return trustedKeyFrom(k.public_key, typeof k.label === 'string' ? k.label : undefined);
  });
}

/**
 * Signs the exact bytes of CHECKSUMS with an Ed25519 private key (PKCS#8 PEM) and renders the SIGNATURE
 * file text. Pure function: the key comes from the caller.
 */
export function signChecksums(checksums: Uint8Array, privateKeyPem: string): string {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `signing key is ${key.asymmetricKeyType}, not ed25519`,
    });
  }
  const seed = new Uint8Array(Buffer.from(key.export({ format: 'jwk' }).d!, 'base64url'));
  const publicKey = ed.getPublicKey(seed);
  const signature: BundleSignature = {
    format: SIGNATURE_FORMAT,
    algorithm: 'Ed25519',
    key_id: keyIdOf(publicKey),
    signature: Buffer.from(ed.sign(checksums, seed)).toString('base64'),
  };
  return `${JSON.stringify(signature, null, 2)}\n`;
}

/**
 * Verifies SIGNATURE over CHECKSUMS against the trusted keys (an Ed25519 key whose keyid is the
 * SIGNATURE's `key_id`). Returns the signing key. Throws `SEG_POLICY_LOAD_FAILED` when SIGNATURE is
 * malformed or truncated, names an untrusted key, or does not verify.
 */
export async function verifySignature(
  checksums: Uint8Array,
  signatureFile: Uint8Array,
  trustedKeys: readonly TrustedKey[],
): Promise<TrustedKey> {
  let doc: Partial<BundleSignature>;
  try {
    doc = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(signatureFile),
    ) as Partial<BundleSignature>;
  } catch (cause) {
    throw loadFailed('SIGNATURE is not valid JSON (truncated or corrupted)', {}, cause);
  }
  if (
    doc.format !== SIGNATURE_FORMAT ||
    doc.algorithm !== 'Ed25519' ||
    typeof doc.key_id !== 'string' ||
    typeof doc.signature !== 'string'
  ) {
    throw loadFailed(`SIGNATURE is not a ${SIGNATURE_FORMAT} Ed25519 signature`);
  }
  const key = trustedKeys.find((k) => k.keyid === doc.key_id && k.algorithm === 'ed25519');
  if (!key) {
    throw loadFailed('bundle is signed by a key that is not trusted', { key_id: doc.key_id });
  }
  const signature = new Uint8Array(Buffer.from(doc.signature, 'base64'));
  if (signature.length !== 64) {
    throw loadFailed('SIGNATURE holds a signature of the wrong length (truncated?)', {
      key_id: doc.key_id,
      length: signature.length,
    });
  }
  let ok = false;
  try {
    ok = await key.verify(signature, checksums);
  } catch (cause) {
    throw loadFailed('SIGNATURE could not be verified', { key_id: doc.key_id }, cause);
  }
  if (!ok) {
    throw loadFailed('SIGNATURE does not verify over CHECKSUMS', { key_id: doc.key_id });
  }
  return key;
}
