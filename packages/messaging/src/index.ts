// @neurocipher/seg-messaging: the job queue and the event bus on NATS JetStream, and the choice between
// them and the in-process ones (the embedded default, from @neurocipher/seg-ports).
export { connectNats, natsCall } from './nats/nats-connection.ts';
export type { ConnectNatsOptions } from './nats/nats-connection.ts';
export { JetStreamJobQueue } from './nats/jetstream-job-queue.ts';
export type { JetStreamJobQueueOptions } from './nats/jetstream-job-queue.ts';
export { JetStreamEventBus, eventSubjects } from './nats/jetstream-event-bus.ts';
export type { EventDeliveryError, JetStreamEventBusOptions } from './nats/jetstream-event-bus.ts';
export { openMessaging, parseQueueSetting } from './open-messaging.ts';
export type { Messaging, OpenMessagingOptions } from './open-messaging.ts';
