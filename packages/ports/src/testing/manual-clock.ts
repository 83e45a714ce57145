import type { Clock } from '../time/clock.ts';

/** Options of {@link ManualClock}. */
export interface ManualClockOptions {
  /** The initial time; `2026-01-01T00:00:00.000Z` when absent. */
  start?: Date | string;
}

/** A {@link Clock} that only moves when told to: `set` it or `advance` it. For reproducible tests. */
export class ManualClock implements Clock {
  #now: number;

  constructor(options: ManualClockOptions = {}) {
    this.#now = ManualClock.#toMillis(options.start ?? '2026-01-01T00:00:00.000Z');
  }

  static #toMillis(value: Date | string): number {
    const millis = value instanceof Date ? value.getTime() : Date.parse(value);
    if (Number.isNaN(millis)) throw new TypeError(`not a valid time: ${String(value)}`);
    return millis;
  }

  /** The current (manual) time, as a new Date each call. */
  now(): Date {
    return new Date(this.#now);
  }

  /** Moves the clock to `time` (backwards too). */
  set(time: Date | string): void {
    this.#now = ManualClock.#toMillis(time);
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.#now += ms;
  }
}
