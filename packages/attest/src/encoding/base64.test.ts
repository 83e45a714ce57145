import { describe, expect, it } from '@jest/globals';
import { decodeBase64, encodeBase64, encodeBase64Url } from './base64.ts';
import { bytesEqual, fromHex, toHex } from './bytes.ts';
import { canonicalJson } from './canonical-json.ts';

describe('base64', () => {
  const data = Uint8Array.from([0xfb, 0xff, 0xfe, 0x01]);

  it('writes standard padded base64', () => {
    expect(encodeBase64(data)).toBe('+//+AQ==');
    expect(encodeBase64Url(data)).toBe('-__-AQ');
  });

  it('reads standard and URL-safe, padded or not', () => {
    for (const form of ['+//+AQ==', '-__-AQ==', '-__-AQ', '+//+AQ']) {
      expect(toHex(decodeBase64(form)!)).toBe('fbfffe01');
    }
  });

  it('rejects junk, mixed alphabets, bad lengths and non-canonical bits', () => {
    for (const bad of ['+/_-AQ==', 'AQ= =', 'A', 'AQ=', 'AR==', 'AQ===', '####']) {
      expect(decodeBase64(bad)).toBeUndefined();
    }
  });
});

describe('bytes helpers', () => {
  it('hex round-trips and rejects non-hex', () => {
    expect(toHex(fromHex('00ff')!)).toBe('00ff');
    expect(fromHex('0')).toBeUndefined();
    expect(fromHex('zz')).toBeUndefined();
  });

  it('compares bytes', () => {
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1), Uint8Array.of(1, 3))).toBe(false);
  });

  it('writes RFC 8785 canonical JSON and refuses what has no JSON form', () => {
    expect(canonicalJson({ b: 1, a: [true, 'x'] })).toBe('{"a":[true,"x"],"b":1}');
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});
