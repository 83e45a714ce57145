import { z } from 'zod';
import { AttestationSchema, PublishReportSchema } from '../attestation/attestation.ts';
import { RunSummarySchema } from '../evaluation/evaluation.ts';
import { AppendResultSchema } from '../findings/findings.ts';
import { ScopeSchema } from '../inventory/inventory.ts';
import { SegError } from '../errors/seg-error.ts';
import { makeParser } from '../primitives/parse.ts';
import { AwareDatetimeSchema, UuidSchema } from '../primitives/primitives.ts';
import { ApplyResultSchema, RemediationPlanSchema } from '../remediation/remediation.ts';

/** The §10.2 event types. */
export const EVENT_TYPES = [
  'seg.run.started',
  'seg.run.completed',
  'seg.findings.committed',
  'seg.plan.created',
  'seg.plan.applied',
  'seg.attestation.published',
] as const;
/** One of the §10.2 event types. */
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * `types` as event types, every one of them §10.2's: what a bus checks a subscription with.
 * `SEG_SCHEMA_VIOLATION` naming the unknown ones.
 */
export function assertEventTypes(types: readonly string[]): asserts types is readonly EventType[] {
  const unknown = types.filter((type) => !(EVENT_TYPES as readonly string[]).includes(type));
  if (unknown.length > 0) {
    throw new SegError({
      error_code: 'SEG_SCHEMA_VIOLATION',
      message: `unknown event types: ${unknown.join(', ')}`,
      details: { schema: 'EventType', paths: unknown },
    });
  }
}

const envelope = {
  /** Unique id of this emission. */
  id: UuidSchema,
  org_id: z.string().min(1),
  /** Id of the run, plan or attestation the event is about. */
  subject: z.string().min(1),
  /**
   * Exactly-once key, `<type>/<subject>`: the same logical event always carries the same key, so a
   * bus that de-duplicates by key (NATS `Nats-Msg-Id`) delivers a retried emission once.
   */
  key: z.string().min(1),
  occurred_at: AwareDatetimeSchema,
  schema_version: z.literal('1.0.0'),
};

/** One §10.2 event: a shared envelope whose `data` is typed by `type`. */
export const SegEventSchema = z
  .discriminatedUnion('type', [
    z.object({
      ...envelope,
      type: z.literal('seg.run.started'),
      data: z.object({ run_id: UuidSchema, scope: ScopeSchema, control_ids: z.array(z.string()) }),
    }),
    z.object({
      ...envelope,
      type: z.literal('seg.run.completed'),
      data: z.object({ run: RunSummarySchema }),
    }),
    z.object({
      ...envelope,
      type: z.literal('seg.findings.committed'),
      data: z.object({ result: AppendResultSchema }),
    }),
    z.object({
      ...envelope,
      type: z.literal('seg.plan.created'),
      data: z.object({ plan: RemediationPlanSchema }),
    }),
    z.object({
      ...envelope,
      type: z.literal('seg.plan.applied'),
      data: z.object({ result: ApplyResultSchema }),
    }),
    z.object({
      ...envelope,
      type: z.literal('seg.attestation.published'),
      data: z.object({ attestation: AttestationSchema, report: PublishReportSchema }),
    }),
  ])
  .meta({ id: 'SegEvent' });
/** A §10.2 event. */
export type SegEvent = z.infer<typeof SegEventSchema>;
/** Validates a {@link SegEvent}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseSegEvent = makeParser('SegEvent', SegEventSchema);

/** The exactly-once key of an event: `<type>/<subject>`. */
export function eventKey(type: EventType, subject: string): string {
  return `${type}/${subject}`;
}

/** Fields a caller supplies to {@link makeEvent}; the key and schema version are derived. */
export type SegEventInput<T extends EventType> = {
  type: T;
  id: string;
  org_id: string;
  subject: string;
  occurred_at: string;
  data: Extract<SegEvent, { type: T }>['data'];
};

/** Builds a validated event with its exactly-once key. Throws `SEG_SCHEMA_VIOLATION` on bad input. */
export function makeEvent<T extends EventType>(input: SegEventInput<T>): Extract<SegEvent, { type: T }> {
  return parseSegEvent({
    ...input,
    key: eventKey(input.type, input.subject),
    schema_version: '1.0.0',
  }) as Extract<SegEvent, { type: T }>;
}
