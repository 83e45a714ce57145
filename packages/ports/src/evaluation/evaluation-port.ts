import type { ControlSpec, EvalRequest, EvalResult, ValidationReport } from '@neurocipher/seg-contracts';
import type { PortId } from '../ids/port-id.ts';

/**
 * Applies controls to assets and produces findings (spec §6.2).
 *
 * Deterministic: the same request over the same assets, configs and bundle gives byte-identical findings,
 * whatever the order the assets arrive in; time comes from the request, never a clock inside a policy.
 * Idempotent: re-evaluating a run id yields the same finding ids (UUIDv5 of run id and fingerprint).
 * Not paged: the result holds every finding of the run. p95 ≤ 500 ms per control excluding provider I/O.
 *
 * Errors: `SEG_POLICY_LOAD_FAILED` when a bundle is missing, unsigned, tampered with or signed by an
 * untrusted key (nothing is evaluated); `SEG_SCHEMA_VIOLATION` for a bad request; adapter errors
 * (`SEG_ADAPTER_TIMEOUT`, `SEG_ADAPTER_UNAVAILABLE`) pass through. A control that fails on one asset gives
 * an `error` finding for that pair; it does not fail the call.
 */
export interface EvaluationPort {
  /** Evaluates `request.control_ids` over the request's scope (or its listed assets). */
  evaluate(request: EvalRequest): Promise<EvalResult>;

  /**
   * Checks that a control can run: its bundle is present and verified, its entrypoint exists, its target
   * kinds are known, its inputs are valid under its schema and its vectors pass. Idempotent (read-only).
   * Problems are reported in the returned report, not thrown.
   */
  validate_control(control: ControlSpec): Promise<ValidationReport>;
}

/** Inversion-of-control id of {@link EvaluationPort}. */
export const EvaluationPortId: PortId<EvaluationPort> = Symbol.for('seg.ports.EvaluationPort');
