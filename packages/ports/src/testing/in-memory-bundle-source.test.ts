import { describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import { BundleSourceId } from '../bundles/bundle-source.ts';
import type { BundleSource } from '../bundles/bundle-source.ts';
import { InMemoryBundleSource } from './in-memory-bundle-source.ts';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isSegError(error)) return error.error_code;
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('InMemoryBundleSource', () => {
  const source = new InMemoryBundleSource({
    bundles: [
      { ref: { id: 'aws-cis', version: '1.10.0' }, files: { 'manifest.json': '{}' } },
      {
        ref: { id: 'aws-cis', version: '1.9.0' },
        files: { 'manifest.json': '{"v":9}', 'policies/s3.rego': new Uint8Array([1, 2]) },
      },
      { ref: { id: 'aws-base', version: '0.1.0' }, files: {} },
    ],
  });

  it('implements BundleSource under its id', () => {
    const port: BundleSource = source;
    expect(port).toBeInstanceOf(InMemoryBundleSource);
    expect(BundleSourceId).toBe(Symbol.for('seg.ports.BundleSource'));
  });

  describe('#list', () => {
    it('lists bundles sorted by id then version (numerically)', async () => {
      expect(await source.list()).toEqual([
        { id: 'aws-base', version: '0.1.0' },
        { id: 'aws-cis', version: '1.9.0' },
        { id: 'aws-cis', version: '1.10.0' },
      ]);
    });
  });

  describe('#read', () => {
    it('returns copies of every file by relative path, strings as UTF-8', async () => {
      const files = await source.read({ id: 'aws-cis', version: '1.9.0' });
      expect([...files.keys()]).toEqual(['manifest.json', 'policies/s3.rego']);
      expect(new TextDecoder().decode(files.get('manifest.json'))).toBe('{"v":9}');
      (files.get('policies/s3.rego') as Uint8Array)[0] = 9;
      expect((await source.read({ id: 'aws-cis', version: '1.9.0' })).get('policies/s3.rego')).toEqual(
        new Uint8Array([1, 2]),
      );
    });

    it('is SEG_NOT_FOUND for an unknown bundle or version', async () => {
      expect(await codeOf(source.read({ id: 'aws-cis', version: '2.0.0' }))).toBe('SEG_NOT_FOUND');
    });

    it('is SEG_POLICY_LOAD_FAILED when the source cannot be read', async () => {
      const broken = new InMemoryBundleSource();
      broken.set_unreadable(true);
      expect(await codeOf(broken.list())).toBe('SEG_POLICY_LOAD_FAILED');
      expect(await codeOf(broken.read({ id: 'x', version: '1' }))).toBe('SEG_POLICY_LOAD_FAILED');
      broken.set_unreadable(false);
      expect(await broken.list()).toEqual([]);
    });
  });
});
