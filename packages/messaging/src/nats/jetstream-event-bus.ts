// The EventBus port on NATS JetStream: the §10.2 events on one stream, subject = event type, each
// published with Nats-Msg-Id = its exactly-once key.
import { EVENT_TYPES, assertEventTypes, parseSegEvent } from '@neurocipher/seg-contracts';
import type { EventType, SegEvent } from '@neurocipher/seg-contracts';
import { retrying } from '@neurocipher/seg-ports';
import type { EventBus, RetryPolicy, Subscription } from '@neurocipher/seg-ports';
import {
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { ConsumerMessages, JetStreamClient } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { natsCall } from './nats-connection.ts';

/** Options of {@link JetStreamEventBus.open}. */
export interface JetStreamEventBusOptions {
  /** The events stream; `SEG_EVENTS` by default. */
  stream?: string | undefined;
  /** How long an event key is remembered for de-duplication; 2 h by default. */
  duplicate_window_ms?: number | undefined;
  /** How long events are kept; 7 days by default. */
  max_age_ms?: number | undefined;
}

/** A handler failure a subscription caught (the event is not redelivered to it). */
export interface EventDeliveryError {
  event: SegEvent;
  error: unknown;
}

const encoder = new TextEncoder();
// A NATS restart takes a few seconds; each attempt has JetStream's own 5 s publish timeout.
const PUBLISH_RETRY: RetryPolicy = { attempts: 4, base_ms: 250, max_ms: 2_000 };

/** The stream subjects that hold the six event types (`seg.run.*`, `seg.findings.*`…). */
export function eventSubjects(): string[] {
  return [...new Set(EVENT_TYPES.map((type) => `${type.split('.').slice(0, 2).join('.')}.*`))];
}

/**
 * {@link EventBus} on JetStream. `publish` validates the event and publishes it on the subject named by
 * its type with `Nats-Msg-Id` = its key: within the duplicate window a second publish of a key is not
 * stored and reports `duplicate: true`. `subscribe` reads with one ordered consumer per type from the
 * events published after it was made (they survive a server restart); a handler that throws does not stop
 * the subscription, and its error goes to `onError`. Services that must not miss events while down use a
 * durable consumer of the stream instead.
 */
export class JetStreamEventBus implements EventBus {
  readonly #js: JetStreamClient;
  readonly #stream: string;
  readonly #onError: (failure: EventDeliveryError) => void;

  private constructor(js: JetStreamClient, stream: string, onError: (failure: EventDeliveryError) => void) {
    this.#js = js;
    this.#stream = stream;
    this.#onError = onError;
  }

  /**
   * Creates (or updates) the events stream. `onError` hears handler failures (default: none).
   * Errors: `SEG_ADAPTER_UNAVAILABLE` (retryable) when JetStream does not answer.
   */
  static async open(
    connection: NatsConnection,
    options: JetStreamEventBusOptions & { onError?: (failure: EventDeliveryError) => void } = {},
  ): Promise<JetStreamEventBus> {
    const stream = options.stream ?? 'SEG_EVENTS';
    return natsCall('opening the event bus', async () => {
      const jsm = await jetstreamManager(connection);
      const config = {
        subjects: eventSubjects(),
        duplicate_window: nanos(options.duplicate_window_ms ?? 2 * 60 * 60 * 1000),
        max_age: nanos(options.max_age_ms ?? 7 * 24 * 60 * 60 * 1000),
      };
      const exists = await jsm.streams.info(stream).then(
        () => true,
        (error: unknown) => {
          if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)
            return false;
          throw error;
        },
      );
      if (exists) await jsm.streams.update(stream, config);
      else await jsm.streams.add({ name: stream, retention: RetentionPolicy.Limits, ...config });
      return new JetStreamEventBus(jetstream(connection), stream, options.onError ?? (() => undefined));
    });
  }

  /**
   * Publishes `event` with `Nats-Msg-Id` = its key. A publish that fails retryably (the server away for a
   * restart) is sent again, up to 4 attempts with backoff: the stream de-duplicates by the key, so a first
   * attempt that landed after all is not delivered twice.
   */
  async publish(event: SegEvent): Promise<{ duplicate: boolean }> {
    const parsed = parseSegEvent(event);
    const ack = await retrying(
      () =>
        natsCall(`publishing ${parsed.type}`, () =>
          this.#js.publish(parsed.type, encoder.encode(JSON.stringify(parsed)), { msgID: parsed.key }),
        ),
      { policy: PUBLISH_RETRY },
    );
    return { duplicate: ack.duplicate };
  }

  async subscribe(
    types: readonly EventType[],
    handler: (event: SegEvent) => Promise<void> | void,
  ): Promise<Subscription> {
    assertEventTypes(types);
    const streams: ConsumerMessages[] = await natsCall('subscribing', () =>
      Promise.all(
        [...new Set(types)].map(async (type) => {
          const consumer = await this.#js.consumers.get(this.#stream, {
            filter_subjects: type,
            deliver_policy: DeliverPolicy.New,
          });
          return consumer.consume();
        }),
      ),
    );
    const loops = streams.map(async (messages) => {
      for await (const msg of messages) {
        let event: SegEvent;
        try {
          event = parseSegEvent(msg.json());
        } catch {
          continue; // not an event of this schema (another writer on the subject): skip it
        }
        try {
          await handler(event);
        } catch (error) {
          this.#onError({ event, error });
        }
      }
    });
    return {
      close: async () => {
        await Promise.all(streams.map((messages) => messages.close()));
        await Promise.allSettled(loops);
      },
    };
  }
}
