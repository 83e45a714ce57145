import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { opa } from '../../test/helpers.ts';
import { hostBuiltins, parseRfc3339Ns } from './host-builtins.ts';

describe('host built-ins', () => {
  describe('time.parse_rfc3339_ns', () => {
    it('parses UTC, offsets and fractional seconds like Go', () => {
      expect(parseRfc3339Ns('1970-01-01T00:00:00Z')).toBe(0);
      expect(parseRfc3339Ns('1970-01-01T00:00:01.5Z')).toBe(1_500_000_000);
      expect(parseRfc3339Ns('1970-01-01T02:00:00+02:00')).toBe(0);
      expect(parseRfc3339Ns('1969-12-31T19:00:00-05:00')).toBe(0);
      expect(parseRfc3339Ns('2026-06-01T00:00:00Z')).toBe(Date.UTC(2026, 5, 1) * 1e6);
    });

    it('agrees with opa (topdown) on edge cases, to float64 precision', () => {
      const samples = [
        '2026-01-01T00:00:00Z',
        '2026-01-01t00:00:00z',
        '2026-01-01T00:00:60Z',
        '2026-01-01T00:00:00.1234567891Z',
        '2026-01-01T00:00:00+24:00',
        '2026-01-01T00:00:00.Z',
        '2026-01-01T00:00:00,5Z',
        '2024-02-29T23:59:59.999-07:30',
        '2023-02-29T00:00:00Z',
        '2026-01-01 00:00:00Z',
        '0001-01-01T00:00:00Z',
      ];
      const query = `[x | some s in ${JSON.stringify(samples)}; x := object.union({"s": s}, {"ns": time.parse_rfc3339_ns(s)})]`;
      const run = spawnSync(opa, ['eval', '-f', 'raw', query], { encoding: 'utf8' });
      expect(run.status).toBe(0);
      const parsed = JSON.parse(run.stdout) as Array<{ s: string; ns: number }>;
      const topdown = Object.fromEntries(parsed.map((r) => [r.s, r.ns]));
      for (const s of samples) {
        const ours = parseRfc3339Ns(s);
        expect({ s, defined: ours !== undefined }).toEqual({ s, defined: s in topdown });
        if (ours !== undefined) expect(ours).toBe(Number(BigInt(String(topdown[s]))));
      }
    });

    it('is undefined (as a topdown built-in error) for malformed or impossible timestamps', () => {
      for (const bad of [
        'yesterday',
        '2026-02-30T00:00:00Z',
        '2026-13-01T00:00:00Z',
        '2026-01-01 00:00:00Z',
        '2026-01-01T24:00:00Z',
        '2026-01-01T00:00:00',
        42,
        null,
      ]) {
        expect(parseRfc3339Ns(bad)).toBeUndefined();
      }
    });
  });

  it('implements object.keys and the string prefix/suffix matchers', () => {
    expect(hostBuiltins['object.keys']!({ b: 1, a: 2 })).toEqual(['a', 'b']);
    expect(hostBuiltins['object.keys']!([1])).toBeUndefined();
    expect(hostBuiltins['strings.any_prefix_match']!(['arn:aws:iam::1'], ['arn:aws:'])).toBe(true);
    expect(hostBuiltins['strings.any_prefix_match']!('x', ['y'])).toBe(false);
    expect(hostBuiltins['strings.any_suffix_match']!('a.json', ['.json'])).toBe(true);
  });
});
