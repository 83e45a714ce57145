import { describe, expect, it } from '@jest/globals';
import { InMemoryEventBus, InMemoryJobQueue } from '@neurocipher/seg-ports';
import { openMessaging, parseQueueSetting } from './open-messaging.ts';

describe('parseQueueSetting', () => {
  it('reads memory and a list of nats:// servers', () => {
    expect(parseQueueSetting('memory')).toBeNull();
    expect(parseQueueSetting('nats://127.0.0.1:4222')).toEqual(['nats://127.0.0.1:4222']);
    expect(parseQueueSetting('nats://a:4222, nats://b:4223')).toEqual(['nats://a:4222', 'nats://b:4223']);
  });

  it.each(['', 'nats', 'nats://host', 'redis://h:6379', 'nats://user:secret@h:4222', 'nats://h:4222/x'])(
    'refuses %j with SEG_INVALID_ARGUMENT naming the queue key, never echoing a password',
    (setting) => {
      expect(() => parseQueueSetting(setting)).toThrow(
        expect.objectContaining({ error_code: 'SEG_INVALID_ARGUMENT', details: { key: 'queue' } }),
      );
      expect(() => parseQueueSetting(setting)).not.toThrow(/secret/);
    },
  );
});

describe('openMessaging', () => {
  it('opens the in-process queue and bus for memory', async () => {
    const messaging = await openMessaging('memory');
    expect(messaging.kind).toBe('memory');
    expect(messaging.queue).toBeInstanceOf(InMemoryJobQueue);
    expect(messaging.events).toBeInstanceOf(InMemoryEventBus);
    await messaging.close();
  });

  it('is a retryable SEG_ADAPTER_UNAVAILABLE when no NATS server answers', async () => {
    await expect(openMessaging('nats://127.0.0.1:1')).rejects.toMatchObject({
      error_code: 'SEG_ADAPTER_UNAVAILABLE',
      retryable: true,
    });
  });
});
