// Test helpers of the messaging package: the `@neurocipher/seg-messaging/testing` sub-path. Never import
// this from production code.
export { NATS_SERVER, startNatsServer } from './nats-server.ts';
export type { NatsServer } from './nats-server.ts';
export { ACK_WAIT_MS, MAX_DELIVER, describeJobQueueContract } from './job-queue-suite.ts';
export type { QueueUnderTest } from './job-queue-suite.ts';
export { readEventStream } from './event-stream.ts';
