import { describe, expect, it } from '@jest/globals';
import { ClockId, systemClock } from '../time/clock.ts';
import type { Clock } from '../time/clock.ts';
import { ManualClock } from './manual-clock.ts';

describe('ManualClock', () => {
  it('implements Clock under its id', () => {
    const clock: Clock = new ManualClock();
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(ClockId).toBe(Symbol.for('seg.ports.Clock'));
    expect(Math.abs(systemClock.now().getTime() - Date.now())).toBeLessThan(1000);
  });

  describe('#now', () => {
    it('does not move by itself and returns a fresh Date each call', () => {
      const clock = new ManualClock({ start: new Date('2026-05-05T05:05:05Z') });
      const a = clock.now();
      a.setFullYear(2000);
      expect(clock.now().toISOString()).toBe('2026-05-05T05:05:05.000Z');
    });
  });

  describe('#set and #advance', () => {
    it('moves to a time and forward by milliseconds', () => {
      const clock = new ManualClock();
      clock.advance(1500);
      expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.500Z');
      clock.set('2025-12-31T23:00:00Z');
      expect(clock.now().toISOString()).toBe('2025-12-31T23:00:00.000Z');
      expect(() => clock.set('not a time')).toThrow(TypeError);
    });
  });
});
