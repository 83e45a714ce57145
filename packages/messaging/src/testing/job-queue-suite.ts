// The JobQueue port's contract as one suite, run against every implementation (in-process and JetStream),
// in real time: a queue made with an ack wait (visibility timeout) of ACK_WAIT_MS and MAX_DELIVER
// deliveries.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import type { DeadLetter, JobQueue } from '@neurocipher/seg-ports';

/** The ack wait the suite's queues must be opened with. */
export const ACK_WAIT_MS = 1_500;
/** The deliveries the suite's queues must allow. */
export const MAX_DELIVER = 3;

/** A queue under test; `fresh` gives one with no jobs (a new stream, say). */
export interface QueueUnderTest {
  fresh(): Promise<JobQueue>;
  close(): Promise<void>;
}

const boom = new SegError({ error_code: 'SEG_INTERNAL', message: 'boom' }).toJSON();

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isSegError(error) ? error.error_code : String(error);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `dead_letters` (reserving meanwhile, which the in-process queue sweeps on) until `count` arrive. */
async function deadLettersOf(queue: JobQueue, count: number): Promise<DeadLetter[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const letters = await queue.dead_letters();
    if (letters.length >= count || Date.now() > deadline) return letters;
    const stray = await queue.reserve({ wait_ms: 200 });
    if (stray !== null) throw new Error(`job ${stray.id} was delivered again instead of dead-lettered`);
  }
}

/** Runs the JobQueue contract against `open()`'s queues. */
export function describeJobQueueContract(name: string, open: () => Promise<QueueUnderTest>): void {
  describe(`JobQueue contract: ${name}`, () => {
    let under: QueueUnderTest;
    beforeAll(async () => {
      under = await open();
    });
    afterAll(async () => under?.close());

    it('delivers a job once to one reserve, and queues a job id once', async () => {
      const queue = await under.fresh();
      expect(await queue.enqueue({ id: 'j1', type: 'run', payload: { n: 1 } })).toEqual({ duplicate: false });
      expect(await queue.enqueue({ id: 'j1', type: 'run', payload: { n: 2 } })).toEqual({ duplicate: true });
      expect(await queue.reserve({ wait_ms: 1_000 })).toEqual({
        id: 'j1',
        type: 'run',
        payload: { n: 1 },
        attempts: 1,
      });
      expect(await queue.reserve({ wait_ms: 200 })).toBeNull();
      await queue.complete('j1');
      await sleep(ACK_WAIT_MS + 300);
      expect(await queue.reserve({ wait_ms: 200 })).toBeNull();
    });

    it('finds a job by id: pending while queued, then gone once completed; dead with its error', async () => {
      const queue = await under.fresh();
      expect(await queue.find('nothing')).toBeNull();
      await queue.enqueue({ id: 'f1', type: 'run', payload: { p: 1 } });
      expect(await queue.find('f1')).toMatchObject({
        job: { id: 'f1', type: 'run', payload: { p: 1 } },
        state: 'pending',
      });
      await queue.reserve({ wait_ms: 1_000 });
      expect(['pending', 'running']).toContain((await queue.find('f1'))?.state);
      await queue.complete('f1');
      expect(await queue.find('f1')).toBeNull();
      await queue.enqueue({ id: 'f2', type: 'run', payload: null });
      await queue.reserve({ wait_ms: 1_000 });
      await queue.fail('f2', boom, { retry: false });
      expect(await queue.find('f2')).toMatchObject({ job: { id: 'f2' }, state: 'dead', error: boom });
    });

    it('refuses a job without an id or a type, and completing, failing or heartbeating one not reserved', async () => {
      const queue = await under.fresh();
      expect(await codeOf(queue.enqueue({ id: '', type: 'run', payload: null }))).toBe(
        'SEG_SCHEMA_VIOLATION',
      );
      expect(await codeOf(queue.enqueue({ id: 'x', type: '', payload: null }))).toBe('SEG_SCHEMA_VIOLATION');
      expect(await codeOf(queue.complete('nope'))).toBe('SEG_NOT_FOUND');
      expect(await codeOf(queue.progress('nope'))).toBe('SEG_NOT_FOUND');
      expect(await codeOf(queue.fail('nope', boom, { retry: true }))).toBe('SEG_NOT_FOUND');
    });

    it('delivers again a job whose delivery was neither completed nor failed within the ack wait', async () => {
      const queue = await under.fresh();
      await queue.enqueue({ id: 'slow', type: 'run', payload: null });
      expect((await queue.reserve({ wait_ms: 1_000 }))?.attempts).toBe(1);
      const again = await queue.reserve({ wait_ms: ACK_WAIT_MS * 3 });
      expect(again).toMatchObject({ id: 'slow', attempts: 2 });
      await queue.complete('slow');
    });

    it('keeps a heartbeaten job with its worker past the ack wait', async () => {
      const queue = await under.fresh();
      await queue.enqueue({ id: 'long', type: 'run', payload: null });
      expect((await queue.reserve({ wait_ms: 1_000 }))?.id).toBe('long');
      const beats = setInterval(() => void queue.progress('long').catch(() => undefined), ACK_WAIT_MS / 3);
      try {
        expect(await queue.reserve({ wait_ms: ACK_WAIT_MS * 2 })).toBeNull();
      } finally {
        clearInterval(beats);
      }
      await queue.complete('long');
    });

    it('retries a failed job until its deliveries run out, then dead-letters it with the error', async () => {
      const queue = await under.fresh();
      await queue.enqueue({ id: 'flaky', type: 'run', payload: { p: 1 } });
      for (let attempt = 1; attempt <= MAX_DELIVER; attempt++) {
        const job = await queue.reserve({ wait_ms: 2_000 });
        expect(job).toMatchObject({ id: 'flaky', attempts: attempt });
        await queue.fail('flaky', boom, { retry: true });
      }
      expect(await queue.reserve({ wait_ms: 200 })).toBeNull();
      expect(await deadLettersOf(queue, 1)).toEqual([
        { job: { id: 'flaky', type: 'run', payload: { p: 1 }, attempts: MAX_DELIVER }, error: boom },
      ]);
    });

    it('dead-letters at once a job failed without retry, and refuses an error of the wrong shape', async () => {
      const queue = await under.fresh();
      await queue.enqueue({ id: 'bad', type: 'run', payload: null });
      await queue.reserve({ wait_ms: 1_000 });
      expect(await codeOf(queue.fail('bad', { error_code: 'NOPE' } as never, { retry: false }))).toBe(
        'SEG_SCHEMA_VIOLATION',
      );
      await queue.fail('bad', boom, { retry: false });
      expect(await queue.reserve({ wait_ms: 200 })).toBeNull();
      expect((await deadLettersOf(queue, 1)).map((l) => [l.job.id, l.job.attempts, l.error])).toEqual([
        ['bad', 1, boom],
      ]);
    });

    it('dead-letters a job whose last delivery timed out (its worker died each time)', async () => {
      const queue = await under.fresh();
      await queue.enqueue({ id: 'doomed', type: 'run', payload: null });
      for (let attempt = 1; attempt <= MAX_DELIVER; attempt++)
        expect(await queue.reserve({ wait_ms: ACK_WAIT_MS * 3 })).toMatchObject({
          id: 'doomed',
          attempts: attempt,
        });
      const letters = await deadLettersOf(queue, 1);
      expect(letters.map((l) => [l.job.id, l.job.attempts, l.error.error_code])).toEqual([
        ['doomed', MAX_DELIVER, 'SEG_ADAPTER_TIMEOUT'],
      ]);
    });
  });
}
