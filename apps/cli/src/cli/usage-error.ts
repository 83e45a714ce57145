import { SegError } from '@neurocipher/seg-contracts';

/** A usage error (exit 2). */
export function usageError(message: string, details: Record<string, unknown> = {}): SegError {
  return new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message, details });
}
