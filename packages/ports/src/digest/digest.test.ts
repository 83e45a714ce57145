import { describe, expect, it } from '@jest/globals';
import { sha256Hex } from './sha256-hex.ts';
import { uuidV5 } from './uuid-v5.ts';

describe('sha256Hex', () => {
  it('hashes strings as UTF-8 and bytes as given', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe(sha256Hex('abc'));
    expect(sha256Hex('é')).toBe(sha256Hex(new Uint8Array([0xc3, 0xa9])));
    expect(sha256Hex(new Uint8Array([9, 0x61, 0x62, 0x63, 9]).subarray(1, 4))).toBe(sha256Hex('abc'));
  });
});

describe('uuidV5', () => {
  it('matches the RFC 9562 / Python uuid5 value for the DNS namespace', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    expect(uuidV5('6BA7B810-9DAD-11D1-80B4-00C04FD430C8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('rejects a namespace that is not a UUID', () => {
    expect(() => uuidV5('nope', 'x')).toThrow(TypeError);
  });
});
