/** One changed leaf of a before/after diff; `path` is a JSON Pointer (RFC 6901). */
export interface DiffEntry {
  path: string;
  before: unknown;
  after: unknown;
}

const esc = (k: string) => k.replaceAll('~', '~0').replaceAll('/', '~1');

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The leaves that differ between two JSON values (added, removed or changed), in path order. */
export function jsonDiff(before: unknown, after: unknown, path = ''): DiffEntry[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => jsonDiff(before[k], after[k], `${path}/${esc(k)}`));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => jsonDiff(b, after[i], `${path}/${i}`));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path || '/', before: before ?? null, after: after ?? null }];
}
