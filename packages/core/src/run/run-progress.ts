/** The phases of a run the progress listener hears about, in order. */
export type RunPhase = 'inventory' | 'evaluate' | 'commit';

/** Where a run is: assets done in the current phase, out of how many. */
export interface RunProgressEvent {
  phase: RunPhase;
  /** Assets done in this phase so far (listed, evaluated with their evidence stored, or committed). */
  done: number;
  /** Assets of the phase in all; null while the inventory is still listing (the total grows with it). */
  total: number | null;
}

/**
 * Hears a run's progress: a phase begins with `done: 0`, then `done` grows to `total`. Called on the run's
 * own task; it should return quickly (a progress bar, a log line) and must not throw.
 */
export type RunProgressListener = (event: RunProgressEvent) => void;
