import { describe, expect, it } from '@jest/globals';
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import { JobQueueId } from './job-queue.ts';
import type { JobQueue } from './job-queue.ts';
import { InMemoryJobQueue } from './in-memory-job-queue.ts';
import { ManualClock } from '../testing/manual-clock.ts';

const boom = new SegError({ error_code: 'SEG_ADAPTER_TIMEOUT', message: 'slow' }).toJSON();

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isSegError(error)) return error.error_code;
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('InMemoryJobQueue', () => {
  it('implements JobQueue under its id', () => {
    const queue: JobQueue = new InMemoryJobQueue();
    expect(queue).toBeInstanceOf(InMemoryJobQueue);
    expect(JobQueueId).toBe(Symbol.for('seg.ports.JobQueue'));
  });

  describe('#enqueue', () => {
    it('is idempotent by job id', async () => {
      const queue = new InMemoryJobQueue();
      expect(await queue.enqueue({ id: 'j1', type: 'evaluate', payload: { n: 1 } })).toEqual({
        duplicate: false,
      });
      expect(await queue.enqueue({ id: 'j1', type: 'evaluate', payload: { n: 2 } })).toEqual({
        duplicate: true,
      });
      expect(await queue.reserve()).toEqual({ id: 'j1', type: 'evaluate', payload: { n: 1 }, attempts: 1 });
      expect(await queue.reserve()).toBeNull();
      await queue.complete('j1');
      expect(await queue.enqueue({ id: 'j1', type: 'evaluate', payload: {} })).toEqual({ duplicate: true });
    });

    it('rejects a job without id or type', async () => {
      const queue = new InMemoryJobQueue();
      expect(await codeOf(queue.enqueue({ id: '', type: 'x', payload: null }))).toBe('SEG_SCHEMA_VIOLATION');
    });
  });

  describe('#reserve', () => {
    it('delivers in FIFO order and counts attempts', async () => {
      const queue = new InMemoryJobQueue();
      await queue.enqueue({ id: 'a', type: 't', payload: 1 });
      await queue.enqueue({ id: 'b', type: 't', payload: 2 });
      expect((await queue.reserve())?.id).toBe('a');
      expect((await queue.reserve())?.id).toBe('b');
    });

    it('redelivers a job not completed within the visibility timeout', async () => {
      const clock = new ManualClock();
      const queue = new InMemoryJobQueue({ clock, visibility_timeout_ms: 1000 });
      await queue.enqueue({ id: 'a', type: 't', payload: null });
      expect((await queue.reserve())?.attempts).toBe(1);
      clock.advance(999);
      expect(await queue.reserve()).toBeNull();
      clock.advance(1);
      expect((await queue.reserve())?.attempts).toBe(2);
      await queue.complete('a');
      clock.advance(5000);
      expect(await queue.reserve()).toBeNull();
    });

    it('keeps waiting when another waiter takes the job that woke it', async () => {
      const queue = new InMemoryJobQueue();
      const a = queue.reserve({ wait_ms: 2000 });
      const b = queue.reserve({ wait_ms: 2000 });
      await queue.enqueue({ id: 'one', type: 't', payload: null });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await queue.enqueue({ id: 'two', type: 't', payload: null });
      expect([(await a)?.id, (await b)?.id].sort()).toEqual(['one', 'two']);
    });

    it('waits up to wait_ms for a job to arrive', async () => {
      const queue = new InMemoryJobQueue();
      const waiting = queue.reserve({ wait_ms: 5000 });
      await queue.enqueue({ id: 'late', type: 't', payload: null });
      expect((await waiting)?.id).toBe('late');
      const started = Date.now();
      expect(await queue.reserve({ wait_ms: 20 })).toBeNull();
      expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    });
  });

  describe('#complete', () => {
    it('is SEG_NOT_FOUND for a job that is not reserved', async () => {
      const queue = new InMemoryJobQueue();
      expect(await codeOf(queue.complete('nope'))).toBe('SEG_NOT_FOUND');
      await queue.enqueue({ id: 'a', type: 't', payload: null });
      expect(await codeOf(queue.complete('a'))).toBe('SEG_NOT_FOUND');
      await queue.reserve();
      await queue.complete('a');
      expect(await codeOf(queue.complete('a'))).toBe('SEG_NOT_FOUND');
    });
  });

  describe('#fail', () => {
    it('re-queues with retry until max_attempts, then dead-letters', async () => {
      const queue = new InMemoryJobQueue({ max_attempts: 2 });
      await queue.enqueue({ id: 'a', type: 't', payload: null });
      await queue.reserve();
      await queue.fail('a', boom, { retry: true });
      const second = await queue.reserve();
      expect(second?.attempts).toBe(2);
      await queue.fail('a', boom, { retry: true });
      expect(await queue.reserve()).toBeNull();
      expect(await queue.dead_letters()).toEqual([
        { job: { id: 'a', type: 't', payload: null, attempts: 2 }, error: boom },
      ]);
    });

    it('dead-letters at once without retry, and validates the error shape', async () => {
      const queue = new InMemoryJobQueue();
      await queue.enqueue({ id: 'a', type: 't', payload: null });
      await queue.reserve();
      expect(await codeOf(queue.fail('a', { error_code: 'NOPE' } as never, { retry: false }))).toBe(
        'SEG_SCHEMA_VIOLATION',
      );
      await queue.fail('a', boom, { retry: false });
      expect(await queue.reserve()).toBeNull();
      expect(await queue.dead_letters()).toHaveLength(1);
      expect(await codeOf(queue.fail('a', boom, { retry: true }))).toBe('SEG_NOT_FOUND');
    });
  });

  describe('#progress', () => {
    it('restarts the visibility timeout of a reserved job, and dead-letters one whose last delivery timed out', async () => {
      const clock = new ManualClock();
      const queue = new InMemoryJobQueue({ clock, visibility_timeout_ms: 1000, max_attempts: 2 });
      await queue.enqueue({ id: 'long', type: 't', payload: null });
      await queue.reserve();
      clock.advance(900);
      await queue.progress('long');
      clock.advance(900);
      expect(await queue.reserve()).toBeNull();
      clock.advance(100);
      expect((await queue.reserve())?.attempts).toBe(2);
      clock.advance(1000);
      expect(await queue.reserve()).toBeNull();
      expect(await queue.dead_letters()).toEqual([
        {
          job: { id: 'long', type: 't', payload: null, attempts: 2 },
          error: expect.objectContaining({ error_code: 'SEG_ADAPTER_TIMEOUT', retryable: false }),
        },
      ]);
      expect(await codeOf(queue.progress('long'))).toBe('SEG_NOT_FOUND');
    });
  });
});
