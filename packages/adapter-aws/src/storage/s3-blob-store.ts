import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { SegError } from '@neurocipher/seg-contracts';
import { assertBlobKey } from '@neurocipher/seg-ports';
import type { BlobKeyPage, BlobPutOptions, BlobStore } from '@neurocipher/seg-ports';
import { DEFAULT_RETRY, awsCall, type RetryPolicy } from '../provider/aws-call.ts';
import { awsErrorName } from '../provider/aws-error.ts';

/** Options of {@link S3BlobStore}. */
export interface S3BlobStoreOptions {
  /** The S3 client (region, credentials, endpoint). The store never destroys it. */
  client: S3Client;
  /** Bucket that holds the objects. */
  bucket: string;
  /**
   * Key prefix every blob key is stored under, such as `evidence/` (default none). A non-empty prefix
   * must end with `/`; keys given to and returned by the store never include it.
   */
  prefix?: string;
  /** Per-attempt timeout of one S3 call in ms (default 30,000). */
  timeoutMs?: number;
  /** Retries of throttles and transient faults (default {@link DEFAULT_RETRY}). */
  retry?: RetryPolicy;
}

const MAX_PAGE = 1000;

const statusOf = (err: unknown): number | undefined =>
  (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;

/**
 * {@link BlobStore} on an S3 bucket (DESIGN.md §7), through `@aws-sdk/client-s3`. Every blob key is
 * stored as `<prefix><key>`. A PUT is atomic in S3, so readers see the old object or the whole new one.
 *
 * `put` with `if_absent` sends `If-None-Match: *`: S3 (and moto) create the object only when none
 * exists, in one atomic step, and answer 412 otherwise, which becomes `SEG_CONFLICT`. Caveat: a
 * create-only PUT that timed out may still have landed; its retry then answers `SEG_CONFLICT` although
 * the object holds our bytes (callers that write unique keys, like Iceberg files, can check with `get`).
 * `list` maps to ListObjectsV2; its continuation token is the cursor.
 *
 * Errors (every one a SegError): a missing key → `SEG_NOT_FOUND`; an unreachable endpoint, a 5xx answer
 * or an exhausted throttle → `SEG_ADAPTER_UNAVAILABLE`; a call past `timeoutMs` → `SEG_ADAPTER_TIMEOUT`;
 * any other failed write → `SEG_EVIDENCE_WRITE_FAILED`. Throttles and transient faults are retried first.
 */
export class S3BlobStore implements BlobStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;

  /** Creates a store over `bucket` (which must exist) and an optional key prefix. */
  constructor(options: S3BlobStoreOptions) {
    const prefix = options.prefix ?? '';
    if (prefix !== '' && (!prefix.endsWith('/') || prefix.startsWith('/'))) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'an S3 key prefix must end with "/" and not start with it',
        details: { prefix },
      });
    }
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#prefix = prefix;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retry = options.retry ?? DEFAULT_RETRY;
  }

  #call<T>(operation: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return awsCall({ service: 's3', operation }, send, { timeoutMs: this.#timeoutMs, retry: this.#retry });
  }

  /** Stores the bytes under `key` (create-only with `if_absent`: `SEG_CONFLICT` when the key exists). */
  async put(key: string, body: Uint8Array, options: BlobPutOptions = {}): Promise<void> {
    assertBlobKey(key);
    const command = new PutObjectCommand({
      Bucket: this.#bucket,
      Key: this.#prefix + key,
      Body: body,
      ContentLength: body.byteLength,
      ...(options.content_type !== undefined ? { ContentType: options.content_type } : {}),
      ...(options.if_absent === true ? { IfNoneMatch: '*' } : {}),
    });
    try {
      await this.#call('PutObject', (abortSignal) => this.#client.send(command, { abortSignal }));
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      const name = awsErrorName(cause);
      if (options.if_absent === true && (name === 'PreconditionFailed' || statusOf(cause) === 412)) {
        throw new SegError({
          error_code: 'SEG_CONFLICT',
          message: 'a blob already exists under key',
          retryable: false,
          details: { key },
          cause: err,
        });
      }
      if (options.if_absent === true && (name === 'ConditionalRequestConflict' || statusOf(cause) === 409)) {
        // S3 answers 409 when another conditional write of the same key is in flight: try again.
        throw new SegError({
          error_code: 'SEG_CONFLICT',
          message: 'a concurrent conditional write of the key is in flight',
          retryable: true,
          details: { key },
          cause: err,
        });
      }
      throw asWriteError(err as SegError, key);
    }
  }

  /** The bytes under `key`; `SEG_NOT_FOUND` when there is no such object. */
  async get(key: string): Promise<Uint8Array> {
    assertBlobKey(key);
    const command = new GetObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key });
    // The body is read inside the timed call, so a stalled download times out as well.
    return this.#call('GetObject', async (abortSignal) => {
      const out = await this.#client.send(command, { abortSignal });
      if (out.Body === undefined) return new Uint8Array();
      return out.Body.transformToByteArray();
    });
  }

  /** Whether an object exists under `key` (HeadObject; a 404 is `false`). */
  async exists(key: string): Promise<boolean> {
    assertBlobKey(key);
    const command = new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key });
    try {
      await this.#call('HeadObject', (abortSignal) => this.#client.send(command, { abortSignal }));
      return true;
    } catch (err) {
      if ((err as SegError).error_code === 'SEG_NOT_FOUND') return false;
      throw err;
    }
  }

  /** Deletes `key`; S3 answers a delete of a missing key with success, so this is idempotent. */
  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    const command = new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key });
    await this.#call('DeleteObject', (abortSignal) => this.#client.send(command, { abortSignal }));
  }

  /**
   * Keys under `prefix`, in S3's (UTF-8 byte) order, at most `limit` (default and max 1,000) a page. The
   * cursor is S3's continuation token, opaque to callers.
   */
  async list(
    prefix: string,
    page: { cursor?: string | null; limit?: number | null } = {},
  ): Promise<BlobKeyPage> {
    const limit = page.limit ?? MAX_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: `page limit must be an integer from 1 to ${MAX_PAGE}`,
        details: { limit },
      });
    }
    const command = new ListObjectsV2Command({
      Bucket: this.#bucket,
      Prefix: this.#prefix + prefix,
      MaxKeys: limit,
      ...(page.cursor ? { ContinuationToken: page.cursor } : {}),
    });
    const out = await this.#call('ListObjectsV2', (abortSignal) =>
      this.#client.send(command, { abortSignal }),
    );
    const keys = (out.Contents ?? [])
      .map((o) => o.Key)
      .filter((k): k is string => typeof k === 'string')
      .map((k) => k.slice(this.#prefix.length));
    return out.IsTruncated === true && out.NextContinuationToken
      ? { keys, next_cursor: out.NextContinuationToken }
      : { keys };
  }
}

// A write that failed for a reason other than reachability or time is SEG_EVIDENCE_WRITE_FAILED (the
// BlobStore port's write error), retryable when S3 answered 5xx.
function asWriteError(err: SegError, key: string): SegError {
  if (err.error_code === 'SEG_ADAPTER_TIMEOUT') return err;
  if (err.error_code === 'SEG_ADAPTER_UNAVAILABLE' && err.details['http_status'] === undefined) return err;
  return new SegError({
    error_code: 'SEG_EVIDENCE_WRITE_FAILED',
    message: `S3 write of a blob failed: ${err.message}`,
    retryable: err.retryable,
    details: { ...err.details, key },
    cause: err,
  });
}
