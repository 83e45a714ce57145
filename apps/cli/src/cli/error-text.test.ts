import { describe, expect, it } from '@jest/globals';
import { SegError } from '@neurocipher/seg-contracts';
import { asSegError, errorText } from './error-text.ts';
import { withoutUriUserInfo } from './uri-user-info.ts';

describe('withoutUriUserInfo', () => {
  it.each([
    ['postgres://user:pass@host/db', 'postgres://***@host/db'],
    ['catalog postgresql://u:p@ss@h:5432/db?x=1 failed', 'catalog postgresql://***@h:5432/db?x=1 failed'],
    ['{"catalog":"rest://token@cat.example/v1"}', '{"catalog":"rest://***@cat.example/v1"}'],
    ['/work/postgres:/u:secret@h/db', '/work/postgres:/***@h/db'],
    [
      's3://bucket/key?X-Amz-Signature=abc&X-Amz-Credential=AKIA/x&y=2',
      's3://bucket/key?X-Amz-Signature=***&X-Amz-Credential=***&y=2',
    ],
    ['postgres://h/db?sslmode=require&password=hunter2', 'postgres://h/db?sslmode=require&password=***'],
  ])('%s → %s', (text, expected) => expect(withoutUriUserInfo(text)).toBe(expected));

  it('leaves URIs without credentials and other @ alone', () => {
    for (const text of [
      'https://registry.example/@scope/pkg',
      'file:///tmp/a@b',
      'sqlite:/x/y.db',
      'user@example.test',
    ])
      expect(withoutUriUserInfo(text)).toBe(text);
  });
});

describe('asSegError', () => {
  it('turns a RangeError into SEG_INTERNAL with its message', () => {
    const error = asSegError(new RangeError('Invalid string length'));
    expect(error.toJSON()).toEqual({
      error_code: 'SEG_INTERNAL',
      message: 'Invalid string length',
      retryable: false,
      details: { error: 'RangeError' },
    });
  });

  it('names the call and the path of a system error no command wrapped', () => {
    const cause = Object.assign(new Error("EACCES: permission denied, open '/x/y'"), {
      code: 'EACCES',
      syscall: 'open',
      path: '/x/y',
    });
    expect(asSegError(cause).message).toBe('open /x/y failed: permission denied (EACCES)');
  });
});

describe('errorText', () => {
  const secret = new SegError({
    error_code: 'SEG_ADAPTER_UNAVAILABLE',
    message: 'catalog postgres://seg:hunter2@db/seg unreachable\nsecond line',
    details: { catalog: 'postgres://seg:hunter2@db/seg' },
    cause: new Error('connect postgres://seg:hunter2@db/seg: ECONNREFUSED', {
      cause: new TypeError('inner'),
    }),
  });

  it('is one line, credentials masked and controls escaped', () => {
    expect(errorText(secret, false)).toBe(
      'seg: SEG_ADAPTER_UNAVAILABLE: catalog postgres://***@db/seg unreachable\\nsecond line\n',
    );
  });

  it('with verbose adds details, the cause chain and retryable, never a stack or a secret', () => {
    expect(errorText(secret, true)).toBe(
      [
        'seg: SEG_ADAPTER_UNAVAILABLE: catalog postgres://***@db/seg unreachable\\nsecond line',
        '  details: {"catalog":"postgres://***@db/seg"}',
        '  cause: Error: connect postgres://***@db/seg: ECONNREFUSED',
        '  cause: TypeError: inner',
        '  retryable: true',
        '',
      ].join('\n'),
    );
  });

  it('prints an error that is no SegError as SEG_INTERNAL, and a thrown non-error too', () => {
    expect(errorText(new RangeError('Invalid string length'), false)).toBe(
      'seg: SEG_INTERNAL: Invalid string length\n',
    );
    expect(errorText('boom', false)).toBe('seg: SEG_INTERNAL: boom\n');
    expect(errorText(new Error(''), false)).toBe('seg: SEG_INTERNAL: unexpected Error\n');
  });
});
