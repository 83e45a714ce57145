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

/** A job that was dropped: failed without retry, or out of deliveries. */
export interface DeadLetter {
  job: Job;
  /** Why: the error the last consumer gave, or `SEG_ADAPTER_TIMEOUT` when its last delivery timed out. */
  error: SegErrorShape;
}

/** Where a job is: waiting or being worked on (`pending`; the in-process queue tells `running` apart), or dead-lettered. */
export interface JobStatus {
  job: Job;
  state: 'pending' | 'running' | 'dead';
  /** Why it was dead-lettered. */
  error?: SegErrorShape | undefined;
}

/**
 * The work queue between `apps/api` and `apps/worker` (DESIGN.md §2): in-process by default, NATS
 * JetStream work-queue in production. At-least-once delivery; `enqueue` is idempotent by job id (the
 * in-process queue for its lifetime, JetStream within the stream's duplicate window). A reserved job
 * neither completed nor failed within the queue's visibility timeout (ack wait) is delivered again;
 * `progress` restarts that timeout, so a long job heartbeats instead of being redelivered. Deliveries
 * are bounded: a job out of them is dead-lettered.
 *
 * Errors: `SEG_ADAPTER_UNAVAILABLE` (retryable) when the queue cannot be reached, `SEG_NOT_FOUND` when
 * completing, failing or heartbeating a job that is not reserved (here).
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
  /** A heartbeat for a reserved job still being worked on: its visibility timeout starts again. */
  progress(job_id: string): Promise<void>;
  /** The dead-lettered jobs, oldest first. */
  dead_letters(): Promise<DeadLetter[]>;
  /** Where the job with this id is, or null when it is not on the queue (done, or never queued). */
  find(job_id: string): Promise<JobStatus | null>;
}

/** Inversion-of-control id of {@link JobQueue}. */
export const JobQueueId: PortId<JobQueue> = Symbol.for('seg.ports.JobQueue');
