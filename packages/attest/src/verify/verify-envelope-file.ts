import { createPublicKey } from 'node:crypto';
import { parseEnvelope } from '../dsse/envelope.ts';
import type { TrustedKey } from '../dsse/signer.ts';
import { verifyEnvelope, type VerifiedSignature } from '../dsse/verify-envelope.ts';
import { invalidArgument } from '../errors.ts';
import { ed25519TrustedKey, parseEd25519PublicKey } from '../keys/ed25519.ts';
import { securesystemslibKeyid } from '../keys/keyid.ts';
import { mlDsa65TrustedKey, parseMlDsa65PublicKey } from '../keys/ml-dsa.ts';
import { ecdsaP256TrustedKey } from '../keys/trusted-key.ts';
import { decodePem, encodePem } from '../keys/pem.ts';
import type { FileSystemPort } from '../publish/file-system-port.ts';
import { parseStatement, type ParsedStatement } from '../statement/statement.ts';

/**
 * The trusted key of a public-key file: Ed25519 (SPKI PEM, JWK or hex), ML-DSA-65 (SPKI PEM) or
 * ECDSA P-256 (SPKI PEM), registered under its securesystemslib default keyid (for P-256:
 * keytype `ecdsa`, scheme `ecdsa-sha2-nistp256`, public = the PEM). Throws `SEG_INVALID_ARGUMENT`.
 */
export function trustedKeyFromPublicKeyText(text: string): TrustedKey {
  const pem = decodePem(text);
  if (pem?.label === 'PUBLIC KEY' && pem.der.length > 1000)
    return mlDsa65TrustedKey(parseMlDsa65PublicKey(text));
  if (pem?.label === 'PUBLIC KEY' && pem.der.length !== 44) {
    const normalised = encodePem('PUBLIC KEY', pem.der);
    let curve: string | undefined;
    try {
      curve = createPublicKey(normalised).asymmetricKeyDetails?.namedCurve;
    } catch {
      curve = undefined;
    }
    if (curve !== 'prime256v1')
      throw invalidArgument('unsupported public key: expected Ed25519, ML-DSA-65 or ECDSA P-256');
    return ecdsaP256TrustedKey(normalised, securesystemslibKeyid('ecdsa', 'ecdsa-sha2-nistp256', normalised));
  }
  return ed25519TrustedKey(parseEd25519PublicKey(text));
}

/** What {@link verifyEnvelopeFile} returns for a valid envelope. */
export interface EnvelopeFileVerification extends ParsedStatement {
  /** The signatures that verified under the given keys. */
  signatures: VerifiedSignature[];
  /** Keyids of other signatures in the envelope, not checked (no key for them was given). */
  unchecked: string[];
  /** The verified payload bytes. */
  payload: Uint8Array;
}

/**
 * Verifies an envelope against public keys given as text (what a CLI read from files): every given
 * key must have a valid signature in the envelope, the payload type must be in-toto, and the
 * payload must be an in-toto Statement v1 with a known SEG predicate. Signatures by other keys are
 * reported as `unchecked`. Throws `SEG_ATTEST_VERIFY_FAILED` with `details.reason`.
 */
export async function verifyEnvelopeText(
  envelope: string | Uint8Array,
  publicKeys: readonly string[],
): Promise<EnvelopeFileVerification> {
  if (publicKeys.length === 0) throw invalidArgument('at least one public key is required');
  const keys = publicKeys.map((k) => trustedKeyFromPublicKeyText(k));
  const verified = await verifyEnvelope(parseEnvelope(envelope), {
    trustedKeys: keys,
    requiredKeyids: keys.map((k) => k.keyid),
    ignoreUntrusted: true,
  });
  return {
    ...parseStatement(verified.payload),
    signatures: verified.signatures,
    unchecked: verified.skipped,
    payload: verified.payload,
  };
}

/**
 * Verifies the envelope file at `envelopePath` against the public-key file(s) at `publicKeyPaths`,
 * reading them through the injected filesystem (the CLI passes `node:fs/promises`). See
 * {@link verifyEnvelopeText} for the checks.
 */
export async function verifyEnvelopeFile(
  envelopePath: string,
  publicKeyPaths: string | readonly string[],
  fs: Pick<FileSystemPort, 'readFile'>,
): Promise<EnvelopeFileVerification> {
  const paths = typeof publicKeyPaths === 'string' ? [publicKeyPaths] : publicKeyPaths;
  const envelope = await fs.readFile(envelopePath);
  const keys = await Promise.all(paths.map(async (p) => new TextDecoder().decode(await fs.readFile(p))));
  return verifyEnvelopeText(envelope, keys);
}
