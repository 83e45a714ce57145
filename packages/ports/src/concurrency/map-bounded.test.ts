import { describe, expect, it } from '@jest/globals';
import { mapBounded } from './map-bounded.ts';

describe('mapBounded', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded([5, 1, 4, 2, 3], 2, async (n, i) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running -= 1;
      return `${i}:${n}`;
    });
    expect(out).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3']);
    expect(peak).toBe(2);
  });

  it('runs one at a time for a limit below one and maps nothing to nothing', async () => {
    const seen: number[] = [];
    await mapBounded([1, 2, 3], 0, async (n) => void seen.push(n));
    expect(seen).toEqual([1, 2, 3]);
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
  });

  it('rejects with the first failure and starts no call after it', async () => {
    const started: number[] = [];
    const run = mapBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await new Promise((r) => setTimeout(r, 1));
      if (n === 2) throw new Error('boom');
      return n;
    });
    await expect(run).rejects.toThrow('boom');
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual([1, 2, 3]);
  });
});
