// Deterministic Rego built-ins the opa-wasm SDK does not ship, implemented on the host (notes/opa.md §1.3).
// Contract of a host built-in: arguments arrive JSON-decoded; returning `undefined` makes the call
// undefined, which is what OPA's topdown does with a built-in error in non-strict mode, so wasm and
// `opa test` agree. Nothing here reads the clock, the network or randomness.

// Go's time.Parse(time.RFC3339, s): upper-case T and Z only, any number of fraction digits (after `.` or
// `,`, truncated to nanoseconds), offsets up to ±24:59.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Nanoseconds since the epoch of an RFC 3339 timestamp, or undefined when malformed (as Go's
 * `time.Parse(time.RFC3339, s)`). The result is a JS number: exact to the millisecond, within 256 ns
 * beyond (float64), which is ample for the day- and hour-scale comparisons controls make.
 */
export function parseRfc3339Ns(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  let offsetMinutes = 0;
  const zone = m[8]!;
  if (zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 24 || om > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
  const ms = date.getTime() - offsetMinutes * 60_000;
  const fraction = Number((m[7] ?? '').slice(0, 9).padEnd(9, '0') || '0');
  const ns = BigInt(ms) * 1_000_000n + BigInt(fraction);
  // Go's UnixNano is an int64 (years 1678-2262); OPA errors outside it.
  if (ns < -(2n ** 63n) || ns >= 2n ** 63n) return undefined;
  return Number(ns);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function asStrings(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  return isStringArray(value) ? value : undefined;
}

/**
 * The host built-ins handed to `loadPolicy` (by name). Kept to pure functions of their arguments.
 */
export const hostBuiltins: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  'time.parse_rfc3339_ns': (value) => parseRfc3339Ns(value),
  'object.keys': (obj) =>
    obj !== null && typeof obj === 'object' && !Array.isArray(obj) ? Object.keys(obj).sort() : undefined,
  'strings.any_prefix_match': (search, base) => {
    const s = asStrings(search);
    const b = asStrings(base);
    return s && b ? s.some((x) => b.some((p) => x.startsWith(p))) : undefined;
  },
  'strings.any_suffix_match': (search, base) => {
    const s = asStrings(search);
    const b = asStrings(base);
    return s && b ? s.some((x) => b.some((p) => x.endsWith(p))) : undefined;
  },
};
