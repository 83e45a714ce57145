import type { EventType, SegEvent } from '@neurocipher/seg-contracts';
import type { PortId } from '../ids/port-id.ts';

/** A live subscription; `close` stops delivery. */
export interface Subscription {
  close(): Promise<void>;
}

/**
 * Publishes the §10.2 events (in-process by default, NATS JetStream in production). Exactly-once by key:
 * publishing two events with the same `key` delivers the first only, and reports the second `duplicate`.
 * Subscribers receive events of the types they asked for, in publish order per key.
 *
 * Errors: `SEG_SCHEMA_VIOLATION` for an event that does not validate, `SEG_ADAPTER_UNAVAILABLE`
 * (retryable) when the bus cannot be reached.
 */
export interface EventBus {
  /** Publishes an event; `duplicate` is true when its key was already published. */
  publish(event: SegEvent): Promise<{ duplicate: boolean }>;
  /** Calls `handler` for every later event whose type is in `types`. */
  subscribe(
    types: readonly EventType[],
    handler: (event: SegEvent) => Promise<void> | void,
  ): Promise<Subscription>;
}

/** Inversion-of-control id of {@link EventBus}. */
export const EventBusId: PortId<EventBus> = Symbol.for('seg.ports.EventBus');
