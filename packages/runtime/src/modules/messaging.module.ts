import { ContainerModule } from 'inversify';
import type { Messaging } from '@neurocipher/seg-messaging';
import { EventBusId, JobQueueId } from '@neurocipher/seg-ports';
import type { EventBus, JobQueue } from '@neurocipher/seg-ports';
import type { SegConfig } from '../config/seg-config.ts';
import { MessagingId, ResourcesId, SegConfigId, resolve } from '../ids.ts';

/**
 * Binds the job queue (`JobQueueId`) and the event bus (`EventBusId`) of the `queue` setting: the
 * in-process ones for `memory`, NATS JetStream for `nats://…` (connected when first asked for, drained
 * with the engine). The run service, the finding store, the attestation step and the remediation adapters
 * announce the §10.2 events on this bus.
 */
export function messagingModule(): ContainerModule {
  return new ContainerModule((options) => {
    options
      .bind<Messaging>(MessagingId)
      .toDynamicValue(async (context) => {
        const config: SegConfig = await resolve(context, SegConfigId);
        const resources = await resolve(context, ResourcesId);
        // Loaded when first asked for (a scan, a worker), never by `seg --help`.
        const { openMessaging } = await import('@neurocipher/seg-messaging');
        const messaging = await openMessaging(config.queue, {
          name: 'seg',
          queue: { ack_wait_ms: config.jobs.ack_wait_ms, max_deliver: config.jobs.max_deliver },
        });
        return resources.hold(messaging, () => messaging.close());
      })
      .inSingletonScope();
    options
      .bind<JobQueue>(JobQueueId)
      .toDynamicValue(async (context) => (await resolve(context, MessagingId)).queue)
      .inSingletonScope();
    options
      .bind<EventBus>(EventBusId)
      .toDynamicValue(async (context) => (await resolve(context, MessagingId)).events)
      .inSingletonScope();
  });
}
