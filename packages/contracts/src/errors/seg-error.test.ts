import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RETRYABLE, SEG_ERROR_CODES, SegError, SegErrorSchema, isSegError } from '../index.ts';

describe('SegError', () => {
  it('carries the §14 fields and keeps its cause', () => {
    const cause = new Error('socket hang up');
    const error = new SegError({
      error_code: 'SEG_ADAPTER_TIMEOUT',
      message: 'Adapter call exceeded timeout',
      details: { adapter: 'aws', operation: 'list_assets' },
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SegError');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.toJSON()).toEqual({
      error_code: 'SEG_ADAPTER_TIMEOUT',
      message: 'Adapter call exceeded timeout',
      retryable: true,
      details: { adapter: 'aws', operation: 'list_assets' },
    });
  });

  it('serialises without stack or cause', () => {
    const json = JSON.stringify(
      new SegError({ error_code: 'SEG_INTERNAL', message: 'boom', cause: new Error('secret') }),
    );
    expect(json).not.toMatch(/stack|secret|cause/);
    expect(SegErrorSchema.parse(JSON.parse(json))).toEqual({
      error_code: 'SEG_INTERNAL',
      message: 'boom',
      retryable: false,
      details: {},
    });
  });

  it('lets the caller override retryable', () => {
    expect(
      new SegError({ error_code: 'SEG_ADAPTER_UNAVAILABLE', message: 'x', retryable: false }).retryable,
    ).toBe(false);
  });

  it('has a default retryability for every code, including SEG_ADAPTER_TIMEOUT', () => {
    expect(SEG_ERROR_CODES).toContain('SEG_ADAPTER_TIMEOUT');
    for (const code of SEG_ERROR_CODES) expect(typeof DEFAULT_RETRYABLE[code]).toBe('boolean');
  });

  it('round-trips through its wire shape', () => {
    const error = new SegError({
      error_code: 'SEG_CONFLICT',
      message: 'lost the race',
      details: { table: 'findings' },
    });
    const back = SegError.fromJSON(JSON.parse(JSON.stringify(error)));
    expect(back.toJSON()).toEqual(error.toJSON());
  });

  it('refuses to rebuild from something that is not a SegError', () => {
    expect(() => SegError.fromJSON({ error_code: 'NOPE', message: 'x', retryable: true })).toThrow(
      expect.objectContaining({ error_code: 'SEG_SCHEMA_VIOLATION' }),
    );
  });
});

describe('isSegError', () => {
  it('recognises a SegError, optionally by code', () => {
    const error = new SegError({ error_code: 'SEG_NOT_FOUND', message: 'x' });
    expect(isSegError(error)).toBe(true);
    expect(isSegError(error, 'SEG_NOT_FOUND')).toBe(true);
    expect(isSegError(error, 'SEG_CONFLICT')).toBe(false);
    expect(isSegError(new Error('x'))).toBe(false);
  });
});
