import { describe, expect, it } from '@jest/globals';
import { decodePem, encodePem, startsWith } from './pem.ts';

describe('pem', () => {
  it('wraps at 64 characters and round-trips', () => {
    const der = new Uint8Array(100).fill(0xab);
    const pem = encodePem('PUBLIC KEY', der);
    expect(pem.split('\n')[1]).toHaveLength(64);
    expect(decodePem(`junk before\n${pem}junk after`)).toEqual({ label: 'PUBLIC KEY', der });
    expect(encodePem('X', new Uint8Array(0))).toBe('-----BEGIN X-----\n\n-----END X-----\n');
  });

  it('rejects missing blocks, mismatched labels and bodies that are not base64', () => {
    expect(decodePem('nothing here')).toBeUndefined();
    expect(decodePem('-----BEGIN A-----\nAAAA\n-----END B-----')).toBeUndefined();
    expect(decodePem('-----BEGIN A-----\nAA*A\n-----END A-----')).toBeUndefined();
    expect(startsWith(Uint8Array.of(1), Uint8Array.of(1, 2))).toBe(false);
  });
});
