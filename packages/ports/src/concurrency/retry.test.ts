import { describe, expect, it } from '@jest/globals';
import { SegError } from '@neurocipher/seg-contracts';
import { DEFAULT_RETRY_POLICY, backoffMs, retrying } from './retry.ts';

const transient = () =>
  new SegError({ error_code: 'SEG_ADAPTER_UNAVAILABLE', message: 'away', retryable: true });

describe('retrying', () => {
  it('tries again after full-jitter backoffs while the failure is retryable', async () => {
    const waits: number[] = [];
    let calls = 0;
    const value = await retrying(
      async (attempt) => {
        calls++;
        if (attempt < 3) throw transient();
        return 'done';
      },
      {
        policy: { attempts: 4, base_ms: 100, max_ms: 150 },
        random: () => 0.5,
        sleep: async (ms) => void waits.push(ms),
      },
    );
    expect([value, calls, waits]).toEqual(['done', 3, [50, 75]]);
  });

  it('throws the last failure once attempts run out, and a failure not retryable at once', async () => {
    let calls = 0;
    const sleep = async () => undefined;
    await expect(
      retrying(async () => (calls++, Promise.reject(transient())), { sleep }),
    ).rejects.toMatchObject({
      error_code: 'SEG_ADAPTER_UNAVAILABLE',
    });
    expect(calls).toBe(DEFAULT_RETRY_POLICY.attempts);
    calls = 0;
    await expect(
      retrying(async () => (calls++, Promise.reject(new Error('bug'))), { sleep }),
    ).rejects.toThrow('bug');
    expect(calls).toBe(1);
    await expect(
      retrying(async () => Promise.reject(new Error('flaky')), {
        sleep,
        retryable: () => true,
        policy: { attempts: 2, base_ms: 1, max_ms: 1 },
      }),
    ).rejects.toThrow('flaky');
  });

  it('caps the backoff ceiling at max_ms', () => {
    expect(backoffMs({ base_ms: 100, max_ms: 2_000 }, 10, () => 0.999)).toBe(1_998);
    expect(backoffMs({ base_ms: 100, max_ms: 2_000 }, 1, () => 0.5)).toBe(50);
  });

  it('sleeps for real by default', async () => {
    let calls = 0;
    await retrying(
      async () => {
        if (++calls === 1) throw transient();
      },
      { policy: { attempts: 2, base_ms: 2, max_ms: 2 } },
    );
    expect(calls).toBe(2);
  });
});
