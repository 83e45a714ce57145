import { describe, expect, it } from '@jest/globals';
import {
  EVENT_TYPES,
  SegError,
  assertEventTypes,
  contractExamples,
  eventKey,
  makeEvent,
  parseSegEvent,
} from '../index.ts';

const runId = '6f1c7b1e-9a53-5d2e-8a3b-2f0d7c4e9b10';
const base = {
  id: '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d',
  org_id: 'acme',
  occurred_at: '2026-11-26T01:30:00Z',
};

describe('SegEventSchema', () => {
  it('has an example of every §10.2 event type', () => {
    const types = (contractExamples['seg-event'] as { type: string }[]).map((e) => e.type);
    expect([...types].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('checks data against the schema of its type', () => {
    const started = (contractExamples['seg-event'] as Record<string, unknown>[])[0]!;
    expect(() => parseSegEvent({ ...started, type: 'seg.run.completed' })).toThrow(/data\.run/);
  });

  it('rejects an unknown event type', () => {
    expect(() =>
      parseSegEvent({ ...base, type: 'seg.run.exploded', subject: runId, key: 'k', data: {} }),
    ).toThrow(SegError);
  });
});

describe('makeEvent', () => {
  it('derives the exactly-once key from type and subject', () => {
    const event = makeEvent({
      ...base,
      type: 'seg.run.started',
      subject: runId,
      data: { run_id: runId, scope: { org_id: 'acme', tags: {} }, control_ids: [] },
    });
    expect(event.key).toBe(eventKey('seg.run.started', runId));
    expect(event.key).toBe(`seg.run.started/${runId}`);
    expect(event.schema_version).toBe('1.0.0');
  });

  it('gives two emissions of the same logical event the same key and different ids', () => {
    const data = { run_id: runId, scope: { org_id: 'acme', tags: {} }, control_ids: [] };
    const a = makeEvent({ ...base, type: 'seg.run.started', subject: runId, data });
    const b = makeEvent({
      ...base,
      id: '2a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d',
      type: 'seg.run.started',
      subject: runId,
      data,
    });
    expect(a.key).toBe(b.key);
    expect(a.id).not.toBe(b.id);
  });
});

describe('assertEventTypes', () => {
  it('passes the six §10.2 types and names every unknown one', () => {
    expect(() => assertEventTypes(EVENT_TYPES)).not.toThrow();
    let caught: unknown;
    try {
      assertEventTypes(['seg.run.started', 'seg.run.exploded', 'seg.nope']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SegError);
    expect((caught as SegError).toJSON()).toMatchObject({
      error_code: 'SEG_SCHEMA_VIOLATION',
      message: 'unknown event types: seg.run.exploded, seg.nope',
      details: { paths: ['seg.run.exploded', 'seg.nope'] },
    });
  });
});
