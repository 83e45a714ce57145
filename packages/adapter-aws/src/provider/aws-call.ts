import { AsyncLocalStorage } from 'node:async_hooks';
import { SegError } from '@neurocipher/seg-contracts';
import { backoffMs } from '@neurocipher/seg-ports';
import { toSegError, isTransient, type AwsCallContext } from './aws-error.ts';

const callerSignal = new AsyncLocalStorage<AbortSignal>();

/**
 * Runs `fn` so that every {@link awsCall} inside it stops when `signal` aborts: the in-flight request is
 * aborted and no retry starts. The remediation steps run under it so a step that timed out cannot change
 * anything after its compensation ran.
 */
export function withAbortSignal<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  return callerSignal.run(signal, fn);
}

/** Retry policy for AWS calls: exponential backoff with full jitter on throttles and transient faults. */
export interface RetryPolicy {
  /** Attempts in total, including the first; default 4. */
  maxAttempts: number;
  /** First backoff in ms; default 100. */
  baseDelayMs: number;
  /** Largest backoff in ms; default 2,000. */
  maxDelayMs: number;
}

/** Default {@link RetryPolicy}. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 2_000 };

/** A client that can send one command with an abort signal: every AWS SDK v3 client. */
export interface SendsCommands {
  send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** Options of {@link awsCall}. */
export interface AwsCallOptions {
  /** Per-attempt timeout in ms. */
  timeoutMs: number;
  retry?: RetryPolicy;
  /** Random source for jitter (tests pass a fixed one). */
  random?: () => number;
  /** Sleep (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Sends one AWS command with a per-attempt timeout, retries throttles and transient failures with
 * exponential backoff and full jitter, and maps the final failure to a SegError (see `toSegError`).
 * The one place every AWS call of the adapter goes through.
 */
export async function awsCall<T>(
  ctx: AwsCallContext,
  send: (abortSignal: AbortSignal) => Promise<T>,
  options: AwsCallOptions,
): Promise<T> {
  const retry = options.retry ?? DEFAULT_RETRY;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const outer = callerSignal.getStore();
  const abandoned = () =>
    new SegError({
      error_code: 'SEG_ADAPTER_TIMEOUT',
      message: `${ctx.service}:${ctx.operation} abandoned: the caller timed out`,
      details: { ...ctx },
    });
  let attempt = 0;
  for (;;) {
    attempt++;
    if (outer?.aborted) throw abandoned();
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Race the call against the timer, so the timeout holds even where a handler ignores the abort signal.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        const err = new Error(`timed out after ${options.timeoutMs} ms`);
        controller.abort(err);
        reject(err);
      }, options.timeoutMs);
    });
    try {
      return await Promise.race([send(controller.signal), deadline]);
    } catch (err) {
      if (outer?.aborted) throw abandoned();
      const retryable = timedOut || isTransient(err);
      if (!retryable || attempt >= retry.maxAttempts) throw toSegError(err, ctx, timedOut);
      await sleep(backoffMs({ base_ms: retry.baseDelayMs, max_ms: retry.maxDelayMs }, attempt, random));
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }
}

/** Strips the SDK's `$metadata` (request ids, attempts) so a response can be stored as evidence. */
export function rawResponse<T extends object>(response: T): Omit<T, '$metadata'> {
  const { $metadata: _drop, ...rest } = response as T & { $metadata?: unknown };
  return rest;
}
