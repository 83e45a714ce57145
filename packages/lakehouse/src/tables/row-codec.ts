// Converts contract objects to table rows and back, following a table layout.
import { canonicalJson } from '@neurocipher/seg-attest';
import type { Row, RowValue } from '../iceberg/schema.ts';
import type { TableLayout } from './table-definitions.ts';
import { isoToMicros, microsToIso } from './timestamps.ts';

/** Values SEG adds to every row. */
export interface SegRowValues {
  org_id: string;
  run_id: string | null;
  committed_at: string;
}

function get(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Encodes one contract object as a row of the table. */
export function toRow(layout: TableLayout, value: object, seg: SegRowValues): Row {
  const row: Row = {};
  for (const c of layout.columns) {
    const raw = c.path.length === 0 ? seg[c.name as keyof SegRowValues] : get(value, c.path);
    let v: RowValue;
    if (raw === undefined || raw === null) v = null;
    else if (c.json) v = canonicalJson(raw);
    else if (c.type === 'timestamptz') v = isoToMicros(String(raw));
    else if (c.type === 'long') v = BigInt(raw as number);
    else v = raw as RowValue;
    row[c.name] = v;
  }
  return row;
}

/** Decodes a row back into the contract object (SEG columns are returned separately). */
export function fromRow<T>(layout: TableLayout, row: Row): { value: T; seg: SegRowValues } {
  const value: Record<string, unknown> = {};
  const seg: Record<string, unknown> = {};
  for (const c of layout.columns) {
    const raw = row[c.name];
    let v: unknown;
    if (raw === null || raw === undefined) v = null;
    else if (c.json) v = JSON.parse(String(raw));
    else if (c.type === 'timestamptz') v = microsToIso(BigInt(raw));
    else if (c.type === 'long') v = Number(raw);
    else v = raw;
    if (c.path.length === 0) {
      seg[c.name] = v;
      continue;
    }
    if (v === null) continue;
    let cur = value;
    for (const key of c.path.slice(0, -1)) cur = (cur[key] ??= {}) as Record<string, unknown>;
    cur[c.path.at(-1) as string] = v;
  }
  for (const c of layout.columns) if (c.name === 'run_id' && c.path.length > 0) seg.run_id = row.run_id;
  return { value: value as T, seg: seg as unknown as SegRowValues };
}
