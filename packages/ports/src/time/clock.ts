import type { PortId } from '../ids/port-id.ts';

/**
 * The time source. Core code asks the clock, never `Date.now()`, so runs are reproducible: evaluations pass
 * the clock's time to policies as `input.now`.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** Inversion-of-control id of {@link Clock}. */
export const ClockId: PortId<Clock> = Symbol.for('seg.ports.Clock');

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };
