import { closeSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SegError } from '@neurocipher/seg-contracts';
import type { SegErrorCode } from '@neurocipher/seg-contracts';

/** A Node.js system error (`fs`, `net`): an errno `code` such as `ENOENT`, and the call that failed. */
export interface SystemError {
  code: string;
  syscall: string;
  message: string;
  path?: string;
}

/** Whether `error` is a Node.js system error (duck-typed: it may come from another realm). */
export function isSystemError(error: unknown): error is SystemError {
  const e = error as Partial<SystemError> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.code === 'string' &&
    /^E[A-Z0-9]+$/.test(e.code) &&
    typeof e.syscall === 'string'
  );
}

/**
 * Why a system call failed, in words: Node's description of the errno and the errno itself, e.g.
 * `illegal operation on a directory (EISDIR)`; the message itself for any other error.
 */
export function failureReason(cause: unknown): string {
  if (isSystemError(cause)) {
    // Node's text is `CODE: description, syscall 'path'`: keep the description.
    const described = /^[A-Z0-9]+: (.+?), [a-z_]+\b/.exec(cause.message)?.[1];
    return `${described ?? 'failed'} (${cause.code})`;
  }
  return cause instanceof Error && cause.message !== '' ? cause.message : String(cause);
}

/**
 * The error for a user-named file (`what`, e.g. `config file`) that cannot be read or written: the path in
 * the message and in `details.path`, the reason (`not found`, `is a directory`, `permission denied` as Node
 * words them, with the errno), and the cause. `code` defaults to `SEG_INVALID_ARGUMENT` (exit 2): the
 * user named a path that does not work.
 */
export function fileError(
  what: string,
  path: string,
  cause: unknown,
  options: { action?: 'read' | 'written' | 'created'; code?: SegErrorCode } = {},
): SegError {
  const errno = isSystemError(cause) ? cause.code : null;
  const verb = options.action ?? 'read';
  return new SegError({
    error_code: options.code ?? 'SEG_INVALID_ARGUMENT',
    message: `${what} ${path} cannot be ${verb}: ${failureReason(cause)}`,
    details: { path, ...(errno === null ? {} : { errno }) },
    cause,
  });
}

/**
 * The most a user-named file may hold (64 MiB): a config, a key, an envelope or a plan is far smaller, and
 * a device or pipe that never ends (`/dev/zero`) must not fill the memory.
 */
export const USER_FILE_MAX_BYTES = 64 * 1024 * 1024;

function tooLarge(what: string, path: string): SegError {
  return new SegError({
    error_code: 'SEG_INVALID_ARGUMENT',
    message: `${what} ${path} cannot be read: it holds more than ${USER_FILE_MAX_BYTES / 1024 / 1024} MiB`,
    details: { path, max_bytes: USER_FILE_MAX_BYTES },
  });
}

const CHUNK = 1024 * 1024;

/** Reads a user-named file's bytes, at most {@link USER_FILE_MAX_BYTES}; {@link fileError} when it cannot be read. */
export async function readUserBytes(what: string, path: string): Promise<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(CHUNK);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > USER_FILE_MAX_BYTES) throw tooLarge(what, path);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return concat(chunks, total);
  } catch (cause) {
    if (cause instanceof SegError) throw cause;
    throw fileError(what, path, cause);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Reads a user-named text file (UTF-8), at most {@link USER_FILE_MAX_BYTES}; {@link fileError} when it cannot be read. */
export async function readUserFile(what: string, path: string): Promise<string> {
  return new TextDecoder().decode(await readUserBytes(what, path));
}

/** Reads a user-named text file (UTF-8) synchronously, at most {@link USER_FILE_MAX_BYTES}; {@link fileError} when it cannot be read. */
export function readUserFileSync(what: string, path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(CHUNK);
      const bytesRead = readSync(fd, chunk, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > USER_FILE_MAX_BYTES) throw tooLarge(what, path);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return new TextDecoder().decode(concat(chunks, total));
  } catch (cause) {
    if (cause instanceof SegError) throw cause;
    throw fileError(what, path, cause);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Creates a user-named folder and its parents; {@link fileError} when it cannot be created. */
export function makeUserDirSync(what: string, path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (cause) {
    throw fileError(what, path, cause, { action: 'created' });
  }
}

/** Writes a user-named file, creating its folder; {@link fileError} when either cannot be made. */
export function writeUserFileSync(
  what: string,
  path: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): void {
  makeUserDirSync(`folder of the ${what}`, dirname(path));
  try {
    writeFileSync(path, data, options);
  } catch (cause) {
    throw fileError(what, path, cause, { action: 'written' });
  }
}
