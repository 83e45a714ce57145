import assert from 'node:assert/strict';
import { SegErrorSchema, isSegError } from '@neurocipher/seg-contracts';
import type { Asset, SegError, SegErrorCode } from '@neurocipher/seg-contracts';

const SHOWN = 5;

function sample(urns: readonly string[]): string {
  const head = urns.slice(0, SHOWN).join(', ');
  return urns.length > SHOWN ? `${head}, … (${urns.length} in all)` : head;
}

/** Asserts that no URN occurs twice. */
export function assertNoDuplicates(urns: readonly string[], what: string): void {
  const seen = new Set<string>();
  const repeated = urns.filter((u) => (seen.has(u) ? true : (seen.add(u), false)));
  assert.ok(repeated.length === 0, `${what}: ${repeated.length} URNs returned twice: ${sample(repeated)}`);
}

/**
 * Asserts that `actual` holds exactly the URNs of `expected`, each once; the message names what is
 * missing and what is extra rather than diffing thousands of URNs.
 */
export function assertSameUrns(actual: readonly string[], expected: readonly string[], what: string): void {
  assertNoDuplicates(actual, what);
  const got = new Set(actual);
  const want = new Set(expected);
  const missing = [...want].filter((u) => !got.has(u));
  const extra = [...got].filter((u) => !want.has(u));
  assert.ok(
    missing.length === 0 && extra.length === 0,
    `${what}: ${missing.length} missing (${sample(missing)}), ${extra.length} unexpected (${sample(extra)})`,
  );
}

/** Asserts that every URN of `inner` is in `outer`. */
export function assertSubset(inner: readonly string[], outer: readonly string[], what: string): void {
  const have = new Set(outer);
  const extra = inner.filter((u) => !have.has(u));
  assert.ok(extra.length === 0, `${what}: ${extra.length} unexpected (${sample(extra)})`);
}

/** The URNs of some assets. */
export function urnsOf(assets: readonly Asset[]): string[] {
  return assets.map((a) => a.ref.urn);
}

/**
 * Awaits a call that must fail with a `SegError` of one of `codes`, in the §14 shape
 * (`error_code`, a non-empty `message`, boolean `retryable`, object `details`), and returns it.
 */
export async function expectSegError(
  call: Promise<unknown>,
  codes: readonly SegErrorCode[],
  what: string,
  options: { retryable?: boolean } = {},
): Promise<SegError> {
  let error: unknown;
  try {
    await call;
  } catch (caught) {
    error = caught;
  }
  assert.ok(error !== undefined, `${what}: expected a SegError ${codes.join(' or ')}, the call succeeded`);
  if (!isSegError(error)) {
    const shown = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    assert.fail(`${what}: expected a SegError ${codes.join(' or ')}, got ${shown}`);
  }
  assert.ok(
    codes.includes(error.error_code),
    `${what}: expected ${codes.join(' or ')}, got ${error.error_code} (${error.message})`,
  );
  const shape = SegErrorSchema.safeParse(error.toJSON());
  assert.ok(shape.success, `${what}: the error does not have the §14 shape: ${shape.error?.message ?? ''}`);
  if (options.retryable !== undefined) {
    assert.equal(error.retryable, options.retryable, `${what}: ${error.error_code} retryable`);
  }
  return error;
}

/** Milliseconds since the epoch of an RFC 3339 instant; fails on an unparseable one. */
export function instant(value: string, what: string): number {
  const ms = Date.parse(value);
  assert.ok(!Number.isNaN(ms), `${what}: not a timestamp: ${value}`);
  return ms;
}

/** Resolves after `ms` milliseconds, so a later capture has a later timestamp. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
