import { decodeBase64 } from '../encoding/base64.ts';
import { verifyFailed } from '../errors.ts';
import { decodePayload, IN_TOTO_PAYLOAD_TYPE, type ParsedDsseEnvelope } from './envelope.ts';
import { preAuthEncoding } from './pae.ts';
import type { SignatureAlgorithm } from '@neurocipher/seg-ports';
import type { TrustedKey } from './signer.ts';

/** Policy of {@link verifyEnvelope}. */
export interface EnvelopePolicy {
  /** The keys a signature may verify under. */
  trustedKeys: readonly TrustedKey[];
  /** The only accepted payload type; defaults to `application/vnd.in-toto+json`. */
  payloadType?: string;
  /** Keyids whose signature must be present (e.g. the Ed25519 and the ML-DSA key). */
  requiredKeyids?: readonly string[];
  /** Algorithms of which at least one valid signature must be present (e.g. `['ed25519']`). */
  requiredAlgorithms?: readonly SignatureAlgorithm[];
  /**
   * Skip (instead of rejecting) signatures by keys outside the trusted set, as a third-party
   * verifier checking one key does. Off for the AttestationPort, where every signature must be trusted.
   */
  ignoreUntrusted?: boolean;
}

/** One verified signature. */
export interface VerifiedSignature {
  keyid: string;
  algorithm: SignatureAlgorithm;
}

/** What a successful {@link verifyEnvelope} hands back: the exact payload bytes that were verified. */
export interface VerifiedEnvelope {
  payloadType: string;
  /** The verified body bytes; parse these, never the envelope again (DSSE security rule). */
  payload: Uint8Array;
  /** The verified signatures, in envelope order. */
  signatures: VerifiedSignature[];
  /** Keyids of signatures skipped because `ignoreUntrusted` was set and their key is not trusted. */
  skipped: string[];
}

/**
 * Verifies a DSSE envelope strictly: the payload type is the expected one, there is at least one
 * signature, no keyid repeats, EVERY signature names a trusted key (by keyid) and verifies under
 * exactly that key over the PAE, and every required keyid and algorithm is present. Signature
 * order carries no meaning in DSSE and does not change the outcome. Throws
 * `SEG_ATTEST_VERIFY_FAILED` with `details.reason` on the first failed check.
 */
export async function verifyEnvelope(
  envelope: ParsedDsseEnvelope,
  policy: EnvelopePolicy,
): Promise<VerifiedEnvelope> {
  const expectedType = policy.payloadType ?? IN_TOTO_PAYLOAD_TYPE;
  if (envelope.payloadType !== expectedType) {
    throw verifyFailed('unsupported_payload_type', `payloadType is not ${expectedType}`, {
      payload_type: envelope.payloadType,
    });
  }
  const payload = decodePayload(envelope);
  if (envelope.signatures.length === 0) throw verifyFailed('no_signatures', 'envelope has no signature');
  const trusted = new Map(policy.trustedKeys.map((k) => [k.keyid, k]));
  const pae = preAuthEncoding(envelope.payloadType, payload);
  const seen = new Set<string>();
  const verified: VerifiedSignature[] = [];
  const skipped: string[] = [];
  for (const [index, signature] of envelope.signatures.entries()) {
    const keyid = signature.keyid ?? '';
    if (seen.has(keyid))
      throw verifyFailed('duplicate_keyid', 'two signatures name the same key', { keyid, index });
    seen.add(keyid);
    const key = trusted.get(keyid);
    if (!key && policy.ignoreUntrusted) {
      skipped.push(keyid);
      continue;
    }
    if (!key)
      throw verifyFailed('untrusted_key', 'a signature names a key that is not trusted', { keyid, index });
    const sig = decodeBase64(signature.sig);
    if (!sig || !(await key.verify(sig, pae))) {
      throw verifyFailed('bad_signature', 'a signature does not verify under its key', { keyid, index });
    }
    verified.push({ keyid, algorithm: key.algorithm });
  }
  if (verified.length === 0) throw verifyFailed('untrusted_key', 'no signature by a trusted key');
  for (const keyid of policy.requiredKeyids ?? []) {
    if (!verified.some((v) => v.keyid === keyid))
      throw verifyFailed('missing_required_signature', 'a required signature is missing', { keyid });
  }
  for (const algorithm of policy.requiredAlgorithms ?? []) {
    if (!verified.some((v) => v.algorithm === algorithm)) {
      throw verifyFailed('missing_required_signature', `no ${algorithm} signature`, { algorithm });
    }
  }
  return { payloadType: envelope.payloadType, payload, signatures: verified, skipped };
}
