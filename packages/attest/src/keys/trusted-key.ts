import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import type { SignatureAlgorithm, SignerPort } from '@neurocipher/seg-ports';
import type { TrustedKey } from '../dsse/signer.ts';
import { invalidArgument } from '../errors.ts';
import { ed25519TrustedKey, parseEd25519PublicKey } from './ed25519.ts';
import { mlDsa65TrustedKey, parseMlDsa65PublicKey } from './ml-dsa.ts';
import { encodePem } from './pem.ts';

/** A trusted ECDSA P-256 / SHA-256 key (DER signatures, as AWS KMS returns), from SPKI PEM or DER. */
export function ecdsaP256TrustedKey(publicKey: string | Uint8Array, keyid: string): TrustedKey {
  let key;
  try {
    key = createPublicKey(
      typeof publicKey === 'string'
        ? publicKey
        : { key: Buffer.from(publicKey), format: 'der', type: 'spki' },
    );
  } catch (cause) {
    throw invalidArgument('not an SPKI public key', { cause: String(cause) });
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw invalidArgument('expected an ECDSA P-256 public key');
  }
  return {
    keyid,
    algorithm: 'ecdsa-p256-sha256',
    verify: (signature, message) => {
      try {
        return cryptoVerify('sha256', message, { key, dsaEncoding: 'der' }, signature);
      } catch {
        return false;
      }
    },
  };
}

/** A trusted key from an algorithm, an SPKI DER public key and a keyid (what a key registry stores). */
export function trustedKeyFromSpki(
  algorithm: SignatureAlgorithm,
  spki: Uint8Array,
  keyid: string,
): TrustedKey {
  const pem = encodePem('PUBLIC KEY', spki);
  switch (algorithm) {
    case 'ed25519':
      return ed25519TrustedKey(parseEd25519PublicKey(pem), keyid);
    case 'ml-dsa-65':
      return mlDsa65TrustedKey(parseMlDsa65PublicKey(pem), keyid);
    case 'ecdsa-p256-sha256':
      return ecdsaP256TrustedKey(spki, keyid);
  }
}

/** The trusted key matching a signer (its SPKI public key, algorithm and keyid). */
export async function trustedKeyFromSigner(signer: SignerPort): Promise<TrustedKey> {
  return trustedKeyFromSpki(signer.algorithm, await signer.public_key(), signer.keyid);
}
