// The JetStream queue against the JobQueue contract, on a real nats-server -js (each case on streams of
// its own).
import type { NatsConnection } from '@nats-io/transport-node';
import { JetStreamJobQueue } from '../src/nats/jetstream-job-queue.ts';
import { connectNats } from '../src/nats/nats-connection.ts';
import { ACK_WAIT_MS, MAX_DELIVER, describeJobQueueContract } from '../src/testing/job-queue-suite.ts';
import { startNatsServer } from '../src/testing/nats-server.ts';

describeJobQueueContract('NATS JetStream', async () => {
  const server = await startNatsServer();
  const connection: NatsConnection = await connectNats({ servers: server.url });
  const queues: JetStreamJobQueue[] = [];
  return {
    fresh: async () => {
      const n = queues.length + 1;
      const queue = await JetStreamJobQueue.open(connection, {
        stream: `JOBS_${n}`,
        subject_prefix: `t${n}.jobs`,
        dead_stream: `DEAD_${n}`,
        dead_subject_prefix: `t${n}.dead`,
        ack_wait_ms: ACK_WAIT_MS,
        max_deliver: MAX_DELIVER,
      });
      queues.push(queue);
      return queue;
    },
    close: async () => {
      for (const queue of queues) await queue.close();
      await connection.drain();
      await server.stop();
    },
  };
});
