// The queue setting (DESIGN.md §8, `queue`: `memory` | `nats://HOST:PORT[,…]`) opened as a job queue and
// an event bus.
import { SegError } from '@neurocipher/seg-contracts';
import { InMemoryEventBus, InMemoryJobQueue } from '@neurocipher/seg-ports';
import type { EventBus, JobQueue } from '@neurocipher/seg-ports';
import type { JetStreamEventBusOptions } from './nats/jetstream-event-bus.ts';
import { JetStreamEventBus } from './nats/jetstream-event-bus.ts';
import type { JetStreamJobQueueOptions } from './nats/jetstream-job-queue.ts';
import { JetStreamJobQueue } from './nats/jetstream-job-queue.ts';
import { connectNats } from './nats/nats-connection.ts';

/** The job queue and event bus of one setting, and how to let go of them. */
export interface Messaging {
  queue: JobQueue;
  events: EventBus;
  /** `memory` or the NATS servers. */
  kind: 'memory' | 'nats';
  /** Closes the queue and drains the connection (pending acks and publishes are flushed first). */
  close(): Promise<void>;
}

/** Options of {@link openMessaging}. */
export interface OpenMessagingOptions {
  /** Connection name on the server (`seg-worker`…). */
  name?: string | undefined;
  queue?: JetStreamJobQueueOptions | undefined;
  events?: JetStreamEventBusOptions | undefined;
}

/** The servers of a `nats://` setting, or null for `memory`; `SEG_INVALID_ARGUMENT` naming `queue` otherwise. */
export function parseQueueSetting(setting: string): string[] | null {
  if (setting === 'memory') return null;
  const servers = setting.split(',').map((s) => s.trim());
  const bad = servers.find((s) => !/^nats:\/\/[^/\s:@]+:\d{1,5}$/.test(s));
  if (bad !== undefined) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      // Credentials in a URL are never echoed (they belong in the NATS credentials file, not the setting).
      message: `queue: expected memory or nats://HOST:PORT[,nats://HOST:PORT…], got ${JSON.stringify(setting.replace(/\/\/[^/@\s]*@/g, '//***@'))}`,
      details: { key: 'queue' },
    });
  }
  return servers;
}

/**
 * Opens the queue setting: `memory`, the in-process queue and bus (one process: the CLI, `seg serve`),
 * or `nats://…`, JetStream (API and workers on several hosts). Errors: `SEG_INVALID_ARGUMENT` for a bad
 * setting, `SEG_ADAPTER_UNAVAILABLE` (retryable) when NATS does not answer.
 */
export async function openMessaging(setting: string, options: OpenMessagingOptions = {}): Promise<Messaging> {
  const servers = parseQueueSetting(setting);
  if (servers === null) {
    // The same delivery settings in process: ack wait as the visibility timeout, deliveries as attempts.
    const settings = options.queue ?? {};
    return {
      queue: new InMemoryJobQueue({
        ...(settings.ack_wait_ms !== undefined ? { visibility_timeout_ms: settings.ack_wait_ms } : {}),
        ...(settings.max_deliver !== undefined ? { max_attempts: settings.max_deliver } : {}),
      }),
      events: new InMemoryEventBus(),
      kind: 'memory',
      close: async () => {},
    };
  }
  const connection = await connectNats({ servers, name: options.name });
  try {
    const queue = await JetStreamJobQueue.open(connection, options.queue);
    const events = await JetStreamEventBus.open(connection, options.events);
    return {
      queue,
      events,
      kind: 'nats',
      close: async () => {
        await queue.close();
        await connection.drain();
      },
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
