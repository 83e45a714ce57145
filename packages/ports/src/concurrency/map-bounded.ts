/**
 * Maps `items` through `fn` with at most `limit` calls in flight (at least one), keeping input order in
 * the output. The first rejection rejects the whole map; calls already started still run to their end,
 * and no new call starts after it. The one bounded-concurrency helper of SEG (config reads, provider
 * calls, evaluation batches).
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T, i);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: width }, lane));
  return out;
}
