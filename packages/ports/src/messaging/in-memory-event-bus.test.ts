import { describe, expect, it } from '@jest/globals';
import { isSegError, makeEvent } from '@neurocipher/seg-contracts';
import type { EventType, SegEvent } from '@neurocipher/seg-contracts';
import { EventBusId } from './event-bus.ts';
import type { EventBus } from './event-bus.ts';
import { InMemoryEventBus } from './in-memory-event-bus.ts';

const RUN = '5d9f0b6e-2a7c-4f1e-9b3a-0c8d7e6f5a4b';

function started(subject: string, id = globalThis.crypto.randomUUID()): SegEvent {
  return makeEvent({
    type: 'seg.run.started',
    id,
    org_id: 'org-1',
    subject,
    occurred_at: '2026-01-01T00:00:00Z',
    data: { run_id: RUN, scope: { org_id: 'org-1', tags: {} }, control_ids: ['C1'] },
  });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isSegError(error)) return error.error_code;
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('InMemoryEventBus', () => {
  it('implements EventBus under its id', () => {
    const bus: EventBus = new InMemoryEventBus();
    expect(bus).toBeInstanceOf(InMemoryEventBus);
    expect(EventBusId).toBe(Symbol.for('seg.ports.EventBus'));
  });

  describe('#publish', () => {
    it('delivers exactly once by key: the second publish of a key is a duplicate and not delivered', async () => {
      const bus = new InMemoryEventBus();
      const received: string[] = [];
      await bus.subscribe(['seg.run.started'], (event) => {
        received.push(event.id);
      });
      const first = started(RUN);
      expect(await bus.publish(first)).toEqual({ duplicate: false });
      expect(await bus.publish(started(RUN))).toEqual({ duplicate: true });
      expect(received).toEqual([first.id]);
      expect(bus.published()).toEqual([first]);
    });

    it('delivers only the types asked for, in publish order, even when publishes overlap', async () => {
      const bus = new InMemoryEventBus();
      const received: string[] = [];
      await bus.subscribe(['seg.run.started'], async (event) => {
        await new Promise((resolve) => setTimeout(resolve, event.subject === 's1' ? 20 : 0));
        received.push(event.subject);
      });
      const other: string[] = [];
      await bus.subscribe(['seg.run.completed' as EventType], (event) => {
        other.push(event.subject);
      });
      await Promise.all([bus.publish(started('s1')), bus.publish(started('s2')), bus.publish(started('s3'))]);
      expect(received).toEqual(['s1', 's2', 's3']);
      expect(other).toEqual([]);
    });

    it('keeps delivering when a handler throws, and records the error', async () => {
      const bus = new InMemoryEventBus();
      const received: string[] = [];
      await bus.subscribe(['seg.run.started'], () => {
        throw new Error('handler broke');
      });
      await bus.subscribe(['seg.run.started'], (event) => {
        received.push(event.subject);
      });
      expect(await bus.publish(started('s1'))).toEqual({ duplicate: false });
      expect(received).toEqual(['s1']);
      expect(bus.delivery_errors().map((e) => (e.error as Error).message)).toEqual(['handler broke']);
    });

    it('rejects an invalid event with SEG_SCHEMA_VIOLATION', async () => {
      const bus = new InMemoryEventBus();
      expect(await codeOf(bus.publish({ ...started('s1'), org_id: '' }))).toBe('SEG_SCHEMA_VIOLATION');
      expect(bus.published()).toEqual([]);
    });
  });

  describe('#subscribe', () => {
    it('stops delivery after close', async () => {
      const bus = new InMemoryEventBus();
      const received: string[] = [];
      const subscription = await bus.subscribe(['seg.run.started'], (event) => {
        received.push(event.subject);
      });
      await bus.publish(started('s1'));
      await subscription.close();
      await bus.publish(started('s2'));
      expect(received).toEqual(['s1']);
    });

    it('rejects unknown event types with SEG_SCHEMA_VIOLATION', async () => {
      const bus = new InMemoryEventBus();
      expect(await codeOf(bus.subscribe(['seg.nope' as EventType], () => undefined))).toBe(
        'SEG_SCHEMA_VIOLATION',
      );
    });
  });
});
