// The worker loop: reserve a run job, run it on its tenant's engine while heartbeating, then complete it
// or fail it (retried when the error says a retry may help). Stopping takes no new job and finishes the
// current one, or hands it back to the queue when the grace time runs out.
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import type { JobQueue, Job } from '@neurocipher/seg-ports';
import { RUN_JOB_TYPE, parseRunJob, runJob } from '@neurocipher/seg-runtime';
import type { Engine, RunJob } from '@neurocipher/seg-runtime';

/** One line of the worker's log (JSON on stdout): never a secret, never a stack. */
export type LogLine = { level: 'info' | 'warn' | 'error'; msg: string } & Record<string, unknown>;

/** Options of {@link RunWorker}. */
export interface RunWorkerOptions {
  queue: JobQueue;
  /** The engine of a tenant (cached by the caller; `SEG_NOT_FOUND` for an unknown tenant). */
  engineFor(org_id: string): Promise<Engine>;
  /** How often a running job is heartbeaten (`jobs.heartbeat_ms`). */
  heartbeat_ms: number;
  log(line: LogLine): void;
  /** How long `reserve` waits per call; 2,000 ms by default. */
  poll_ms?: number | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function segErrorOf(error: unknown): SegError {
  if (isSegError(error)) return error;
  return new SegError({
    error_code: 'SEG_INTERNAL',
    message: 'the run failed',
    cause: error,
    retryable: true,
  });
}

/** Takes run jobs one at a time until {@link RunWorker.stop}. */
export class RunWorker {
  readonly #o: RunWorkerOptions;
  #stopping = false;
  #current: { job: Job; done: Promise<void> } | null = null;
  #loop: Promise<void> | null = null;
  readonly #handedBack = new Set<string>();

  constructor(options: RunWorkerOptions) {
    this.#o = options;
  }

  /** Starts the loop (once). */
  start(): void {
    this.#loop ??= this.#run();
  }

  /**
   * Stops taking jobs. The job running now is finished within `grace_ms`; past it, it is handed back to
   * the queue (delivered again, to another worker) and this resolves.
   */
  async stop(grace_ms = 30_000): Promise<void> {
    this.#stopping = true;
    const current = this.#current;
    if (current) {
      const finished = await Promise.race([current.done.then(() => true), sleep(grace_ms).then(() => false)]);
      if (!finished) {
        this.#o.log({ level: 'warn', msg: 'job handed back at shutdown', job_id: current.job.id });
        this.#handedBack.add(current.job.id);
        await this.#o.queue
          .fail(
            current.job.id,
            new SegError({
              error_code: 'SEG_ADAPTER_UNAVAILABLE',
              message: 'the worker shut down during the run',
              retryable: true,
            }).toJSON(),
            { retry: true },
          )
          .catch(() => undefined);
      }
    }
    await this.#loop?.catch(() => undefined);
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      let job: Job | null;
      try {
        job = await this.#o.queue.reserve({ wait_ms: this.#o.poll_ms ?? 2_000 });
      } catch (error) {
        const e = segErrorOf(error);
        this.#o.log({
          level: 'warn',
          msg: 'queue unavailable',
          error_code: e.error_code,
          retryable: e.retryable,
        });
        await sleep(1_000);
        continue;
      }
      if (job === null) continue;
      if (this.#stopping) {
        // Reserved as the stop came: hand it back untouched.
        await this.#o.queue
          .fail(job.id, segErrorOf(new Error('shutdown')).toJSON(), { retry: true })
          .catch(() => undefined);
        break;
      }
      const done = this.#handle(job);
      this.#current = { job, done };
      await done;
      this.#current = null;
    }
  }

  async #handle(job: Job): Promise<void> {
    const { queue, log } = this.#o;
    const beat = setInterval(() => void queue.progress(job.id).catch(() => undefined), this.#o.heartbeat_ms);
    let run: RunJob | null = null;
    try {
      if (job.type !== RUN_JOB_TYPE) {
        throw new SegError({
          error_code: 'SEG_INVALID_ARGUMENT',
          message: `unknown job type ${job.type}`,
          retryable: false,
        });
      }
      run = parseRunJob(job.payload);
      log({
        level: 'info',
        msg: 'run started',
        job_id: job.id,
        run_id: run.run_id,
        org_id: run.org_id,
        attempt: job.attempts,
      });
      const engine = await this.#o.engineFor(run.org_id);
      const outcome = await runJob(engine, run);
      if (this.#handedBack.has(job.id)) return; // handed back at shutdown meanwhile: not ours to ack
      await queue.complete(job.id);
      log({
        level: 'info',
        msg: 'run completed',
        job_id: job.id,
        run_id: outcome.run.run_id,
        org_id: run.org_id,
        attempt: job.attempts,
        findings: outcome.findings.length,
        replayed: outcome.commit?.replayed ?? false,
      });
    } catch (error) {
      const e = segErrorOf(error);
      log({
        level: 'error',
        msg: 'run failed',
        job_id: job.id,
        ...(run ? { run_id: run.run_id, org_id: run.org_id } : {}),
        attempt: job.attempts,
        error_code: e.error_code,
        message: e.message,
        retryable: e.retryable,
      });
      await queue.fail(job.id, e.toJSON(), { retry: e.retryable }).catch(() => undefined);
    } finally {
      clearInterval(beat);
    }
  }
}
