import { SegError, isSegError } from '@neurocipher/seg-contracts';
import { terminalText } from '../output/terminal-text.ts';
import { failureReason, isSystemError } from '@neurocipher/seg-runtime';
import { withoutUriUserInfo } from './uri-user-info.ts';

// Causes printed under --verbose, innermost last.
const MAX_CAUSES = 5;

/** Text of one printed field: credentials of URIs masked, control characters escaped (one line). */
function safe(text: string): string {
  return terminalText(withoutUriUserInfo(text));
}

function printable(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '(not printable)';
  }
}

/**
 * The {@link SegError} an error reaching the top of `seg` is shown as: itself when it is one; a Node.js
 * system error that no command wrapped becomes `SEG_INTERNAL` naming the call, the path and the reason;
 * anything else (a `RangeError`, a thrown string) becomes `SEG_INTERNAL` with its message.
 */
export function asSegError(error: unknown): SegError {
  if (isSegError(error)) return error;
  if (isSystemError(error)) {
    const where = typeof error.path === 'string' ? ` ${error.path}` : '';
    return new SegError({
      error_code: 'SEG_INTERNAL',
      message: `${error.syscall}${where} failed: ${failureReason(error)}`,
      details: { errno: error.code, syscall: error.syscall, ...(where ? { path: error.path } : {}) },
      cause: error,
    });
  }
  // Duck-typed: an Error from Node's core or a VM context is not an instance of this realm's Error.
  const e = error as { name?: unknown; message?: unknown } | null;
  const name = typeof e?.name === 'string' ? e.name : typeof error;
  const message = typeof e?.message === 'string' ? e.message : printable(error);
  return new SegError({
    error_code: 'SEG_INTERNAL',
    message: message.trim() === '' ? `unexpected ${name}` : message,
    details: { error: name },
    cause: error,
  });
}

/**
 * What `seg` prints on stderr for an error: one line `seg: <CODE>: <message>`; with `verbose`, indented
 * lines follow with the details, each cause's name and message, and whether a retry may help. Never a
 * stack trace; every line has the credentials of URIs masked and control characters escaped.
 */
export function errorText(error: unknown, verbose: boolean): string {
  const seg = asSegError(error);
  const message = seg.message.trim() === '' ? 'failed' : seg.message;
  const head = `seg: ${seg.error_code}: ${safe(message)}\n`;
  if (!verbose) return head;
  const lines = [head.trimEnd()];
  if (Object.keys(seg.details).length > 0) {
    let details: string;
    try {
      details = JSON.stringify(seg.details);
    } catch {
      details = '(not printable)';
    }
    lines.push(`  details: ${safe(details)}`);
  }
  // Duck-typed: errors from Node's core may come from another realm than this module's Error.
  let cause = (seg as { cause?: unknown }).cause;
  for (let depth = 0; depth < MAX_CAUSES && cause !== undefined && cause !== null; depth += 1) {
    const c = cause as { name?: unknown; message?: unknown; cause?: unknown };
    const text = typeof c.message === 'string' ? c.message : printable(cause);
    const name = typeof c.name === 'string' ? `${c.name}: ` : '';
    lines.push(`  cause: ${safe(name + text)}`);
    cause = c.cause;
  }
  lines.push(`  retryable: ${seg.retryable}`);
  return lines.join('\n') + '\n';
}
