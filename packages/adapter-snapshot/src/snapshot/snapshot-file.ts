import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { SegError } from '@neurocipher/seg-contracts';
import { parseSnapshotRecord, serializeSnapshotRecord } from './snapshot-record.ts';
import type { SnapshotRecord } from './snapshot-record.ts';

function unavailable(path: string, cause: unknown): SegError {
  const code = (cause as { code?: unknown } | null)?.code;
  return new SegError({
    error_code: 'SEG_ADAPTER_UNAVAILABLE',
    message: code === 'ENOENT' ? `snapshot file not found: ${path}` : `snapshot file cannot be read: ${path}`,
    retryable: false,
    details: { path, ...(typeof code === 'string' ? { errno: code } : {}) },
    cause,
  });
}

/**
 * Reads a snapshot file (NDJSON, one {@link SnapshotRecord} per line; blank lines ignored), streaming
 * it line by line. Throws `SEG_ADAPTER_UNAVAILABLE` when the file cannot be read and
 * `SEG_SCHEMA_VIOLATION` (with `details.line`, 1-based) for a malformed line.
 */
export async function* readSnapshotFile(path: string): AsyncGenerator<SnapshotRecord> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (cause) {
    throw unavailable(path, cause);
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line += 1;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (cause) {
        throw new SegError({
          error_code: 'SEG_SCHEMA_VIOLATION',
          message: `snapshot line ${line} is not JSON`,
          details: { path, line },
          cause,
        });
      }
      yield parseSnapshotRecord(value, line);
    }
  } catch (error) {
    if (error instanceof SegError) throw error;
    throw unavailable(path, error);
  } finally {
    lines.close();
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
