import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { SegError } from '@neurocipher/seg-contracts';
import { parseSnapshotRecord, serializeSnapshotRecord } from './snapshot-record.ts';
import type { SnapshotRecord } from './snapshot-record.ts';

/** Longest snapshot line {@link readSnapshotFile} accepts by default: 64 MiB (without its `\n`). */
export const DEFAULT_SNAPSHOT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Largest line limit a caller may set: 256 MiB. A JavaScript string holds at most about 512 Mi UTF-16 units,
 * and parsing a line takes several times its size in memory; past this a line cannot be read safely.
 */
export const SNAPSHOT_MAX_LINE_BYTES_LIMIT = 256 * 1024 * 1024;

/** Options of {@link readSnapshotFile}. */
export interface ReadSnapshotOptions {
  /**
   * Longest line, in bytes without the `\n` (an integer from 1 to {@link SNAPSHOT_MAX_LINE_BYTES_LIMIT});
   * default {@link DEFAULT_SNAPSHOT_MAX_LINE_BYTES}. A longer line is refused as soon as that many bytes
   * of it have been read.
   */
  maxLineBytes?: number;
  /** Bytes read from the file at a time (default 1 MiB); lines are split across reads. */
  readChunkBytes?: number;
}

const READ_CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;
const BOM = '\uFEFF';

function unavailable(path: string, cause: unknown): SegError {
  const code = (cause as { code?: unknown } | null)?.code;
  const errno = typeof code === 'string' ? code : null;
  return new SegError({
    error_code: 'SEG_ADAPTER_UNAVAILABLE',
    message:
      errno === 'ENOENT'
        ? `snapshot file not found: ${path}`
        : `snapshot file cannot be read: ${path}${errno === null ? '' : ` (${errno})`}`,
    retryable: false,
    details: { path, ...(errno === null ? {} : { errno }) },
    cause,
  });
}

function violation(path: string, line: number, message: string, cause?: unknown): SegError {
  return new SegError({
    error_code: 'SEG_SCHEMA_VIOLATION',
    message: `snapshot line ${line} ${message}`,
    details: { path, line },
    ...(cause === undefined ? {} : { cause }),
  });
}

function checkedOptions(options: ReadSnapshotOptions): { maxLineBytes: number; readChunkBytes: number } {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_SNAPSHOT_MAX_LINE_BYTES;
  if (
    !Number.isSafeInteger(maxLineBytes) ||
    maxLineBytes < 1 ||
    maxLineBytes > SNAPSHOT_MAX_LINE_BYTES_LIMIT
  ) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `the snapshot line limit must be an integer from 1 to ${SNAPSHOT_MAX_LINE_BYTES_LIMIT} bytes`,
      details: { max_line_bytes: maxLineBytes },
    });
  }
  const readChunkBytes = options.readChunkBytes ?? READ_CHUNK_BYTES;
  if (!Number.isSafeInteger(readChunkBytes) || readChunkBytes < 1) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: 'the snapshot read size must be a positive integer',
      details: { read_chunk_bytes: readChunkBytes },
    });
  }
  return { maxLineBytes, readChunkBytes };
}

/**
 * Reads a snapshot file (NDJSON, one {@link SnapshotRecord} per line; blank lines ignored; a `\r` before
 * the `\n` and a byte order mark at the start are dropped), streaming it in bytes and splitting lines
 * itself, so that no line longer than `maxLineBytes` is ever held in memory. Each line must be UTF-8
 * (decoded strictly: an invalid byte sequence is refused, never replaced). Throws
 * `SEG_ADAPTER_UNAVAILABLE` when the file cannot be read, `SEG_INVALID_ARGUMENT` for a bad option, and
 * `SEG_SCHEMA_VIOLATION` (with `details.path` and `details.line`, 1-based) for a line that is too long,
 * holds a NUL byte, is not UTF-8, is not JSON or is not a valid record.
 */
export async function* readSnapshotFile(
  path: string,
  options: ReadSnapshotOptions = {},
): AsyncGenerator<SnapshotRecord> {
  const { maxLineBytes, readChunkBytes } = checkedOptions(options);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const stream = createReadStream(path, { highWaterMark: readChunkBytes });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (cause) {
    throw unavailable(path, cause);
  }
  let line = 1;
  // The bytes of the current line read so far, in pieces; never more than maxLineBytes in all.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const record = (bytes: Buffer): SnapshotRecord | null => {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch (cause) {
      throw violation(path, line, 'is not valid UTF-8', cause);
    }
    if (line === 1 && text.startsWith(BOM)) text = text.slice(BOM.length);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw violation(path, line, 'is not JSON', cause);
    }
    try {
      return parseSnapshotRecord(value, line);
    } catch (error) {
      if (error instanceof SegError) {
        throw new SegError({
          error_code: error.error_code,
          message: error.message,
          retryable: error.retryable,
          details: { path, ...error.details },
          cause: error.cause,
        });
      }
      throw error;
    }
  };
  const tooLong = (): SegError =>
    violation(path, line, `is longer than ${maxLineBytes} bytes (the snapshot line limit)`);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (;;) {
        const end = chunk.indexOf(NEWLINE, start);
        const piece = chunk.subarray(start, end === -1 ? chunk.length : end);
        if (pendingBytes + piece.length > maxLineBytes) throw tooLong();
        // JSON never holds a raw NUL: a binary file (or /dev/zero) fails here, not at the line limit.
        if (piece.indexOf(0) !== -1) throw violation(path, line, 'holds a NUL byte: not an NDJSON text');
        if (end === -1) {
          if (piece.length > 0) {
            pending.push(piece);
            pendingBytes += piece.length;
          }
          break;
        }
        const bytes = pendingBytes === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        pendingBytes = 0;
        const parsed = record(bytes);
        if (parsed !== null) yield parsed;
        line += 1;
        start = end + 1;
      }
    }
    if (pendingBytes > 0) {
      const parsed = record(Buffer.concat(pending));
      if (parsed !== null) yield parsed;
    }
  } catch (error) {
    if (error instanceof SegError) throw error;
    throw unavailable(path, error);
  } finally {
    stream.destroy();
  }
}

/**
 * Writes records as a snapshot file (NDJSON), creating the parent folder, honouring stream
 * back-pressure so that 100,000 records never sit in memory as text. Returns the number written.
 * Throws `SEG_ADAPTER_UNAVAILABLE` when the file cannot be written.
 */
export async function writeSnapshotFile(
  path: string,
  records: Iterable<SnapshotRecord> | AsyncIterable<SnapshotRecord>,
): Promise<number> {
  let count = 0;
  try {
    await mkdir(dirname(path), { recursive: true });
    const out = createWriteStream(path, { encoding: 'utf8' });
    const failed = new Promise<never>((_, reject) => out.once('error', reject));
    failed.catch(() => undefined);
    for await (const record of records) {
      if (!out.write(serializeSnapshotRecord(record) + '\n')) {
        await Promise.race([once(out, 'drain'), failed]);
      }
      count += 1;
    }
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  } catch (cause) {
    if (cause instanceof SegError) throw cause;
    throw new SegError({
      error_code: 'SEG_ADAPTER_UNAVAILABLE',
      message: `snapshot file cannot be written: ${path}`,
      retryable: false,
      details: { path },
      cause,
    });
  }
  return count;
}
