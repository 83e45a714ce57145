// Reads the whole events stream as an outside consumer does: a durable JetStream consumer of its own,
// every message from the start, each acknowledged.
import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { SegEvent } from '@neurocipher/seg-contracts';

/** Every event in `SEG_EVENTS` (at most `max`), oldest first, through a fresh durable consumer. */
export async function readEventStream(connection: NatsConnection, max = 100): Promise<SegEvent[]> {
  const durable_name = `audit-${randomUUID()}`;
  await (
    await jetstreamManager(connection)
  ).consumers.add('SEG_EVENTS', {
    durable_name,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
  });
  const consumer = await jetstream(connection).consumers.get('SEG_EVENTS', durable_name);
  const seen: SegEvent[] = [];
  for await (const msg of await consumer.fetch({ max_messages: max, expires: 2_000 })) {
    seen.push(msg.json<SegEvent>());
    msg.ack();
  }
  return seen;
}
