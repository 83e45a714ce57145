// A tenant's guardrails on changes (spec §15): weekly change windows in a time zone, and production hours
// for production assets (tagged so, or matched by URN). An apply outside them is refused before any step
// runs; the time is the request's (`--now` in tests), not the process's.
import { z } from 'zod';
import { SegError } from '@neurocipher/seg-contracts';

/** Days of the week, as windows name them. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** A day of the week. */
export type Weekday = (typeof WEEKDAYS)[number];

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * A weekly window: on each of `days`, from `start` to `end` local time in `time_zone` (IANA). A window
 * whose end is not after its start runs past midnight into the next day (`22:00`–`02:00`).
 */
export const WeeklyWindowSchema = z
  .object({
    days: z.array(z.enum(WEEKDAYS)).min(1),
    start: HHMM,
    end: HHMM,
    time_zone: z.string().refine(isTimeZone, 'must be an IANA time zone (Europe/Berlin, UTC)'),
  })
  .strict();
/** A weekly window. */
export type WeeklyWindow = z.infer<typeof WeeklyWindowSchema>;

/** The guardrails of a tenant (`tenants.<org>.remediation`). */
export const GuardrailsSchema = z
  .object({
    /** When any change may be applied; none: at any time. */
    change_windows: z.array(WeeklyWindowSchema).default(() => []),
    /** When a production asset may be changed (on top of the change windows); none: as any other. */
    production_hours: z.array(WeeklyWindowSchema).default(() => []),
    /** Tag values that make an asset production (any one of them), by tag key. */
    production_tags: z
      .record(z.string().min(1), z.array(z.string().min(1)))
      .default(() => ({ environment: ['production', 'prod'], env: ['production', 'prod'] })),
    /** Asset URN patterns that are production whatever their tags (`*` matches any run of characters). */
    production_assets: z.array(z.string().min(1)).default(() => []),
    /**
     * The signed gates bundle that decides who must approve (`<id>@<version>`, `seg-gates@1.0.0` ships
     * in bundles/), and the tenant's rollout phase (spec §16: 0 read-only, 1 plan only, 2 low-risk
     * applies, 3 applies with gates). None: the plan's own `approvals_required`.
     */
    gates: z
      .object({
        bundle: z
          .string()
          .regex(/^[a-z0-9][a-z0-9._-]{0,63}@\d+\.\d+\.\d+$/, 'must be <bundle id>@<version>'),
        rollout_phase: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
      })
      .strict()
      .optional(),
  })
  .strict();
/** A tenant's guardrails. */
export type Guardrails = z.infer<typeof GuardrailsSchema>;

// The weekday and minute of the day of `at` in `time_zone`.
function localTime(at: Date, time_zone: string): { day: Weekday; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: time_zone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = get('weekday').toLowerCase().slice(0, 3) as Weekday;
  return { day, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `at` falls in `window`. */
export function inWeeklyWindow(window: WeeklyWindow, at: Date): boolean {
  const { day, minute } = localTime(at, window.time_zone);
  const start = minutes(window.start);
  const end = minutes(window.end);
  if (end > start) return window.days.includes(day) && minute >= start && minute < end;
  // Past midnight: the evening of a listed day, or the early hours of the day after one.
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7]!;
  return (window.days.includes(day) && minute >= start) || (window.days.includes(yesterday) && minute < end);
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** Whether an asset is production under `guardrails`: a production tag value, or a matching URN. */
export function isProduction(
  guardrails: Pick<Guardrails, 'production_tags' | 'production_assets'>,
  asset: { urn: string; tags?: Readonly<Record<string, string>> | undefined },
): boolean {
  for (const [key, values] of Object.entries(guardrails.production_tags)) {
    const value = asset.tags?.[key];
    if (value !== undefined && values.some((v) => v.toLowerCase() === value.toLowerCase())) return true;
  }
  return guardrails.production_assets.some((p) => globToRegExp(p).test(asset.urn));
}

const describe = (w: WeeklyWindow) => `${w.days.join(',')} ${w.start}-${w.end} ${w.time_zone}`;

/**
 * Refuses a change at `at` to `asset` outside the tenant's change windows, or, for a production asset,
 * outside its production hours: `SEG_INVALID_ARGUMENT` naming the windows (details `guardrail`,
 * `windows`, `at`).
 */
export function assertGuardrails(
  guardrails: Guardrails,
  at: Date,
  asset: { urn: string; tags?: Readonly<Record<string, string>> | undefined },
): void {
  const refuse = (guardrail: string, what: string, windows: WeeklyWindow[]) =>
    new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `${at.toISOString()} is outside ${what} (${windows.map(describe).join('; ')}): nothing was changed`,
      details: { guardrail, windows: windows.map(describe), at: at.toISOString() },
      retryable: false,
    });
  const { change_windows, production_hours } = guardrails;
  if (change_windows.length > 0 && !change_windows.some((w) => inWeeklyWindow(w, at)))
    throw refuse('change_window', 'every change window', change_windows);
  if (
    production_hours.length > 0 &&
    isProduction(guardrails, asset) &&
    !production_hours.some((w) => inWeeklyWindow(w, at))
  )
    throw refuse('production_hours', `the production hours of ${asset.urn}`, production_hours);
}
