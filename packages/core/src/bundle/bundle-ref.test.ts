import { describe, expect, it } from '@jest/globals';
import { parseBundleRef, resolveBundleRef } from './bundle-ref.ts';

const source = {
  list: async () => [
    { id: 'cis', version: '1.2.0' },
    { id: 'cis', version: '1.10.0' },
    { id: 'other', version: '9.0.0' },
  ],
};

describe('bundle references', () => {
  it('splits an id and an optional semantic version', () => {
    expect(parseBundleRef('cis-aws-foundations')).toEqual({ id: 'cis-aws-foundations' });
    expect(parseBundleRef('cis@1.2.0-rc.1+b.7')).toEqual({ id: 'cis', version: '1.2.0-rc.1+b.7' });
  });

  it.each(['', 'CIS', 'cis@1.2', 'cis@v1.2.0', '../cis', 'a'.repeat(65)])(
    'refuses %j with the grammar',
    (ref) => {
      expect(() => parseBundleRef(ref)).toThrow(
        expect.objectContaining({ error_code: 'SEG_INVALID_ARGUMENT', details: { bundle: ref } }),
      );
    },
  );

  it('resolves a bare id to the latest version present, numerically', async () => {
    await expect(resolveBundleRef(source, 'cis')).resolves.toEqual({ id: 'cis', version: '1.10.0' });
    await expect(resolveBundleRef(source, 'cis@1.2.0')).resolves.toEqual({ id: 'cis', version: '1.2.0' });
  });

  it('says when the source has no such bundle', async () => {
    await expect(resolveBundleRef(source, 'cis@2.0.0')).rejects.toMatchObject({
      error_code: 'SEG_POLICY_LOAD_FAILED',
    });
    await expect(resolveBundleRef(source, 'missing')).rejects.toMatchObject({
      error_code: 'SEG_POLICY_LOAD_FAILED',
    });
  });
});
