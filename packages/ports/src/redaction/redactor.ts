import type { PortId } from '../ids/port-id.ts';

/**
 * What a {@link Redactor} removed from one value: a kind of secret (`aws_secret_access_key`, `password`,
 * `private_key`, `high_entropy_string`, …) and how many occurrences. Never the values themselves.
 */
export interface Redaction {
  kind: string;
  count: number;
}

/** One value after redaction and what was removed from it (kinds sorted, counts summed). */
export interface Redacted<T> {
  value: T;
  redactions: Redaction[];
}

/**
 * Removes secrets (credentials, tokens, private keys, passwords) from data before SEG stores or shows it
 * (spec §24, DESIGN.md §5): evidence bodies, raw provider responses, change previews, captured
 * pre-states, finding messages and asset names and properties all go through it.
 *
 * Contract:
 * - `redact` takes many values at once so an implementation can examine all their strings in one pass
 *   (callers hand over a chunk at a time, not one value per call); results are in input order, one per
 *   value.
 * - A string value is redacted as text: each secret found in it is replaced by `[REDACTED:<kind>]` and
 *   the rest of the text is kept. Arrays and objects are redacted element by element; object keys are
 *   kept, and a value under a key that names a secret (`password`, `SecretAccessKey`, `private_key`, …)
 *   is replaced whole when it looks like a secret. Numbers, booleans and null are kept.
 * - The input is never changed: a changed part is a copy, and the result may share the parts that
 *   needed no redaction with the input (a clean value may come back as the same object).
 * - Idempotent: redacting a redacted value changes nothing and reports nothing.
 * - Deterministic: equal inputs give equal outputs, so redacted content still de-duplicates.
 * - `redactions` counts what was removed (never the removed text), kinds sorted.
 *
 * Errors: none for JSON values (a value that is not JSON, a function or a cycle, is a programming error);
 * `SEG_INTERNAL` when an implementation that works elsewhere (a worker thread) fails.
 */
export interface Redactor {
  /** Redacts each value (a text or a JSON value); results in input order. */
  redact<T>(values: readonly T[]): Promise<Redacted<T>[]>;
}

/** Container id of the {@link Redactor}. */
export const RedactorId: PortId<Redactor> = Symbol.for('seg.ports.Redactor');
