/** Microseconds since the epoch of an RFC 3339 timestamp (sub-millisecond digits kept up to micros). */
export function isoToMicros(iso: string): bigint {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${iso}`);
  const frac = /T\d\d:\d\d:\d\d\.(\d+)/.exec(iso)?.[1] ?? '';
  const extra = frac.length > 3 ? Number(frac.slice(3, 6).padEnd(3, '0')) : 0;
  return BigInt(ms) * 1000n + BigInt(extra);
}

/** An RFC 3339 UTC timestamp (`Z`) for microseconds since the epoch, with the shortest exact fraction. */
export function microsToIso(micros: bigint): string {
  const perSecond = 1_000_000n;
  let seconds = micros / perSecond;
  let frac = micros % perSecond;
  if (frac < 0n) {
    frac += perSecond;
    seconds -= 1n;
  }
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  const digits = String(frac).padStart(6, '0').replace(/0+$/, '');
  return digits === '' ? `${base}Z` : `${base}.${digits}Z`;
}
