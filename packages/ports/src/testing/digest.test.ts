import { describe, expect, it } from '@jest/globals';
import { toHex } from './digest.ts';

describe('digest', () => {
  describe('#toHex', () => {
    it('pads each byte to two digits', () => {
      expect(toHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
      expect(toHex(new Uint8Array([1, 2, 3, 4]).subarray(1, 3))).toBe('0203');
    });
  });
});
