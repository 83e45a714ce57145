import { beforeAll, describe, expect, it } from '@jest/globals';
import { RFC8032_VECTORS } from '../../test/support/fixtures.ts';
import { decodeBase64, encodeBase64 } from '../encoding/base64.ts';
import { fromHex } from '../encoding/bytes.ts';
import { Ed25519Signer } from '../keys/ed25519.ts';
import { MlDsa65Signer } from '../keys/ml-dsa.ts';
import {
  decodePayload,
  envelopeBytes,
  IN_TOTO_PAYLOAD_TYPE,
  parseEnvelope,
  serializeEnvelope,
  signEnvelope,
  type DsseEnvelope,
} from './envelope.ts';
import { verifyEnvelope, type EnvelopePolicy } from './verify-envelope.ts';

const ed = new Ed25519Signer({ privateKey: fromHex(RFC8032_VECTORS[0].seed)! });
const other = new Ed25519Signer({ privateKey: fromHex(RFC8032_VECTORS[1].seed)! });
const pq = new MlDsa65Signer({ seed: new Uint8Array(32).fill(3) });
const payload = new TextEncoder().encode('{"_type":"https://in-toto.io/Statement/v1"}');
const policy: EnvelopePolicy = { trustedKeys: [ed.trustedKey(), pq.trustedKey()] };

async function rejection(envelope: DsseEnvelope, p: EnvelopePolicy = policy): Promise<unknown> {
  return verifyEnvelope(envelope, p).then(
    () => 'accepted',
    (e: { error_code: string; details: { reason: string } }) => `${e.error_code}/${e.details.reason}`,
  );
}

describe('signEnvelope / verifyEnvelope', () => {
  let both: DsseEnvelope;
  beforeAll(async () => {
    both = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [ed, pq]);
  });

  it('writes standard base64, keyids always present, one signature per signer', () => {
    expect(both.payload).toBe(encodeBase64(payload));
    expect(both.signatures.map((s) => s.keyid)).toEqual([ed.keyid, pq.keyid]);
    expect(both.signatures.every((s) => /^[A-Za-z0-9+/]+=*$/.test(s.sig))).toBe(true);
    expect(serializeEnvelope(both)).toMatch(
      /^\{"payload":".*","payloadType":"application\/vnd.in-toto\+json","signatures":\[/,
    );
  });

  it('accepts a valid envelope and hands back the exact verified bytes', async () => {
    const verified = await verifyEnvelope(both, {
      ...policy,
      requiredKeyids: [ed.keyid, pq.keyid],
      requiredAlgorithms: ['ed25519', 'ml-dsa-65'],
    });
    expect(verified.payload).toEqual(payload);
    expect(verified.signatures).toEqual([
      { keyid: ed.keyid, algorithm: 'ed25519' },
      { keyid: pq.keyid, algorithm: 'ml-dsa-65' },
    ]);
  });

  it('accepts URL-safe base64 payloads and signatures (DSSE verifiers must)', async () => {
    const urlSafe = {
      ...both,
      payload: both.payload.replace(/\+/g, '-').replace(/\//g, '_'),
      signatures: both.signatures.map((s) => ({
        ...s,
        sig: s.sig.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
      })),
    };
    await expect(verifyEnvelope(urlSafe, policy)).resolves.toBeDefined();
  });

  describe('tamper tests', () => {
    it('rejects a flipped payload byte', async () => {
      const bytes = decodeBase64(both.payload)!;
      bytes[5] = (bytes[5] as number) ^ 0x01;
      expect(await rejection({ ...both, payload: encodeBase64(bytes) })).toBe(
        'SEG_ATTEST_VERIFY_FAILED/bad_signature',
      );
    });

    it('rejects a changed payloadType, whether or not the new type is allowed', async () => {
      expect(await rejection({ ...both, payloadType: 'application/json' })).toBe(
        'SEG_ATTEST_VERIFY_FAILED/unsupported_payload_type',
      );
      const retyped = { ...both, payloadType: 'application/vnd.in-toto.test+json' };
      expect(await rejection(retyped, { ...policy, payloadType: retyped.payloadType })).toBe(
        'SEG_ATTEST_VERIFY_FAILED/bad_signature',
      );
    });

    it('rejects swapped keyids (each signature must verify under the key it names)', async () => {
      const [a, b] = both.signatures as [{ keyid: string; sig: string }, { keyid: string; sig: string }];
      const swapped = {
        ...both,
        signatures: [
          { keyid: b.keyid, sig: a.sig },
          { keyid: a.keyid, sig: b.sig },
        ],
      };
      expect(await rejection(swapped)).toBe('SEG_ATTEST_VERIFY_FAILED/bad_signature');
    });

    it('rejects a signature from an untrusted key, even a valid one', async () => {
      const extra = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [other]);
      const withExtra = { ...both, signatures: [...both.signatures, ...extra.signatures] };
      expect(await rejection(withExtra)).toBe('SEG_ATTEST_VERIFY_FAILED/untrusted_key');
      expect(await rejection(extra)).toBe('SEG_ATTEST_VERIFY_FAILED/untrusted_key');
    });

    it('rejects a removed signature when the policy requires it, and an envelope with none', async () => {
      const edOnly = { ...both, signatures: both.signatures.slice(0, 1) };
      expect(await rejection(edOnly, { ...policy, requiredKeyids: [ed.keyid, pq.keyid] })).toBe(
        'SEG_ATTEST_VERIFY_FAILED/missing_required_signature',
      );
      const pqOnly = { ...both, signatures: both.signatures.slice(1) };
      expect(await rejection(pqOnly, { ...policy, requiredAlgorithms: ['ed25519'] })).toBe(
        'SEG_ATTEST_VERIFY_FAILED/missing_required_signature',
      );
      expect(await rejection({ ...both, signatures: [] })).toBe('SEG_ATTEST_VERIFY_FAILED/no_signatures');
    });

    it('gives the same verdict for reordered signatures: DSSE signatures are a set', async () => {
      const reordered = { ...both, signatures: [...both.signatures].reverse() };
      const verified = await verifyEnvelope(reordered, { ...policy, requiredKeyids: [ed.keyid, pq.keyid] });
      expect(verified.payload).toEqual(payload);
      expect(verified.signatures.map((s) => s.keyid).sort()).toEqual([ed.keyid, pq.keyid].sort());
    });

    it('rejects a duplicated signature (one key counted twice) and a corrupt signature', async () => {
      const dup = { ...both, signatures: [both.signatures[0]!, both.signatures[0]!] };
      expect(await rejection(dup)).toBe('SEG_ATTEST_VERIFY_FAILED/duplicate_keyid');
      const corrupt = { ...both, signatures: [{ keyid: ed.keyid, sig: 'not base64!' }] };
      expect(await rejection(corrupt)).toBe('SEG_ATTEST_VERIFY_FAILED/bad_signature');
      const noKeyid = { ...both, signatures: [{ sig: both.signatures[0]!.sig }] };
      // @ts-expect-error deliberately bad input: a signature without a keyid must be rejected.
      expect(await rejection(noKeyid)).toBe('SEG_ATTEST_VERIFY_FAILED/untrusted_key');
    });

    it('skips untrusted signatures only when asked, and still needs one trusted signature', async () => {
      const verified = await verifyEnvelope(both, { trustedKeys: [ed.trustedKey()], ignoreUntrusted: true });
      expect(verified.skipped).toEqual([pq.keyid]);
      expect(await rejection(both, { trustedKeys: [other.trustedKey()], ignoreUntrusted: true })).toBe(
        'SEG_ATTEST_VERIFY_FAILED/untrusted_key',
      );
    });
  });

  it('refuses to sign with no signer or with two signers of one key', async () => {
    await expect(signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [])).rejects.toThrow(/at least one/);
    await expect(signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [ed, ed])).rejects.toThrow(/distinct/);
  });
});

describe('parseEnvelope', () => {
  it('reads text, bytes and objects, ignoring unknown fields', async () => {
    const env = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [ed]);
    expect(parseEnvelope(serializeEnvelope(env))).toEqual(env);
    expect(parseEnvelope(envelopeBytes(env))).toEqual(env);
    expect(parseEnvelope({ ...env, extra: 1 })).toEqual(env);
    expect(decodePayload(env)).toEqual(payload);
  });

  it('reports malformed envelopes as SEG_ATTEST_VERIFY_FAILED', () => {
    for (const bad of ['{', Uint8Array.of(0xff, 0xfe), { payload: 'x' }]) {
      expect(() => parseEnvelope(bad)).toThrow(
        expect.objectContaining({ details: expect.objectContaining({ reason: 'malformed_envelope' }) }),
      );
    }
    expect(() => decodePayload({ payload: '%%' })).toThrow(/not base64/);
  });
});
