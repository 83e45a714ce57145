import { SegError } from '@neurocipher/seg-contracts';

/** Reasons a verification can fail; `SEG_ATTEST_VERIFY_FAILED` errors carry one in `details.reason`. */
export type VerifyFailureReason =
  | 'malformed_envelope'
  | 'unsupported_payload_type'
  | 'no_signatures'
  | 'duplicate_keyid'
  | 'untrusted_key'
  | 'bad_signature'
  | 'missing_required_signature'
  | 'malformed_statement'
  | 'unknown_statement_type'
  | 'unknown_predicate_type'
  | 'payload_hash_mismatch'
  | 'signature_mismatch'
  | 'run_mismatch'
  | 'subject_missing'
  | 'subject_digest_mismatch'
  | 'log_entry_mismatch'
  | 'checkpoint_invalid'
  | 'inclusion_proof_invalid';

/** A `SEG_ATTEST_VERIFY_FAILED` error with its machine-readable reason. */
export function verifyFailed(
  reason: VerifyFailureReason,
  message: string,
  details: Record<string, unknown> = {},
): SegError {
  return new SegError({ error_code: 'SEG_ATTEST_VERIFY_FAILED', message, details: { reason, ...details } });
}

/** A `SEG_INVALID_ARGUMENT` error (bad key material, bad options). */
export function invalidArgument(message: string, details: Record<string, unknown> = {}): SegError {
  return new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message, details });
}
