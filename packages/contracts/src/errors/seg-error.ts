import { z } from 'zod';

/**
 * Every error code a SEG component may raise (spec §14). The first seven are the specification's;
 * the rest name failures the ports need to tell apart (a missing record, a lost compare-and-swap,
 * a bad argument, a bug).
 */
export const SEG_ERROR_CODES = [
  'SEG_SCHEMA_VIOLATION',
  'SEG_POLICY_LOAD_FAILED',
  'SEG_ADAPTER_UNAVAILABLE',
  'SEG_ADAPTER_TIMEOUT',
  'SEG_EVIDENCE_WRITE_FAILED',
  'SEG_APPLY_PARTIAL',
  'SEG_ATTEST_VERIFY_FAILED',
  'SEG_NOT_FOUND',
  'SEG_CONFLICT',
  'SEG_INVALID_ARGUMENT',
  'SEG_INTERNAL',
] as const;

/** Literal union of the error codes. */
export type SegErrorCode = (typeof SEG_ERROR_CODES)[number];

/** Whether a caller may retry an operation that failed with this code, unless the error says otherwise. */
export const DEFAULT_RETRYABLE: Readonly<Record<SegErrorCode, boolean>> = {
  SEG_SCHEMA_VIOLATION: false,
  SEG_POLICY_LOAD_FAILED: false,
  SEG_ADAPTER_UNAVAILABLE: true,
  SEG_ADAPTER_TIMEOUT: true,
  SEG_EVIDENCE_WRITE_FAILED: true,
  SEG_APPLY_PARTIAL: false,
  SEG_ATTEST_VERIFY_FAILED: false,
  SEG_NOT_FOUND: false,
  SEG_CONFLICT: true,
  SEG_INVALID_ARGUMENT: false,
  SEG_INTERNAL: false,
};

/** The §14 wire shape of an error: what an API client or a log line sees. */
export const SegErrorSchema = z
  .object({
    error_code: z.enum(SEG_ERROR_CODES),
    message: z.string().min(1),
    retryable: z.boolean(),
    details: z.record(z.string(), z.unknown()).default(() => ({})),
  })
  .meta({ id: 'SegError', description: 'SEG-001 §14 error shape' });

/** The §14 error shape as a plain object. */
export type SegErrorShape = z.infer<typeof SegErrorSchema>;

/** Arguments of the {@link SegError} constructor. */
export interface SegErrorOptions {
  error_code: SegErrorCode;
  message: string;
  /** Defaults to {@link DEFAULT_RETRYABLE} for the code. */
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error type that crosses a port or the API (spec §14, DESIGN.md §9). It carries the
 * §14 fields and the original `cause`; {@link SegError.toJSON} gives the wire shape, never a stack.
 */
export class SegError extends Error {
  readonly error_code: SegErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(options: SegErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SegError';
    this.error_code = options.error_code;
    this.retryable = options.retryable ?? DEFAULT_RETRYABLE[options.error_code];
    this.details = options.details ?? {};
  }

  /** The §14 wire shape: code, message, retryable and details; no stack, no cause. */
  toJSON(): SegErrorShape {
    return {
      error_code: this.error_code,
      message: this.message,
      retryable: this.retryable,
      details: this.details,
    };
  }

  /** Rebuilds a SegError from its wire shape (validated). */
  static fromJSON(value: unknown): SegError {
    const parsed = SegErrorSchema.safeParse(value);
    if (!parsed.success) {
      throw new SegError({
        error_code: 'SEG_SCHEMA_VIOLATION',
        message: 'value is not a SegError',
        details: { schema: 'SegError', paths: parsed.error.issues.map((i) => i.path.join('.')) },
      });
    }
    return new SegError(parsed.data);
  }
}

/** True when `value` is a {@link SegError}, optionally with the given code. */
export function isSegError(value: unknown, code?: SegErrorCode): value is SegError {
  return value instanceof SegError && (code === undefined || value.error_code === code);
}
