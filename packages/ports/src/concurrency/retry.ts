import { isSegError } from '@neurocipher/seg-contracts';

/** How often and how patiently to try again: exponential backoff with full jitter. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The first backoff's ceiling, ms. */
  base_ms: number;
  /** The largest backoff's ceiling, ms. */
  max_ms: number;
}

/** 3 attempts, backoff ceilings from 100 ms to 2 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, base_ms: 100, max_ms: 2_000 };

/**
 * The wait before the attempt after `attempt` (1-based): a uniform draw below
 * `min(max_ms, base_ms · 2^(attempt-1))` ("full jitter"), so clients that failed together spread out.
 */
export function backoffMs(
  policy: Pick<RetryPolicy, 'base_ms' | 'max_ms'>,
  attempt: number,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(policy.max_ms, policy.base_ms * 2 ** (attempt - 1)));
}

/** Options of {@link retrying}. */
export interface RetryingOptions {
  policy?: RetryPolicy;
  /** Which failures are worth another attempt (default: a `SegError` marked retryable). */
  retryable?: (error: unknown) => boolean;
  /** Random source of the jitter, in [0, 1). */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` (given the attempt number, from 1), again after a {@link backoffMs} wait while it fails
 * retryably and attempts remain; the last failure is thrown as it was. The one retry loop of SEG's
 * libraries (the AWS adapter's calls add per-attempt timeouts around the same backoff).
 */
export async function retrying<T>(
  work: (attempt: number) => Promise<T>,
  options: RetryingOptions = {},
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const retryable = options.retryable ?? ((error: unknown) => isSegError(error) && error.retryable);
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt >= policy.attempts || !retryable(error)) throw error;
      await sleep(backoffMs(policy, attempt, options.random));
    }
  }
}
