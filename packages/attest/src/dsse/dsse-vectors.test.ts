import { describe, expect, it } from '@jest/globals';
// The DSSE protocol test vectors (secure-systems-lab/dsse testvectors/vectors.json; keys A and B are
// RFC 8032 TEST 1 and TEST 2). Each case checks our PAE bytes, that our signer reproduces the vector's
// signature, and the accept/reject verdict of our verifier.
import { RFC8032_VECTORS } from '../../test/support/fixtures.ts';
import { decodeBase64 } from '../encoding/base64.ts';
import { fromHex, toHex } from '../encoding/bytes.ts';
import { Ed25519Signer, ed25519TrustedKey } from '../keys/ed25519.ts';
import type { ParsedDsseEnvelope } from './envelope.ts';
import { preAuthEncoding } from './pae.ts';
import { verifyEnvelope } from './verify-envelope.ts';

const STATEMENT = 'eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ==';
const SIG_A = '2WAfaHm5jluo0w+0rk8uVkluELJYWjSmU9x7EUzx+AyteDGJ4/nqyJXfmAUVFIAoQafWm7AxBZNw5M9ixNHiCA==';
const SIG_B = 'c1+67/aT0yqEpwx8PsVY3MLHsj9D0CZ014/Fv/QlG59P+9CobUZ7xECJ/V3USG0Ob9CiE5LjReEZUzNF2l7eBw==';
const PAE_STATEMENT =
  '445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203433207b225f74797065223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d';
const TYPE = 'application/vnd.in-toto+json';

interface Vector {
  id: string;
  envelope: ParsedDsseEnvelope;
  trusted: ('A' | 'B')[];
  threshold: number;
  supported: string[];
  pae: string;
  /** The vector's verdict; SEG agrees except where `seg` says otherwise. */
  expect: 'accept' | 'reject';
  /** SEG's own verdict where its policy is stricter than DSSE's. */
  seg?: 'reject';
}

const VECTORS: Vector[] = [
  {
    id: 'single-signature',
    envelope: { payload: STATEMENT, payloadType: TYPE, signatures: [{ keyid: 'A', sig: SIG_A }] },
    trusted: ['A'],
    threshold: 1,
    supported: [TYPE],
    pae: PAE_STATEMENT,
    expect: 'accept',
  },
  {
    id: 'url-safe-base64',
    envelope: {
      payload: '-_-_Pj8=',
      payloadType: TYPE,
      signatures: [
        {
          keyid: 'A',
          sig: 'P-_KHICeR7tI6S_YyejJTRtrXhcQyQ2LYPaL8h90KjC9qN8HU_svOQ6TuDOT1HIrsGW886DbWNWcCmX5twLrAw==',
        },
      ],
    },
    trusted: ['A'],
    threshold: 1,
    supported: [TYPE],
    pae: '445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203520fbffbf3e3f',
    expect: 'accept',
  },
  {
    id: 'payload-type-swapped',
    envelope: {
      payload: STATEMENT,
      payloadType: 'application/vnd.example.other+json',
      signatures: [{ keyid: 'A', sig: SIG_A }],
    },
    trusted: ['A'],
    threshold: 1,
    supported: [TYPE, 'application/vnd.example.other+json'],
    pae: PAE_STATEMENT,
    expect: 'reject',
  },
  {
    id: 'non-ascii-payload-type',
    envelope: {
      payload: STATEMENT,
      payloadType: 'application/vnd.ex\u00e4mple+json',
      signatures: [
        {
          keyid: 'A',
          sig: 'xmSk/ug66ysT7ayhkCIjhAq42zgZXSsEWuzUaNL7w2eGAdF/NU6/fRXPtmfN+5DNSAs5/i2lUnHjbbjPsu0tAw==',
        },
      ],
    },
    trusted: ['A'],
    threshold: 1,
    supported: ['application/vnd.ex\u00e4mple+json'],
    pae: '445353457631203239206170706c69636174696f6e2f766e642e6578c3a46d706c652b6a736f6e203433207b225f74797065223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d',
    expect: 'accept',
  },
  {
    id: 'empty-payload',
    envelope: {
      payload: '',
      payloadType: TYPE,
      signatures: [
        {
          keyid: 'A',
          sig: 'gSggCAaTLTYyRH6FIDBem6meyIynsYy8RTHVzwx9tnTb7Bg/1jMWnuVgI/gffqmbsC2VX5/jHfkkDqsj7CDbDg==',
        },
      ],
    },
    trusted: ['A'],
    threshold: 1,
    supported: [TYPE],
    pae: '445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203020',
    expect: 'accept',
  },
  {
    id: 'empty-payload-type',
    envelope: {
      payload: STATEMENT,
      payloadType: '',
      signatures: [
        {
          keyid: 'A',
          sig: 'iC3q/+3Rm0+lpAJRueDmDh15PnwCfxKmS0NAfKsbv+zgulXQC/WM9trc+j1XEqlwDIg/vf/uNfebeD6sxInrDg==',
        },
      ],
    },
    trusted: ['A'],
    threshold: 1,
    supported: [TYPE],
    pae: '445353457631203020203433207b225f74797065223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d',
    expect: 'reject',
  },
  {
    id: 'threshold-two-distinct-keys',
    envelope: {
      payload: STATEMENT,
      payloadType: TYPE,
      signatures: [
        { keyid: 'A', sig: SIG_A },
        { keyid: 'B', sig: SIG_B },
      ],
    },
    trusted: ['A', 'B'],
    threshold: 2,
    supported: [TYPE],
    pae: PAE_STATEMENT,
    expect: 'accept',
  },
  {
    id: 'threshold-two-one-key-twice',
    envelope: {
      payload: STATEMENT,
      payloadType: TYPE,
      signatures: [
        { keyid: 'A', sig: SIG_A },
        { keyid: 'A', sig: SIG_A },
      ],
    },
    trusted: ['A', 'B'],
    threshold: 2,
    supported: [TYPE],
    pae: PAE_STATEMENT,
    expect: 'reject',
  },
  {
    // DSSE makes keyid optional; SEG (like securesystemslib) requires it to pick the key.
    id: 'threshold-two-without-keyids',
    envelope: { payload: STATEMENT, payloadType: TYPE, signatures: [{ sig: SIG_A }, { sig: SIG_B }] },
    trusted: ['A', 'B'],
    threshold: 2,
    supported: [TYPE],
    pae: PAE_STATEMENT,
    expect: 'accept',
    seg: 'reject',
  },
];

const signers = {
  A: new Ed25519Signer({ privateKey: fromHex(RFC8032_VECTORS[0].seed)! }),
  B: new Ed25519Signer({ privateKey: fromHex(RFC8032_VECTORS[1].seed)! }),
};

describe('DSSE protocol test vectors', () => {
  it.each(VECTORS)('$id', async (v) => {
    const payload = decodeBase64(v.envelope.payload)!;
    // The PAE of what was signed (for payload-type-swapped: the original type).
    const signedType = v.id === 'payload-type-swapped' ? TYPE : v.envelope.payloadType;
    expect(toHex(preAuthEncoding(signedType, payload))).toBe(v.pae);
    for (const s of v.envelope.signatures) {
      const signer = signers[(s.keyid ?? (s.sig === SIG_A ? 'A' : 'B')) as 'A' | 'B'];
      expect(Buffer.from(await signer.sign(fromHex(v.pae)!)).toString('base64')).toBe(
        Buffer.from(decodeBase64(s.sig)!).toString('base64'),
      );
    }
    const trustedKeys = v.trusted.map((id) => ed25519TrustedKey(signers[id].publicKey, id));
    const payloadType = v.supported.includes(v.envelope.payloadType)
      ? v.envelope.payloadType
      : (v.supported[0] as string);
    const verdict = await verifyEnvelope(v.envelope, {
      trustedKeys,
      payloadType,
      requiredKeyids: v.threshold === v.trusted.length ? v.trusted : [],
    }).then(
      () => 'accept',
      () => 'reject',
    );
    expect(verdict).toBe(v.seg ?? v.expect);
  });
});
