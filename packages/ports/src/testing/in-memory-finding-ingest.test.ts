import { describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import type { EvidenceObj, Finding, IngestContext } from '@neurocipher/seg-contracts';
import { FindingIngestPortId } from '../ingest/finding-ingest-port.ts';
import type { FindingIngestPort } from '../ingest/finding-ingest-port.ts';
import type { TableStore } from '../storage/table-store.ts';
import { InMemoryEventBus } from '../messaging/in-memory-event-bus.ts';
import { InMemoryFindingIngest } from './in-memory-finding-ingest.ts';
import { InMemoryTableStore } from './in-memory-table-store.ts';
import { ManualClock } from './manual-clock.ts';

const RUN = '5d9f0b6e-2a7c-4f1e-9b3a-0c8d7e6f5a4b';
const HASH = 'b'.repeat(64);

const finding: Finding = {
  id: '7b1e6d2a-3c4f-4a5b-8c6d-9e0f1a2b3c4d',
  control_id: 'CIS-S3-1',
  control_version: '1.0.0',
  asset: { urn: 'urn:asset:aws:bucket:b1' },
  result: 'fail',
  severity: 'high',
  message: 'not encrypted',
  evidence: [{ hash: HASH, media_type: 'application/json' }],
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  fingerprint: 'a'.repeat(64),
};
const evidence: EvidenceObj = {
  hash: HASH,
  media_type: 'application/json',
  finding_ids: [finding.id],
  size_bytes: 10,
};

function context(run_id = RUN): IngestContext {
  return {
    run: {
      run_id,
      scope: { org_id: 'org-1', tags: {} },
      started_at: '2026-01-01T00:00:00Z',
      ended_at: '2026-01-01T00:01:00Z',
      controls: ['CIS-S3-1'],
      counts: { pass: 0, warn: 0, fail: 1, error: 0 },
    },
    assets: [
      {
        ref: { urn: 'urn:asset:aws:bucket:b1' },
        kind: 'bucket',
        provider: 'aws',
        properties: {},
        discovered_at: '2026-01-01T00:00:00Z',
      },
    ],
    controls: [],
  };
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

describe('InMemoryFindingIngest', () => {
  it('implements FindingIngestPort under its id', () => {
    const port: FindingIngestPort = new InMemoryFindingIngest();
    expect(port).toBeInstanceOf(InMemoryFindingIngest);
    expect(FindingIngestPortId).toBe(Symbol.for('seg.ports.FindingIngestPort'));
  });

  describe('#commit', () => {
    it('writes one snapshot per table with the run id on every row', async () => {
      const tables = new InMemoryTableStore();
      const port = new InMemoryFindingIngest({ tables });
      const result = await port.commit([finding], [evidence], context());
      expect(result).toMatchObject({
        run_id: RUN,
        findings_written: 1,
        evidence_written: 1,
        replayed: false,
      });
      expect(result.tables.map((t) => [t.table, t.rows_added])).toEqual([
        ['runs', 1],
        ['findings', 1],
        ['evidence', 1],
        ['assets', 1],
      ]);
      expect(await tables.scan('findings', { where: { run_id: RUN, org_id: 'org-1' } })).toHaveLength(1);
      expect(await tables.scan('runs', { where: { run_id: RUN } })).toHaveLength(1);
    });

    it('is idempotent per run id: a replay writes nothing and says replayed', async () => {
      const tables = new InMemoryTableStore();
      const port = new InMemoryFindingIngest({ tables });
      const first = await port.commit([finding], [evidence], context());
      const again = await port.commit([finding], [evidence], context());
      expect(again).toEqual({ ...first, replayed: true });
      expect(await tables.snapshots('findings')).toHaveLength(1);
      expect(await tables.scan('findings')).toHaveLength(1);
      const other = await port.commit([finding], [], context('0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a'));
      expect(other.replayed).toBe(false);
      expect(await tables.scan('findings')).toHaveLength(2);
    });

    it('completes a commit retried after a table write failed, without duplicating rows', async () => {
      const inner = new InMemoryTableStore();
      let failNext = true;
      const flaky: TableStore = {
        append: async (table, rows, options) => {
          if (table === 'evidence' && failNext) {
            failNext = false;
            throw new Error('disk full');
          }
          return inner.append(table, rows, options);
        },
        scan: (table, options) => inner.scan(table, options),
        snapshots: (table) => inner.snapshots(table),
      } satisfies TableStore;
      const port = new InMemoryFindingIngest({ tables: flaky });
      const error = await port.commit([finding], [evidence], context()).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isSegError(error, 'SEG_EVIDENCE_WRITE_FAILED')).toBe(true);
      expect((error as { retryable: boolean }).retryable).toBe(true);
      const retried = await port.commit([finding], [evidence], context());
      expect(retried.replayed).toBe(false);
      expect(await inner.scan('findings')).toHaveLength(1);
      expect(await inner.scan('evidence')).toHaveLength(1);
    });

    it('passes SegErrors of the table store through', async () => {
      const port = new InMemoryFindingIngest({ tables: new InMemoryTableStore({ tables: {} }) });
      expect(await codeOf(port.commit([finding], [], context()))).toBe('SEG_NOT_FOUND');
    });

    it('rejects a bad finding, evidence or context with SEG_SCHEMA_VIOLATION and writes nothing', async () => {
      const tables = new InMemoryTableStore();
      const port = new InMemoryFindingIngest({ tables });
      expect(await codeOf(port.commit([{ ...finding, fingerprint: '' }], [], context()))).toBe(
        'SEG_SCHEMA_VIOLATION',
      );
      expect(await codeOf(port.commit([], [{ ...evidence, hash: 'x' }], context()))).toBe(
        'SEG_SCHEMA_VIOLATION',
      );
      expect(await codeOf(port.commit([], [], context('not-a-uuid')))).toBe('SEG_SCHEMA_VIOLATION');
      expect(await codeOf(tables.scan('findings'))).toBe('SEG_NOT_FOUND');
    });
  });

  describe('#ack', () => {
    it('acknowledges a committed run once, emitting seg.findings.committed exactly once', async () => {
      const events = new InMemoryEventBus();
      const clock = new ManualClock({ start: '2026-01-01T00:02:00Z' });
      const port = new InMemoryFindingIngest({ events, clock });
      const result = await port.commit([finding], [evidence], context());
      const ack = await port.ack(RUN);
      expect(ack).toEqual({ run_id: RUN, acknowledged_at: '2026-01-01T00:02:00.000Z', durable: true });
      clock.advance(60_000);
      expect(await port.ack(RUN)).toEqual(ack);
      const published = events.published();
      expect(published).toHaveLength(1);
      expect(published[0]).toMatchObject({
        type: 'seg.findings.committed',
        key: `seg.findings.committed/${RUN}`,
        org_id: 'org-1',
        data: { result },
      });
    });

    it('works without an event bus', async () => {
      const port = new InMemoryFindingIngest();
      await port.commit([], [], context());
      expect((await port.ack(RUN)).durable).toBe(true);
    });

    it('is SEG_NOT_FOUND for a run never committed', async () => {
      expect(await codeOf(new InMemoryFindingIngest().ack(RUN))).toBe('SEG_NOT_FOUND');
    });
  });
});
