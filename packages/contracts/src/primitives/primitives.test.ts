import { describe, expect, it } from '@jest/globals';
import {
  AwareDatetimeSchema,
  HttpUrlSchema,
  Sha256HexSchema,
  UuidSchema,
  instantText,
  makeParser,
} from '../index.ts';
import type { SchemaIssue, SegError } from '../index.ts';

describe('AwareDatetimeSchema', () => {
  it.each(['2026-11-26T01:30:00Z', '2026-11-26T01:30:00+02:00', '2026-11-26T01:30:00.123456-05:30'])(
    'accepts the offset timestamp %s',
    (value) => expect(AwareDatetimeSchema.safeParse(value).success).toBe(true),
  );
  it.each([
    '2026-11-26T01:30:00',
    '2026-11-26 01:30:00Z',
    '2026-11-26',
    '2026-13-01T00:00:00Z',
    '1764120600',
    '',
  ])('rejects %j (naive or not RFC 3339)', (value) =>
    expect(AwareDatetimeSchema.safeParse(value).success).toBe(false),
  );
});

describe('HttpUrlSchema', () => {
  it.each(['https://log.example.test/entries/1', 'http://localhost:8080/x'])('accepts %s', (value) =>
    expect(HttpUrlSchema.safeParse(value).success).toBe(true),
  );
  it.each(['ftp://example.test/x', 'file:///etc/passwd', 'https://', 'not a url', 'javascript:alert(1)'])(
    'rejects %s',
    (value) => expect(HttpUrlSchema.safeParse(value).success).toBe(false),
  );
});

describe('UuidSchema', () => {
  it('accepts RFC 9562 UUIDs', () => {
    expect(UuidSchema.safeParse('6f1c7b1e-9a53-5d2e-8a3b-2f0d7c4e9b10').success).toBe(true);
  });
  it.each([
    '6f1c7b1e9a535d2e8a3b2f0d7c4e9b10',
    '6f1c7b1e-9a53-5d2e-8a3b-2f0d7c4e9b1',
    'zzzzzzzz-9a53-5d2e-8a3b-2f0d7c4e9b10',
  ])('rejects %s', (value) => expect(UuidSchema.safeParse(value).success).toBe(false));
});

describe('Sha256HexSchema', () => {
  it('accepts 64 lowercase hex characters', () => {
    expect(Sha256HexSchema.safeParse('0123456789abcdef'.repeat(4)).success).toBe(true);
  });
  it.each(['0123456789ABCDEF'.repeat(4), 'a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64)])(
    'rejects %s',
    (value) => expect(Sha256HexSchema.safeParse(value).success).toBe(false),
  );
});

describe('makeParser', () => {
  it('throws SEG_SCHEMA_VIOLATION listing every offending path', () => {
    const parse = makeParser('Pair', AwareDatetimeSchema.array().length(2));
    let error: SegError | undefined;
    try {
      parse(['2026-01-01T00:00:00', 'x']);
    } catch (e) {
      error = e as SegError;
    }
    expect(error?.error_code).toBe('SEG_SCHEMA_VIOLATION');
    expect(error?.retryable).toBe(false);
    expect(error?.details['paths']).toEqual(['0', '1']);
    expect((error?.details['issues'] as SchemaIssue[]).map((i) => i.code)).toEqual([
      'invalid_format',
      'invalid_format',
    ]);
    expect(error?.message).toBe('Pair failed validation at 0, 1');
  });
  it('names the root when the whole document is wrong', () => {
    expect(() => makeParser('Hash', Sha256HexSchema)(42)).toThrow('Hash failed validation at (root)');
  });
});

describe('instantText', () => {
  it('is RFC 3339 UTC with the shortest exact fraction', () => {
    expect(instantText(new Date('2026-12-04T20:04:10.123Z'))).toBe('2026-12-04T20:04:10.123Z');
    expect(instantText(new Date('2026-12-04T20:04:10.860Z'))).toBe('2026-12-04T20:04:10.86Z');
    expect(instantText(new Date('2026-12-04T20:04:10.800Z'))).toBe('2026-12-04T20:04:10.8Z');
    expect(instantText(new Date('2026-12-04T20:04:00.000Z'))).toBe('2026-12-04T20:04:00Z');
    expect(AwareDatetimeSchema.parse(instantText(new Date('2026-12-04T20:04:00.000Z')))).toBeTruthy();
  });
});
