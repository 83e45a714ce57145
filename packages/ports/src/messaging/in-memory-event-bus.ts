import { assertEventTypes, parseSegEvent } from '@neurocipher/seg-contracts';
import type { EventType, SegEvent } from '@neurocipher/seg-contracts';
import type { EventBus, Subscription } from './event-bus.ts';

/** A handler failure recorded by {@link InMemoryEventBus}. */
export interface DeliveryError {
  event: SegEvent;
  error: unknown;
}

interface Subscriber {
  types: ReadonlySet<EventType>;
  handler: (event: SegEvent) => Promise<void> | void;
}

/**
 * An in-process {@link EventBus}: validates every event, de-duplicates by `key` (the first publish of a key
 * is delivered, later ones return `duplicate: true` and are not delivered), and delivers to matching
 * subscribers one event at a time in publish order. `publish` resolves after delivery. A handler that
 * throws does not fail the publish or stop other handlers; its error is kept in
 * {@link InMemoryEventBus.delivery_errors}.
 */
export class InMemoryEventBus implements EventBus {
  readonly #keys = new Set<string>();
  readonly #published: SegEvent[] = [];
  readonly #subscribers = new Set<Subscriber>();
  readonly #errors: DeliveryError[] = [];
  #delivery: Promise<void> = Promise.resolve();

  async publish(event: SegEvent): Promise<{ duplicate: boolean }> {
    const parsed = parseSegEvent(event);
    if (this.#keys.has(parsed.key)) return { duplicate: true };
    this.#keys.add(parsed.key);
    this.#published.push(parsed);
    const delivered = this.#delivery.then(() => this.#deliver(parsed));
    this.#delivery = delivered;
    await delivered;
    return { duplicate: false };
  }

  async subscribe(
    types: readonly EventType[],
    handler: (event: SegEvent) => Promise<void> | void,
  ): Promise<Subscription> {
    assertEventTypes(types);
    const subscriber: Subscriber = { types: new Set(types), handler };
    this.#subscribers.add(subscriber);
    return {
      close: async () => {
        this.#subscribers.delete(subscriber);
      },
    };
  }

  /** Every event accepted (not the duplicates), in publish order (a test helper, not part of the port). */
  published(): SegEvent[] {
    return [...this.#published];
  }

  /** Errors thrown by handlers, in order (a test helper, not part of the port). */
  delivery_errors(): DeliveryError[] {
    return [...this.#errors];
  }

  async #deliver(event: SegEvent): Promise<void> {
    for (const subscriber of [...this.#subscribers]) {
      if (!subscriber.types.has(event.type)) continue;
      try {
        await subscriber.handler(event);
      } catch (error) {
        this.#errors.push({ event, error });
      }
    }
  }
}
