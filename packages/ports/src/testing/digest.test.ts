import { describe, expect, it } from '@jest/globals';
import { sha256Hex, toHex, uuidV5 } from './digest.ts';

describe('digest', () => {
  describe('#sha256Hex', () => {
    it('hashes strings as UTF-8 and bytes as given', async () => {
      expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      expect(await sha256Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe(await sha256Hex('abc'));
    });
  });

  describe('#uuidV5', () => {
    it('matches the RFC 9562 / Python uuid5 value for the DNS namespace', async () => {
      expect(await uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
        '2ed6657d-e927-568b-95e1-2665a8aea6a2',
      );
    });

    it('rejects a namespace that is not a UUID', async () => {
      await expect(uuidV5('nope', 'x')).rejects.toThrow(TypeError);
    });
  });

  describe('#toHex', () => {
    it('pads each byte to two digits', () => {
      expect(toHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
    });
  });
});
