import type { SegErrorShape } from '@neurocipher/seg-contracts';
import type { PortId } from '../ids/port-id.ts';

/** A unit of work on the queue. */
export interface Job {
  /** Caller-chosen id; enqueuing the same id twice queues the job once. */
  id: string;
  type: string;
  payload: unknown;
  /** Deliveries so far, counting this one. */
  attempts: number;
}

/**
 * The work queue between `apps/api` and `apps/worker` (DESIGN.md §2): in-process by default, NATS
 * JetStream work-queue in production. At-least-once delivery; `enqueue` is idempotent by job id.
 * A reserved job not completed within the queue's visibility timeout is delivered again.
 *
 * Errors: `SEG_ADAPTER_UNAVAILABLE` (retryable) when the queue cannot be reached, `SEG_NOT_FOUND` when
 * completing or failing a job that is not reserved.
 */
export interface JobQueue {
  /** Queues a job; `duplicate` is true when a job with this id was already queued. */
  enqueue(job: Pick<Job, 'id' | 'type' | 'payload'>): Promise<{ duplicate: boolean }>;
  /** The next job, or null when none arrives within `wait_ms` (default 0). */
  reserve(options?: { wait_ms?: number }): Promise<Job | null>;
  /** Marks a reserved job done; it is not delivered again. */
  complete(job_id: string): Promise<void>;
  /** Marks a reserved job failed; it is delivered again when `retry` is true, else dropped (dead-lettered). */
  fail(job_id: string, error: SegErrorShape, options: { retry: boolean }): Promise<void>;
}

/** Inversion-of-control id of {@link JobQueue}. */
export const JobQueueId: PortId<JobQueue> = Symbol.for('seg.ports.JobQueue');
