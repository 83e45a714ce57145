import { SegError, isSegError } from '@neurocipher/seg-contracts';

/** Options of {@link retryOnConflict}. */
export interface RetryOnConflictOptions {
  /** Attempts in all, the first included (default 100). */
  attempts?: number;
  /** Upper bound of the first wait in ms; it doubles per attempt up to `maxDelayMs` (default 2). */
  baseDelayMs?: number;
  /** Cap of the wait bound in ms (default 100). */
  maxDelayMs?: number;
  /** Waits `ms` (default: a timer); tests inject their own. */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform random number in [0, 1) for the jitter (default `Math.random`). */
  random?: () => number;
}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` until it does not fail with `SEG_CONFLICT` (another writer won a create-only write), waiting
 * a uniformly jittered, exponentially growing time before each retry ("full jitter"). Any other error is
 * passed on at once. After the last attempt the conflict is rethrown as a retryable `SEG_CONFLICT` saying
 * how many attempts were lost. `work` gets the attempt number (1 first) and must re-read what it depends on.
 */
export async function retryOnConflict<T>(
  work: (attempt: number) => Promise<T>,
  options: RetryOnConflictOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 100;
  const base = options.baseDelayMs ?? 2;
  const cap = options.maxDelayMs ?? 100;
  const sleep = options.sleep ?? timer;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (!isSegError(error) || error.error_code !== 'SEG_CONFLICT') throw error;
      if (attempt >= attempts) {
        throw new SegError({
          error_code: 'SEG_CONFLICT',
          message: `${error.message} (lost ${attempt} attempts to concurrent writers)`,
          retryable: true,
          details: { ...error.details, attempts: attempt },
          cause: error,
        });
      }
      await sleep(random() * Math.min(cap, base * 2 ** (attempt - 1)));
    }
  }
}
