import { SegError, isSegError } from '@neurocipher/seg-contracts';

const THROTTLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
]);

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  $fault?: unknown;
}

function codesOf(err: unknown): string[] {
  const out: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && cur && typeof cur === 'object'; depth++) {
    const e = cur as ErrorLike;
    if (typeof e.name === 'string') out.push(e.name);
    if (typeof e.code === 'string') out.push(e.code);
    cur = e.cause;
  }
  return out;
}

/** The AWS error name (`NoSuchBucketPolicy`, `ThrottlingException`, …) of an SDK error, if any. */
export function awsErrorName(err: unknown): string | undefined {
  if (err && typeof err === 'object') {
    const e = err as ErrorLike;
    if (typeof e.name === 'string') return e.name;
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

/** Whether an SDK error is a throttle that a caller should retry with backoff. */
export function isThrottle(err: unknown): boolean {
  if (codesOf(err).some((c) => THROTTLE_CODES.has(c))) return true;
  const status = (err as ErrorLike | undefined)?.$metadata?.httpStatusCode;
  return status === 429;
}

/** Whether an SDK error is transient (throttle, 5xx answer, dropped connection) and worth a retry. */
export function isTransient(err: unknown): boolean {
  if (isThrottle(err)) return true;
  if (codesOf(err).some((c) => NETWORK_CODES.has(c) || TIMEOUT_CODES.has(c))) return true;
  const status = (err as ErrorLike | undefined)?.$metadata?.httpStatusCode;
  return status === 500 || status === 502 || status === 503 || status === 504;
}

/** Context added to a mapped error's details: which call failed, where. Never credentials. */
export interface AwsCallContext {
  service: string;
  operation: string;
  account_id?: string;
  region?: string;
}

/**
 * Maps any error raised while calling AWS to a {@link SegError} (spec §14): a timeout to
 * `SEG_ADAPTER_TIMEOUT` (retryable); an unreachable endpoint, a 5xx answer or an exhausted throttle to
 * `SEG_ADAPTER_UNAVAILABLE` (retryable); a missing resource to `SEG_NOT_FOUND`; a rejected request to
 * `SEG_INVALID_ARGUMENT`. A SegError passes through unchanged.
 */
export function toSegError(err: unknown, ctx: AwsCallContext, timedOut = false): SegError {
  if (isSegError(err)) return err;
  const codes = codesOf(err);
  const name = awsErrorName(err) ?? 'Error';
  const status = (err as ErrorLike | undefined)?.$metadata?.httpStatusCode;
  const details: Record<string, unknown> = { ...ctx, aws_error: name };
  if (status !== undefined) details['http_status'] = status;
  const where = `${ctx.service}:${ctx.operation}${ctx.region ? ` in ${ctx.region}` : ''}`;
  if (timedOut || codes.some((c) => TIMEOUT_CODES.has(c) || c === 'AbortError')) {
    return new SegError({
      error_code: 'SEG_ADAPTER_TIMEOUT',
      message: `${where} timed out`,
      details,
      cause: err,
    });
  }
  if (codes.some((c) => NETWORK_CODES.has(c))) {
    return new SegError({
      error_code: 'SEG_ADAPTER_UNAVAILABLE',
      message: `${where}: AWS endpoint unreachable (${codes.find((c) => NETWORK_CODES.has(c))})`,
      details,
      cause: err,
    });
  }
  if (isThrottle(err)) {
    return new SegError({
      error_code: 'SEG_ADAPTER_UNAVAILABLE',
      message: `${where}: throttled after retries`,
      details: { ...details, throttled: true },
      cause: err,
    });
  }
  if (status !== undefined && status >= 500) {
    return new SegError({
      error_code: 'SEG_ADAPTER_UNAVAILABLE',
      message: `${where}: service error ${name} (HTTP ${status})`,
      details,
      cause: err,
    });
  }
  if (/NotFound|NoSuch/.test(name) || status === 404) {
    return new SegError({ error_code: 'SEG_NOT_FOUND', message: `${where}: ${name}`, details, cause: err });
  }
  if (status !== undefined && status >= 400) {
    return new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `${where}: request rejected: ${name}`,
      details,
      cause: err,
    });
  }
  // No HTTP answer at all (deserialization of a non-AWS body, socket closed early): the service is not usable.
  return new SegError({
    error_code: 'SEG_ADAPTER_UNAVAILABLE',
    message: `${where}: no usable answer (${name})`,
    details,
    cause: err,
  });
}

/**
 * Awaits an AWS call and returns `null` when it failed only because the thing is absent (one of
 * `absentNames`, such as `NoSuchBucketPolicy`); every other failure is rethrown.
 */
export async function absentAsNull<T>(call: Promise<T>, absentNames: readonly string[]): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    const aws = isSegError(err) ? err.details['aws_error'] : awsErrorName(err);
    if (typeof aws === 'string' && absentNames.includes(aws)) return null;
    throw err;
  }
}
