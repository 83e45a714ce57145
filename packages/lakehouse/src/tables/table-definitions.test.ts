import { describe, expect, it } from '@jest/globals';
import { instantText } from '@neurocipher/seg-contracts';
import { columnsFromContract } from './columns-from-contract.ts';
import { fromRow, toRow } from './row-codec.ts';
import { TABLE_NAMES, tableLayout } from './table-definitions.ts';
import { isoToMicros, microsToIso } from './timestamps.ts';

describe('table definitions', () => {
  describe('#tableLayout', () => {
    it.each(TABLE_NAMES)(
      '%s: every contract column has a unique pinned id and the tenant partition',
      (name) => {
        const layout = tableLayout(name);
        const ids = layout.schema.fields.map((f) => f.id);
        // Contiguous 1..n in column order: a catalog that assigns fresh ids on create agrees with them.
        expect(ids).toEqual(ids.map((_, i) => i + 1));
        expect(layout.spec.fields[0]).toMatchObject({
          name: 'org_id',
          transform: 'identity',
          'field-id': 1000,
        });
        expect(layout.schema.fields.find((f) => f.name === 'org_id')?.required).toBe(true);
      },
    );

    it('derives findings columns from the Finding contract', () => {
      const names = tableLayout('findings').columns.map((c) => `${c.name}:${c.type}${c.json ? ':json' : ''}`);
      expect(names).toEqual([
        'org_id:string',
        'run_id:string',
        'committed_at:timestamptz',
        'id:string',
        'control_id:string',
        'control_version:string',
        'asset_urn:string',
        'result:string',
        'severity:string',
        'message:string',
        'evidence:string:json',
        'created_at:timestamptz',
        'updated_at:timestamptz',
        'fingerprint:string',
      ]);
      expect(tableLayout('findings').spec.fields[1]).toMatchObject({
        name: 'created_at_day',
        transform: 'day',
      });
    });
  });

  describe('#columnsFromContract', () => {
    it('flattens fixed objects, keeps nullable columns optional and stores maps as JSON', () => {
      const cols = columnsFromContract({
        type: 'object',
        properties: {
          a: { $ref: '#/$defs/Ref' },
          n: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
          m: { type: 'object', additionalProperties: { type: 'string' } },
          t: { type: 'string', format: 'date-time' },
        },
        required: ['a', 'm', 't'],
        $defs: { Ref: { type: 'object', properties: { urn: { type: 'string' } }, required: ['urn'] } },
      });
      expect(cols).toEqual([
        { name: 'a_urn', path: ['a', 'urn'], type: 'string', required: true, json: false },
        { name: 'n', path: ['n'], type: 'long', required: false, json: false },
        { name: 'm', path: ['m'], type: 'string', required: true, json: true },
        { name: 't', path: ['t'], type: 'timestamptz', required: true, json: false },
      ]);
    });
  });

  describe('row codec', () => {
    it('round-trips a run summary through a row', () => {
      const layout = tableLayout('runs');
      const run = {
        run_id: '6f1c2a4e-0c1d-4b7e-9a51-2a1d3c4b5e6f',
        scope: { org_id: 'o', region: 'eu', tags: { b: '2', a: '1' } },
        started_at: '2026-01-01T00:00:00.123456Z',
        ended_at: '2026-01-01T01:00:00Z',
        controls: ['c1'],
        counts: { pass: 1 },
      };
      const row = toRow(layout, run, {
        org_id: 'o',
        run_id: run.run_id,
        committed_at: '2026-01-01T02:00:00Z',
      });
      expect(row.scope_tags).toBe('{"a":"1","b":"2"}');
      expect(row.started_at).toBe(1_767_225_600_123_456n);
      expect(fromRow(layout, row).value).toEqual(run);
    });

    it('keeps microseconds and offsets exact', () => {
      expect(isoToMicros('2026-01-01T01:00:00.000001+01:00')).toBe(1_767_225_600_000_001n);
      expect(microsToIso(1_767_225_600_000_001n)).toBe('2026-01-01T00:00:00.000001Z');
      expect(microsToIso(-1n)).toBe('1969-12-31T23:59:59.999999Z');
    });

    it('gives back the text of instantText (what run summaries are written with) unchanged', () => {
      for (let ms = Date.parse('2026-12-04T20:04:09.000Z'), i = 0; i < 2_000; i++, ms += 7) {
        const text = instantText(new Date(ms));
        expect(microsToIso(isoToMicros(text))).toBe(text);
      }
    });
  });
});

describe('day transform', () => {
  it('floors microseconds to days exactly, before and after the epoch', async () => {
    const { applyTransform } = await import('../iceberg/schema.ts');
    const day = 86_400_000_000n;
    for (const d of [0n, 1n, 20_454n, 104_249n, -1n, -20_454n]) {
      expect(applyTransform('day', d * day)).toBe(Number(d));
      expect(applyTransform('day', d * day - 1n)).toBe(Number(d) - 1);
      expect(applyTransform('day', d * day + day - 1n)).toBe(Number(d));
    }
    expect(applyTransform('day', 2n ** 62n)).toBe(Number(2n ** 62n / day));
  });
});
