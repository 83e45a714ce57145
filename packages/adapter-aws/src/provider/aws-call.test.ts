import { describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import { awsCall, withAbortSignal } from './aws-call.ts';
import { toSegError } from './aws-error.ts';

const ctx = { service: 's3', operation: 'ListBuckets', account_id: '123456789012', region: 'us-east-1' };
const throttle = () =>
  Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

describe('awsCall', () => {
  it('retries throttles with exponential backoff and full jitter, then succeeds', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const out = await awsCall(
      ctx,
      async () => {
        calls++;
        if (calls < 3) throw throttle();
        return 'ok';
      },
      {
        timeoutMs: 1_000,
        random: () => 0.999,
        sleep: async (ms) => void sleeps.push(ms),
        retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 2_000 },
      },
    );
    expect(out).toBe('ok');
    expect(calls).toBe(3);
    expect(sleeps).toEqual([99, 199]);
  });

  it('gives up after maxAttempts with a retryable SEG_ADAPTER_UNAVAILABLE marked throttled', async () => {
    let calls = 0;
    const err = await awsCall(
      ctx,
      async () => {
        calls++;
        throw throttle();
      },
      {
        timeoutMs: 1_000,
        sleep: async () => undefined,
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
      },
    ).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(isSegError(err) && [err.error_code, err.retryable, err.details['throttled']]).toEqual([
      'SEG_ADAPTER_UNAVAILABLE',
      true,
      true,
    ]);
  });

  it('times out a call that never settles, even if it ignores the abort signal', async () => {
    const err = await awsCall(ctx, () => new Promise<never>(() => undefined), {
      timeoutMs: 50,
      sleep: async () => undefined,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    }).catch((e: unknown) => e);
    expect(isSegError(err) && [err.error_code, err.retryable]).toEqual(['SEG_ADAPTER_TIMEOUT', true]);
  });

  it('stops retrying once the caller aborts (a timed-out remediation step cannot land later)', async () => {
    const caller = new AbortController();
    let calls = 0;
    const err = await withAbortSignal(caller.signal, () =>
      awsCall(
        ctx,
        async () => {
          calls++;
          caller.abort();
          throw throttle();
        },
        {
          timeoutMs: 1_000,
          sleep: async () => undefined,
          retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 },
        },
      ),
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(isSegError(err) && err.error_code).toBe('SEG_ADAPTER_TIMEOUT');
  });

  it('does not retry a client error', async () => {
    let calls = 0;
    const err = await awsCall(
      ctx,
      async () => {
        calls++;
        throw Object.assign(new Error('no'), { name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
      },
      { timeoutMs: 1_000 },
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(isSegError(err) && err.error_code).toBe('SEG_NOT_FOUND');
  });
});

describe('toSegError', () => {
  it.each([
    [Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'SEG_ADAPTER_UNAVAILABLE'],
    [
      Object.assign(new Error('x'), { name: 'InternalError', $metadata: { httpStatusCode: 503 } }),
      'SEG_ADAPTER_UNAVAILABLE',
    ],
    [Object.assign(new Error('x'), { name: 'TimeoutError' }), 'SEG_ADAPTER_TIMEOUT'],
    [
      Object.assign(new Error('x'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
      'SEG_INVALID_ARGUMENT',
    ],
  ])('maps %p to %s', (e, code) => {
    const s = toSegError(e, ctx);
    expect(s.error_code).toBe(code);
    expect(s.details).toMatchObject({ service: 's3', operation: 'ListBuckets' });
    expect(JSON.stringify(s.toJSON())).not.toMatch(/secret|AKIA/i);
  });
});
