import type { AwsSession } from '../provider/aws-session.ts';
import type { AssetLocator } from '../inventory/collector.ts';

/** What a step operation works on: the session, the target asset and the step's parameters. */
export interface StepContext {
  session: AwsSession;
  at: AssetLocator;
  params: Record<string, unknown>;
}

/**
 * One kind of remediation step (an AWS mutation) with everything apply and rollback need:
 * `capture` reads the exact provider state the step changes (stored as the pre-state), `satisfied`
 * says whether that state already is what the step wants (then the step is `skipped`), `apply`
 * changes it and returns the provider change id (the mutating request's id), and `restore` puts a
 * captured pre-state back.
 */
export interface StepOp {
  /** `service:Operation`, the `RemediationStep.action`. */
  readonly action: string;
  /** False where AWS has no exact inverse; `inverseNote` then says what rollback does instead. */
  readonly exactInverse: boolean;
  readonly inverseNote?: string;
  capture(ctx: StepContext): Promise<unknown>;
  satisfied(state: unknown, ctx: StepContext): boolean;
  apply(ctx: StepContext, pre: unknown): Promise<string | undefined>;
  restore(ctx: StepContext, pre: unknown): Promise<string | undefined>;
  /**
   * For ops without an exact inverse: whether `current` is what `restore(pre)` leaves (so a second rollback
   * is `skipped`). Exact ops compare `current` with `pre` as canonical JSON.
   */
  restoredEquivalent?(current: unknown, pre: unknown): boolean;
}

/** The request id of an SDK response: the provider change id of a mutation. */
export function requestId(
  out: { $metadata?: { requestId?: string | undefined } } | undefined,
): string | undefined {
  return out?.$metadata?.requestId;
}

/** Reads a string parameter of a step; throws when it is missing. */
export function str(params: Record<string, unknown>, key: string): string {
  const v = params[key];
  if (typeof v !== 'string' || v.length === 0)
    throw new Error(`step parameter ${key} must be a non-empty string`);
  return v;
}
