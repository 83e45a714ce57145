import { z } from 'zod';
import { decodeBase64, encodeBase64 } from '../encoding/base64.ts';
import { utf8 } from '../encoding/bytes.ts';
import { verifyFailed } from '../errors.ts';
import { preAuthEncoding } from './pae.ts';
import type { SignerPort } from '@neurocipher/seg-ports';

/** The DSSE payload type of in-toto statements; cosign requires exactly this value. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** One DSSE signature: `keyid` is always present in what SEG writes (securesystemslib needs it). */
export interface DsseSignature {
  keyid: string;
  /** Standard padded base64 of the raw signature bytes. */
  sig: string;
}

/** A DSSE v1 JSON envelope. */
export interface DsseEnvelope {
  /** Standard padded base64 of the serialized body. */
  payload: string;
  payloadType: string;
  signatures: DsseSignature[];
}

/** Wire schema of an envelope as read from outside: unknown fields are ignored, as DSSE requires. */
export const DsseEnvelopeSchema = z.object({
  payload: z.string(),
  payloadType: z.string(),
  signatures: z.array(z.object({ keyid: z.string().optional(), sig: z.string() })),
});

/** An envelope read from outside: `keyid` may be missing there. */
export type ParsedDsseEnvelope = z.infer<typeof DsseEnvelopeSchema>;

/**
 * Signs `payload` under `payloadType` with every signer, in order, over the same PAE bytes, and
 * returns the envelope. Signers must have distinct keyids (securesystemslib rejects duplicates).
 */
export async function signEnvelope(
  payloadType: string,
  payload: Uint8Array,
  signers: readonly SignerPort[],
): Promise<DsseEnvelope> {
  if (signers.length === 0) throw new TypeError('at least one signer is required');
  if (new Set(signers.map((s) => s.keyid)).size !== signers.length) {
    throw new TypeError('signers must have distinct keyids');
  }
  const pae = preAuthEncoding(payloadType, payload);
  const signatures: DsseSignature[] = [];
  for (const signer of signers) {
    signatures.push({ keyid: signer.keyid, sig: encodeBase64(await signer.sign(pae)) });
  }
  return { payload: encodeBase64(payload), payloadType, signatures };
}

/**
 * The file form of an envelope: JSON with keys in the DSSE order and a final newline. Publishing
 * writes these exact bytes, and the transparency-log leaf is these bytes.
 */
export function serializeEnvelope(envelope: DsseEnvelope): string {
  const ordered = {
    payload: envelope.payload,
    payloadType: envelope.payloadType,
    signatures: envelope.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })),
  };
  return `${JSON.stringify(ordered)}\n`;
}

/** UTF-8 bytes of {@link serializeEnvelope}. */
export function envelopeBytes(envelope: DsseEnvelope): Uint8Array {
  return utf8(serializeEnvelope(envelope));
}

/**
 * Parses envelope JSON (text, bytes or an already-parsed value). Throws `SEG_ATTEST_VERIFY_FAILED`
 * (`malformed_envelope`) when it is not JSON or lacks a DSSE field.
 */
export function parseEnvelope(input: string | Uint8Array | unknown): ParsedDsseEnvelope {
  let value: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    try {
      const text =
        typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
      value = JSON.parse(text);
    } catch (cause) {
      throw verifyFailed('malformed_envelope', 'envelope is not JSON', { cause: String(cause) });
    }
  }
  const parsed = DsseEnvelopeSchema.safeParse(value);
  if (!parsed.success) {
    throw verifyFailed('malformed_envelope', 'envelope lacks a DSSE field', {
      paths: parsed.error.issues.map((i) => i.path.join('.')),
    });
  }
  return parsed.data;
}

/** Decodes the payload of an envelope; throws `malformed_envelope` when it is not base64. */
export function decodePayload(envelope: { payload: string }): Uint8Array {
  const bytes = decodeBase64(envelope.payload);
  if (!bytes) throw verifyFailed('malformed_envelope', 'payload is not base64');
  return bytes;
}
