import { SingleBar } from 'cli-progress';
import type { RunProgressListener } from '@neurocipher/seg-core';
import type { CliIo } from '../cli/io.ts';

/** Progress of a scan's phases, reported by the scan as it goes. */
export interface ScanProgress {
  /** A phase starts with `total` units (assets); 0 when unknown yet (it grows with `update`). */
  start(phase: 'inventory' | 'evaluate' | 'commit', total: number): void;
  /** `done` units of the current phase are finished. */
  update(done: number): void;
  /** The scan is over (success or failure). */
  stop(): void;
}

/** A progress reporter that reports nothing (`--quiet`, JSON output to a pipe). */
export const silentProgress: ScanProgress = {
  start: () => undefined,
  update: () => undefined,
  stop: () => undefined,
};

/**
 * A progress bar on stderr (cli-progress): phase, bar, done/total assets and ETA. When stderr is not a
 * terminal it prints one line per finished phase instead, so logs stay readable.
 */
export function stderrProgress(io: CliIo): ScanProgress {
  const tty = io.stderr.isTTY === true;
  let bar: SingleBar | null = null;
  let phase = '';
  let total = 0;
  let started = 0;
  const finish = (): void => {
    if (bar) {
      bar.stop();
      bar = null;
    } else if (phase !== '') {
      io.stderr.write(
        `${phase}: ${total} assets in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
    phase = '';
  };
  return {
    start(next, count) {
      finish();
      phase = next === 'inventory' ? 'inventoried' : next === 'evaluate' ? 'evaluated' : 'committed';
      total = count;
      started = performance.now();
      if (tty) {
        bar = new SingleBar({
          stream: io.stderr as NodeJS.WritableStream,
          format: `${phase.padEnd(11)} [{bar}] {value}/{total} assets | ETA {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
        });
        bar.start(Math.max(count, 1), 0);
      }
    },
    update(done) {
      // A listing's size is known only at its end: the total grows with it.
      if (done > total) {
        total = done;
        bar?.setTotal(done);
      }
      bar?.update(done);
    },
    stop: finish,
  };
}

/**
 * Feeds a run's progress events (`RunService` of `@neurocipher/seg-core`) to a {@link ScanProgress}: each
 * new phase starts it with the phase's total (0 while the listing grows), then every event updates it.
 */
export function progressListener(progress: ScanProgress): RunProgressListener {
  let phase: string | null = null;
  return (event) => {
    if (event.phase !== phase) {
      phase = event.phase;
      progress.start(event.phase, event.total ?? 0);
    }
    progress.update(event.done);
  };
}
