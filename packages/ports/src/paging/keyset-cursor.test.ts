import { describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import { decodeKeysetCursor, encodeKeysetCursor } from './keyset-cursor.ts';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isSegError(error)) return error.error_code;
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('keyset cursor', () => {
  describe('#encodeKeysetCursor', () => {
    it('is url-safe and round-trips any key, including non-ASCII ones', () => {
      for (const key of ['', 'urn:asset:aws:bucket:b1', 'urn:asset:other:doc:é/ü?&=', '🙂'.repeat(20)]) {
        const cursor = encodeKeysetCursor(key);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeKeysetCursor(cursor)).toBe(key);
      }
    });
  });

  describe('#decodeKeysetCursor', () => {
    it('rejects what it did not make with SEG_INVALID_ARGUMENT', () => {
      expect(codeOf(() => decodeKeysetCursor(''))).toBe('SEG_INVALID_ARGUMENT');
      expect(codeOf(() => decodeKeysetCursor('a+b/'))).toBe('SEG_INVALID_ARGUMENT');
      expect(codeOf(() => decodeKeysetCursor(btoa('c2:key').replaceAll('=', '')))).toBe(
        'SEG_INVALID_ARGUMENT',
      );
      // Valid base64url, but not UTF-8.
      expect(codeOf(() => decodeKeysetCursor('_-8'))).toBe('SEG_INVALID_ARGUMENT');
    });
  });
});
