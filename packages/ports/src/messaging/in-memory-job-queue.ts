import { SegError, SegErrorSchema, makeParser } from '@neurocipher/seg-contracts';
import type { SegErrorShape } from '@neurocipher/seg-contracts';
import type { DeadLetter, Job, JobQueue, JobStatus } from './job-queue.ts';
import { systemClock } from '../time/clock.ts';
import type { Clock } from '../time/clock.ts';

/** Options of {@link InMemoryJobQueue}. */
export interface InMemoryJobQueueOptions {
  /** Time source for visibility timeouts (use a `ManualClock` to expire reservations in tests). */
  clock?: Clock;
  /** How long a reserved job stays invisible before it is delivered again; 30,000 ms by default. */
  visibility_timeout_ms?: number;
  /**
   * Deliveries after which a job is dead-lettered: when it fails even with `retry`, or when its last
   * delivery times out; 5 by default.
   */
  max_attempts?: number;
}

type JobState = 'queued' | 'reserved' | 'done' | 'dead';

interface Entry {
  job: Job;
  state: JobState;
  reserved_until: number;
}

const parseSegErrorShape = makeParser('SegError', SegErrorSchema);

/** Why a job whose last delivery timed out was dead-lettered. */
export function deliveryTimedOut(job: Pick<Job, 'id' | 'attempts'>): SegErrorShape {
  return new SegError({
    error_code: 'SEG_ADAPTER_TIMEOUT',
    message: `job ${job.id}: no delivery of ${job.attempts} was completed in time`,
    details: { job_id: job.id, attempts: job.attempts },
    retryable: false,
  }).toJSON();
}

/**
 * A {@link JobQueue} in memory, the embedded default: FIFO, at-least-once. A reserved job that is neither
 * completed nor failed before its visibility timeout (measured on the injected clock; `progress` restarts
 * it) is delivered again with `attempts` + 1, or dead-lettered once it had `max_attempts` deliveries.
 * `fail` with `retry` re-queues at the back until `max_attempts`; then, or without `retry`, the job is
 * dead-lettered (see {@link InMemoryJobQueue.dead_letters}). A job id is never queued twice.
 */
export class InMemoryJobQueue implements JobQueue {
  readonly #clock: Clock;
  readonly #visibilityMs: number;
  readonly #maxAttempts: number;
  readonly #entries = new Map<string, Entry>();
  #ready: string[] = [];
  readonly #dead: DeadLetter[] = [];
  readonly #waiters = new Set<() => void>();

  constructor(options: InMemoryJobQueueOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#visibilityMs = options.visibility_timeout_ms ?? 30_000;
    this.#maxAttempts = options.max_attempts ?? 5;
  }

  async enqueue(job: Pick<Job, 'id' | 'type' | 'payload'>): Promise<{ duplicate: boolean }> {
    const bad = [job.id, job.type].some((value) => typeof value !== 'string' || value.length === 0);
    if (bad) {
      throw new SegError({
        error_code: 'SEG_SCHEMA_VIOLATION',
        message: 'a job needs a non-empty string id and type',
        details: { schema: 'Job', paths: ['id', 'type'] },
      });
    }
    if (this.#entries.has(job.id)) return { duplicate: true };
    this.#entries.set(job.id, {
      job: { id: job.id, type: job.type, payload: structuredClone(job.payload), attempts: 0 },
      state: 'queued',
      reserved_until: 0,
    });
    this.#ready.push(job.id);
    for (const wake of this.#waiters) wake();
    return { duplicate: false };
  }

  async reserve(options: { wait_ms?: number } = {}): Promise<Job | null> {
    // The wait is measured in real time (it is how long the caller blocks); visibility uses the clock.
    const deadline = Date.now() + (options.wait_ms ?? 0);
    for (;;) {
      const job = this.#take();
      const remaining = deadline - Date.now();
      if (job !== null || remaining <= 0) return job;
      // Woken by an enqueue or the deadline; another waiter may win the job, so try again until then.
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        // A reservation that times out meanwhile makes its job ready again: look again then.
        const timer = setTimeout(
          wake,
          Math.max(1, Math.min(remaining, this.#nextExpiry() - this.#clock.now().getTime())),
        );
        this.#waiters.add(wake);
      });
    }
  }

  async complete(job_id: string): Promise<void> {
    this.#reserved(job_id).state = 'done';
  }

  async fail(job_id: string, error: SegErrorShape, options: { retry: boolean }): Promise<void> {
    const entry = this.#reserved(job_id);
    const shape = parseSegErrorShape(error);
    if (options.retry && entry.job.attempts < this.#maxAttempts) {
      entry.state = 'queued';
      this.#ready.push(job_id);
      return;
    }
    entry.state = 'dead';
    this.#dead.push({ job: { ...entry.job }, error: shape });
  }

  async progress(job_id: string): Promise<void> {
    this.#reserved(job_id).reserved_until = this.#clock.now().getTime() + this.#visibilityMs;
  }

  async find(job_id: string): Promise<JobStatus | null> {
    const entry = this.#entries.get(job_id);
    if (entry === undefined || entry.state === 'done') return null;
    const job = { ...entry.job, payload: structuredClone(entry.job.payload) };
    if (entry.state === 'dead') {
      const letter = this.#dead.find((l) => l.job.id === job_id);
      return { job, state: 'dead', ...(letter ? { error: { ...letter.error } } : {}) };
    }
    return { job, state: entry.state === 'reserved' ? 'running' : 'pending' };
  }

  /** Jobs dropped so far, oldest first. */
  async dead_letters(): Promise<DeadLetter[]> {
    return this.#dead.map((letter) => ({ job: { ...letter.job }, error: { ...letter.error } }));
  }

  #nextExpiry(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.#entries.values())
      if (entry.state === 'reserved') next = Math.min(next, entry.reserved_until);
    return next;
  }

  #take(): Job | null {
    const now = this.#clock.now().getTime();
    for (const [id, entry] of this.#entries) {
      if (entry.state !== 'reserved' || entry.reserved_until > now) continue;
      if (entry.job.attempts >= this.#maxAttempts) {
        entry.state = 'dead';
        this.#dead.push({ job: { ...entry.job }, error: deliveryTimedOut(entry.job) });
      } else {
        entry.state = 'queued';
        this.#ready.push(id);
      }
    }
    const id = this.#ready.shift();
    if (id === undefined) return null;
    const entry = this.#entries.get(id) as Entry;
    entry.state = 'reserved';
    entry.job.attempts += 1;
    entry.reserved_until = now + this.#visibilityMs;
    return { ...entry.job, payload: structuredClone(entry.job.payload) };
  }

  #reserved(job_id: string): Entry {
    const entry = this.#entries.get(job_id);
    if (entry?.state !== 'reserved') {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: 'job is not reserved',
        details: { job_id },
      });
    }
    return entry;
  }
}
