// The in-process queue (the embedded default) against the JobQueue contract.
import { InMemoryJobQueue } from '@neurocipher/seg-ports';
import { ACK_WAIT_MS, MAX_DELIVER, describeJobQueueContract } from './testing/job-queue-suite.ts';

describeJobQueueContract('in-process', async () => ({
  fresh: async () => new InMemoryJobQueue({ visibility_timeout_ms: ACK_WAIT_MS, max_attempts: MAX_DELIVER }),
  close: async () => {},
}));
