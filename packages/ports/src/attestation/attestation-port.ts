import type {
  Attestation,
  AttestationTarget,
  PublishReport,
  RunSummary,
  Scope,
  VerifyReport,
} from '@neurocipher/seg-contracts';
import type { PortId } from '../ids/port-id.ts';

/**
 * Signs and publishes attestations (spec §6.5): DSSE envelopes over in-toto statements, Ed25519 by default.
 *
 * Errors: `SEG_ATTEST_VERIFY_FAILED` is never thrown by `verify` (the report says why) but is thrown by
 * `sign` when the signer's own check of the new signature fails; `SEG_NOT_FOUND` when a run's artifacts
 * cannot be resolved; `SEG_SCHEMA_VIOLATION` for a bad run summary.
 */
export interface AttestationPort {
  /** Signs a statement over `run` and the digests of what it committed. Not idempotent: each call is a new attestation. */
  sign(run: RunSummary, scope: Scope): Promise<Attestation>;

  /**
   * Verifies every signature under the trusted keys, the payload hash, the subject digests (by re-hashing
   * the stored artifacts) and the statement type. Idempotent (read-only).
   */
  verify(attestation: Attestation): Promise<VerifyReport>;

  /**
   * Publishes to every target; one result per target. A failed target gives a `partial` report, not an
   * exception. Idempotent per target: republishing the same attestation does not duplicate it.
   */
  publish(attestation: Attestation, targets: readonly AttestationTarget[]): Promise<PublishReport>;
}

/** Inversion-of-control id of {@link AttestationPort}. */
export const AttestationPortId: PortId<AttestationPort> = Symbol.for('seg.ports.AttestationPort');
