import { describe, expect, it } from '@jest/globals';
import {
  GuardrailsSchema,
  WeeklyWindowSchema,
  assertGuardrails,
  inWeeklyWindow,
  isProduction,
} from './guardrails.ts';

const at = (iso: string) => new Date(iso);
const window = (days: string[], start: string, end: string, time_zone = 'Europe/Berlin') =>
  WeeklyWindowSchema.parse({ days, start, end, time_zone });

describe('weekly windows', () => {
  it('are local time in their zone, Berlin winter time being UTC+1', () => {
    const weekdays = window(['mon', 'tue', 'wed', 'thu', 'fri'], '09:00', '17:00');
    // Friday 2026-12-04: 08:30 UTC is 09:30 in Berlin; 16:30 UTC is 17:30.
    expect(inWeeklyWindow(weekdays, at('2026-12-04T08:30:00Z'))).toBe(true);
    expect(inWeeklyWindow(weekdays, at('2026-12-04T07:59:00Z'))).toBe(false);
    expect(inWeeklyWindow(weekdays, at('2026-12-04T16:30:00Z'))).toBe(false);
    // Saturday.
    expect(inWeeklyWindow(weekdays, at('2026-12-05T10:00:00Z'))).toBe(false);
  });

  it('run past midnight into the next day when the end is not after the start', () => {
    const nights = window(['fri'], '22:00', '02:00', 'UTC');
    expect(inWeeklyWindow(nights, at('2026-12-04T23:00:00Z'))).toBe(true); // Friday night
    expect(inWeeklyWindow(nights, at('2026-12-05T01:59:00Z'))).toBe(true); // early Saturday
    expect(inWeeklyWindow(nights, at('2026-12-05T02:00:00Z'))).toBe(false);
    expect(inWeeklyWindow(nights, at('2026-12-03T23:00:00Z'))).toBe(false); // Thursday night
  });

  it('refuse a bad time, day or zone', () => {
    for (const bad of [
      { days: ['mon'], start: '24:00', end: '02:00', time_zone: 'UTC' },
      { days: ['monday'], start: '22:00', end: '02:00', time_zone: 'UTC' },
      { days: [], start: '22:00', end: '02:00', time_zone: 'UTC' },
      { days: ['mon'], start: '22:00', end: '02:00', time_zone: 'Mars/Olympus' },
    ])
      expect(WeeklyWindowSchema.safeParse(bad).success).toBe(false);
  });
});

describe('assertGuardrails', () => {
  const guardrails = GuardrailsSchema.parse({
    change_windows: [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '06:00', end: '22:00', time_zone: 'UTC' },
    ],
    production_hours: [{ days: ['tue', 'wed', 'thu'], start: '10:00', end: '16:00', time_zone: 'UTC' }],
    production_assets: ['urn:asset:aws:*:111111111111:*'],
  });
  const dev = { urn: 'urn:asset:aws:bucket:222222222222:us-east-1:logs' };
  const prodByTag = { urn: dev.urn, tags: { Environment: 'x', env: 'Production' } };
  const prodByUrn = { urn: 'urn:asset:aws:bucket:111111111111:us-east-1:logs' };

  it('tells production by a tag value or a URN pattern', () => {
    expect(isProduction(guardrails, dev)).toBe(false);
    expect(isProduction(guardrails, prodByTag)).toBe(true);
    expect(isProduction(guardrails, prodByUrn)).toBe(true);
  });

  it('lets a change inside the windows through, and refuses one outside, naming them', () => {
    // Friday 12:00 UTC: in the change window; production hours are Tuesday to Thursday.
    const friday = at('2026-12-04T12:00:00Z');
    expect(() => assertGuardrails(guardrails, friday, dev)).not.toThrow();
    for (const asset of [prodByTag, prodByUrn])
      expect(() => assertGuardrails(guardrails, friday, asset)).toThrow(
        expect.objectContaining({
          error_code: 'SEG_INVALID_ARGUMENT',
          details: expect.objectContaining({ guardrail: 'production_hours' }),
        }),
      );
    expect(() => assertGuardrails(guardrails, at('2026-12-03T12:00:00Z'), prodByUrn)).not.toThrow();
    // Saturday: no change window at all.
    expect(() => assertGuardrails(guardrails, at('2026-12-05T12:00:00Z'), dev)).toThrow(
      /2026-12-05T12:00:00.000Z is outside every change window \(mon,tue,wed,thu,fri 06:00-22:00 UTC\): nothing was changed/,
    );
  });

  it('without windows, lets any change through', () => {
    expect(() =>
      assertGuardrails(GuardrailsSchema.parse({}), at('2026-12-05T03:00:00Z'), prodByTag),
    ).not.toThrow();
  });
});
