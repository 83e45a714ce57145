// Iceberg ids (snapshot ids, sequence numbers) are 64-bit longs; Java and pyiceberg write random
// 63-bit snapshot ids, so plain JSON.parse would round them. Node 22+ gives the reviver the source
// text of each number and has JSON.rawJSON, which makes a lossless round trip a few lines.

type ReviverContext = { source?: string };

/** Parses JSON, turning every integer outside the safe range into a bigint (no precision loss). */
export function parseLossless<T = unknown>(text: string): T {
  return JSON.parse(text, function (_key: string, value: unknown, context?: ReviverContext) {
    if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined) {
      if (/^-?\d+$/.test(context.source)) return BigInt(context.source);
    }
    return value;
  } as (this: unknown, key: string, value: unknown) => unknown) as T;
}

const rawJSON = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/** Serialises JSON, writing bigints as exact integer literals. */
export function stringifyLossless(value: unknown, space?: number): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'bigint' ? rawJSON(v.toString()) : v),
    space,
  );
}
