import { describe, expect, it } from '@jest/globals';
import { isSegError } from '../errors/seg-error.ts';
import { contractExamples } from '../registry/examples.ts';
import { parseFinding } from './findings.ts';

describe('Finding.fingerprint', () => {
  const finding = contractExamples['finding']![0] as Record<string, unknown>;

  it('takes any non-empty string a producer keys its findings by, as §7 types it (str)', () => {
    for (const fingerprint of [
      'fp-1',
      'prowler:s3_bucket_secure_transport:arn:aws:s3:::logs',
      'b'.repeat(64),
    ])
      expect(parseFinding({ ...finding, fingerprint }).fingerprint).toBe(fingerprint);
  });

  it('refuses an empty one and one longer than 1,024 characters', () => {
    for (const fingerprint of ['', 'x'.repeat(1_025)]) {
      let caught: unknown;
      try {
        parseFinding({ ...finding, fingerprint });
      } catch (error) {
        caught = error;
      }
      expect(isSegError(caught) && caught.error_code).toBe('SEG_SCHEMA_VIOLATION');
    }
  });
});
