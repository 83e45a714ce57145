// The JobQueue port on NATS JetStream: a work-queue stream, one durable pull consumer shared by every
// worker (explicit ack, an ack wait, bounded deliveries), and a dead-letter stream.
import { SegError, SegErrorSchema, makeParser } from '@neurocipher/seg-contracts';
import type { SegErrorShape } from '@neurocipher/seg-contracts';
import { deliveryTimedOut, sha256Hex } from '@neurocipher/seg-ports';
import type { DeadLetter, Job, JobQueue, JobStatus } from '@neurocipher/seg-ports';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { Consumer, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { headers, nanos } from '@nats-io/transport-node';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { natsCall } from './nats-connection.ts';

/** Options of {@link JetStreamJobQueue.open}. */
export interface JetStreamJobQueueOptions {
  /** The work-queue stream; `SEG_JOBS` by default. Its subjects are `<subject_prefix>.<sha256 of the job id>`. */
  stream?: string | undefined;
  /** `seg.jobs` by default. */
  subject_prefix?: string | undefined;
  /** The dead-letter stream; `SEG_JOBS_DEAD` by default, subjects `<dead_subject_prefix>.<sha256 of the job id>`. */
  dead_stream?: string | undefined;
  /** `seg.dead` by default. */
  dead_subject_prefix?: string | undefined;
  /** The durable consumer every worker shares; `seg-workers` by default. */
  consumer?: string | undefined;
  /** How long a delivery may go without `complete`, `fail` or `progress` before it is redelivered; 30 s. */
  ack_wait_ms?: number | undefined;
  /** Deliveries of a job before it is dead-lettered; 5 by default. */
  max_deliver?: number | undefined;
  /** How long a job id is remembered for de-duplication (`Nats-Msg-Id`); 2 h by default. */
  duplicate_window_ms?: number | undefined;
}

type ResolvedOptions = { [K in keyof JetStreamJobQueueOptions]-?: NonNullable<JetStreamJobQueueOptions[K]> };

interface JobBody {
  id: string;
  type: string;
  payload: unknown;
}

interface DeadBody {
  job: Job;
  error: SegErrorShape;
}

const parseSegErrorShape = makeParser('SegError', SegErrorSchema);
const encoder = new TextEncoder();

function invalidJob(message: string, paths: string[]): SegError {
  return new SegError({ error_code: 'SEG_SCHEMA_VIOLATION', message, details: { schema: 'Job', paths } });
}

/**
 * {@link JobQueue} on JetStream. `enqueue` publishes with `Nats-Msg-Id` = the job id, so the stream
 * stores a job id once within its duplicate window. Every instance on the same stream and consumer
 * shares the jobs: each job goes to one `reserve` at a time; one not completed, failed or heartbeaten
 * (`progress`, a JetStream `+WPI`) within the ack wait is delivered again, to whichever worker asks,
 * with `attempts` = JetStream's delivery count. `complete` is a confirmed ack: when it returns, the
 * job will not be delivered again. `fail` with `retry` naks (redelivered at once) until `max_deliver`
 * deliveries; then, or without `retry`, the job goes to the dead-letter stream with its error and is
 * terminated. A job whose last delivery times out (its worker died) is moved there by every open
 * queue that hears the server's max-deliveries advisory (the dead letter is de-duplicated by id).
 */
export class JetStreamJobQueue implements JobQueue {
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #consumer: Consumer;
  readonly #o: ResolvedOptions;
  readonly #reserved = new Map<string, JsMsg>();
  readonly #advisories: Subscription;
  readonly #moving = new Set<Promise<void>>();

  private constructor(
    js: JetStreamClient,
    jsm: JetStreamManager,
    consumer: Consumer,
    options: ResolvedOptions,
    advisories: Subscription,
  ) {
    this.#js = js;
    this.#jsm = jsm;
    this.#consumer = consumer;
    this.#o = options;
    this.#advisories = advisories;
  }

  /**
   * Creates (or updates) the streams and the consumer, idempotently, and listens for max-deliveries
   * advisories. Errors: `SEG_ADAPTER_UNAVAILABLE` (retryable) when JetStream does not answer.
   */
  static async open(
    connection: NatsConnection,
    options: JetStreamJobQueueOptions = {},
  ): Promise<JetStreamJobQueue> {
    const o: ResolvedOptions = {
      stream: options.stream ?? 'SEG_JOBS',
      subject_prefix: options.subject_prefix ?? 'seg.jobs',
      dead_stream: options.dead_stream ?? 'SEG_JOBS_DEAD',
      dead_subject_prefix: options.dead_subject_prefix ?? 'seg.dead',
      consumer: options.consumer ?? 'seg-workers',
      ack_wait_ms: options.ack_wait_ms ?? 30_000,
      max_deliver: options.max_deliver ?? 5,
      duplicate_window_ms: options.duplicate_window_ms ?? 2 * 60 * 60 * 1000,
    };
    return natsCall('opening the job queue', async () => {
      const jsm = await jetstreamManager(connection);
      await ensureStream(jsm, {
        name: o.stream,
        subjects: [`${o.subject_prefix}.>`],
        retention: RetentionPolicy.Workqueue,
        duplicate_window: nanos(o.duplicate_window_ms),
      });
      await ensureStream(jsm, {
        name: o.dead_stream,
        subjects: [`${o.dead_subject_prefix}.>`],
        retention: RetentionPolicy.Limits,
        duplicate_window: nanos(o.duplicate_window_ms),
      });
      const consumerConfig = {
        durable_name: o.consumer,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(o.ack_wait_ms),
        max_deliver: o.max_deliver,
      };
      try {
        await jsm.consumers.add(o.stream, consumerConfig);
      } catch {
        // It exists (another instance made it): bring its settings to these.
        await jsm.consumers.update(o.stream, o.consumer, {
          ack_wait: consumerConfig.ack_wait,
          max_deliver: consumerConfig.max_deliver,
        });
      }
      const js = jetstream(connection);
      const consumer = await js.consumers.get(o.stream, o.consumer);
      const advisories = connection.subscribe(
        `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${o.stream}.${o.consumer}`,
      );
      const queue = new JetStreamJobQueue(js, jsm, consumer, o, advisories);
      void queue.#onAdvisories();
      return queue;
    });
  }

  async enqueue(job: Pick<Job, 'id' | 'type' | 'payload'>): Promise<{ duplicate: boolean }> {
    if (
      typeof job.id !== 'string' ||
      job.id.length === 0 ||
      typeof job.type !== 'string' ||
      job.type.length === 0
    )
      throw invalidJob('a job needs a non-empty string id and type', ['id', 'type']);
    const body: JobBody = { id: job.id, type: job.type, payload: job.payload };
    const ack = await natsCall('enqueue', () =>
      this.#js.publish(this.#subject(this.#o.subject_prefix, job.id), encoder.encode(JSON.stringify(body)), {
        msgID: job.id,
      }),
    );
    return { duplicate: ack.duplicate };
  }

  /** The next job, or null when none arrives within `wait_ms` (JetStream waits at least 1 s). */
  async reserve(options: { wait_ms?: number } = {}): Promise<Job | null> {
    const expires = Math.max(1_000, options.wait_ms ?? 0);
    const msg = await natsCall('reserve', () => this.#consumer.next({ expires }));
    if (msg === null) return null;
    const body = msg.json<JobBody>();
    this.#reserved.set(body.id, msg);
    return { id: body.id, type: body.type, payload: body.payload, attempts: msg.info.deliveryCount };
  }

  async complete(job_id: string): Promise<void> {
    const msg = this.#take(job_id);
    await natsCall('complete', () => msg.ackAck()).then((confirmed) => {
      if (!confirmed)
        throw new SegError({
          error_code: 'SEG_ADAPTER_UNAVAILABLE',
          message: `NATS did not confirm the ack of job ${job_id}; it may be delivered again`,
          details: { job_id },
          retryable: true,
        });
    });
  }

  async fail(job_id: string, error: SegErrorShape, options: { retry: boolean }): Promise<void> {
    const shape = parseSegErrorShape(error);
    const msg = this.#take(job_id);
    if (options.retry && msg.info.deliveryCount < this.#o.max_deliver) {
      msg.nak();
      return;
    }
    const body = msg.json<JobBody>();
    await this.#deadLetter({ ...body, attempts: msg.info.deliveryCount }, shape);
    msg.term(`dead-lettered: ${shape.error_code}`);
  }

  async progress(job_id: string): Promise<void> {
    const msg = this.#reserved.get(job_id);
    if (msg === undefined) throw notReserved(job_id);
    msg.working();
  }

  async dead_letters(): Promise<DeadLetter[]> {
    return natsCall('reading dead letters', async () => {
      const info = await this.#jsm.streams.info(this.#o.dead_stream);
      const letters: DeadLetter[] = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
        const stored = await this.#jsm.streams.getMessage(this.#o.dead_stream, { seq }).catch(() => null);
        if (stored) letters.push(stored.json<DeadBody>());
      }
      return letters;
    });
  }

  /** Where a job is: still in the work queue (`pending`: waiting or being worked on), dead-lettered, or null. */
  async find(job_id: string): Promise<JobStatus | null> {
    return natsCall('finding a job', async () => {
      const last = async (stream: string, prefix: string) => {
        try {
          return await this.#jsm.streams.getMessage(stream, { last_by_subj: this.#subject(prefix, job_id) });
        } catch (error) {
          if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.NoMessageFound)
            return null;
          throw error;
        }
      };
      const dead = await last(this.#o.dead_stream, this.#o.dead_subject_prefix);
      if (dead) {
        const letter = dead.json<DeadBody>();
        return { job: letter.job, state: 'dead', error: letter.error };
      }
      const queued = await last(this.#o.stream, this.#o.subject_prefix);
      if (!queued) return null;
      const body = queued.json<JobBody>();
      return { job: { ...body, attempts: 0 }, state: 'pending' };
    });
  }

  // One subject per job id (hashed: any id is a valid subject token), so a job can be found by its id.
  #subject(prefix: string, job_id: string): string {
    return `${prefix}.${sha256Hex(job_id)}`;
  }

  /** Stops listening for advisories and forgets reserved jobs (they are redelivered after the ack wait). */
  async close(): Promise<void> {
    this.#advisories.unsubscribe();
    await Promise.allSettled([...this.#moving]);
    this.#reserved.clear();
  }

  #take(job_id: string): JsMsg {
    const msg = this.#reserved.get(job_id);
    if (msg === undefined) throw notReserved(job_id);
    this.#reserved.delete(job_id);
    return msg;
  }

  async #deadLetter(job: Job, error: SegErrorShape): Promise<void> {
    const body: DeadBody = { job, error };
    const h = headers();
    h.set('Seg-Error-Code', error.error_code);
    await natsCall('dead-lettering', () =>
      this.#js.publish(
        this.#subject(this.#o.dead_subject_prefix, job.id),
        encoder.encode(JSON.stringify(body)),
        {
          msgID: `dead/${job.id}`,
          headers: h,
        },
      ),
    );
  }

  // A job whose last delivery timed out stays in the work queue, never delivered again: move it.
  async #onAdvisories(): Promise<void> {
    for await (const advisory of this.#advisories) {
      const { stream_seq: seq, deliveries } = advisory.json<{ stream_seq: number; deliveries: number }>();
      const moving = this.#moveToDead(seq, deliveries).catch(() => {
        // Another queue moved it first, or JetStream is away: the next advisory holder will do it.
      });
      this.#moving.add(moving);
      void moving.finally(() => this.#moving.delete(moving));
    }
  }

  async #moveToDead(seq: number, deliveries: number): Promise<void> {
    const stored = await this.#jsm.streams.getMessage(this.#o.stream, { seq });
    if (stored === null) return;
    const body = stored.json<JobBody>();
    const job: Job = { ...body, attempts: deliveries };
    await this.#deadLetter(job, deliveryTimedOut(job));
    await this.#jsm.streams.deleteMessage(this.#o.stream, seq, false);
  }
}

function notReserved(job_id: string): SegError {
  return new SegError({
    error_code: 'SEG_NOT_FOUND',
    message: 'job is not reserved',
    details: { job_id },
  });
}

async function ensureStream(
  jsm: JetStreamManager,
  config: { name: string; subjects: string[]; retention: RetentionPolicy; duplicate_window: number },
): Promise<void> {
  const exists = await jsm.streams.info(config.name).then(
    () => true,
    (error: unknown) => {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return false;
      throw error;
    },
  );
  if (exists)
    await jsm.streams.update(config.name, {
      subjects: config.subjects,
      duplicate_window: config.duplicate_window,
    });
  else await jsm.streams.add(config);
}
