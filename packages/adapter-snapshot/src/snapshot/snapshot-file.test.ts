import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isSegError } from '@neurocipher/seg-contracts';
import type { SegError } from '@neurocipher/seg-contracts';
import { parseSnapshotRecord, serializeSnapshotRecord } from './snapshot-record.ts';
import type { SnapshotRecord } from './snapshot-record.ts';
import { DEFAULT_SNAPSHOT_MAX_LINE_BYTES, readSnapshotFile } from './snapshot-file.ts';
import type { ReadSnapshotOptions } from './snapshot-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'seg-snapshot-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function record(i: number, name = `asset ${i}`): SnapshotRecord {
  const urn = `urn:asset:aws:bucket:arn:aws:s3:::b-${String(i).padStart(5, '0')}`;
  return {
    asset: {
      ref: { urn },
      kind: 'bucket',
      provider: 'aws',
      name,
      properties: { region: 'us-east-1' },
      discovered_at: '2026-01-01T00:00:00Z',
    },
    configs: [{ asset: { urn }, captured_at: '2026-01-01T00:00:00Z', schema_version: '1.0.0', body: { i } }],
  };
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

let files = 0;
function fileOf(bytes: Uint8Array): string {
  const path = join(dir, `s-${(files += 1)}.ndjson`);
  writeFileSync(path, bytes);
  return path;
}

/** The records read, or the SegError the read ended with (anything else fails the test). */
async function read(path: string, options?: ReadSnapshotOptions): Promise<SnapshotRecord[] | SegError> {
  const out: SnapshotRecord[] = [];
  try {
    for await (const r of readSnapshotFile(path, options)) out.push(r);
  } catch (error) {
    if (isSegError(error)) return error;
    throw error;
  }
  return out;
}

function violation(result: SnapshotRecord[] | SegError): SegError {
  if (!isSegError(result)) throw new Error(`expected a SegError, read ${result.length} record(s)`);
  return result;
}

describe('readSnapshotFile', () => {
  it('reads LF and CRLF lines, skips blank lines and a leading byte order mark', async () => {
    const [a, b] = [record(1), record(2)];
    const text = `\uFEFF${serializeSnapshotRecord(a)}\r\n\r\n  \n${serializeSnapshotRecord(b)}`;
    expect(await read(fileOf(utf8(text)))).toEqual([a, b]);
  });

  it('refuses a line over a configured limit as SEG_SCHEMA_VIOLATION naming the line and the path', async () => {
    const path = fileOf(utf8(`${serializeSnapshotRecord(record(1))}\n${'x'.repeat(5000)}\n`));
    const error = violation(await read(path, { maxLineBytes: 1024, readChunkBytes: 100 }));
    expect(error.error_code).toBe('SEG_SCHEMA_VIOLATION');
    expect(error.message).toBe('snapshot line 2 is longer than 1024 bytes (the snapshot line limit)');
    expect(error.details).toMatchObject({ line: 2, path });
  });

  it('refuses a line over the default 64 MiB limit without waiting for its end', async () => {
    const path = fileOf(Buffer.alloc(DEFAULT_SNAPSHOT_MAX_LINE_BYTES + 1, 0x20));
    const error = violation(await read(path));
    expect(error.message).toBe(
      `snapshot line 1 is longer than ${DEFAULT_SNAPSHOT_MAX_LINE_BYTES} bytes (the snapshot line limit)`,
    );
  });

  it('ends /dev/zero at once with SEG_SCHEMA_VIOLATION on line 1 (a NUL byte)', async () => {
    const error = violation(await read('/dev/zero'));
    expect(error.error_code).toBe('SEG_SCHEMA_VIOLATION');
    expect(error.message).toBe('snapshot line 1 holds a NUL byte: not an NDJSON text');
    expect(error.details).toMatchObject({ line: 1, path: '/dev/zero' });
  });

  it.each([
    ['a lone 0xff byte', [0xff]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ])('refuses non-UTF-8 input (%s) naming the line, never replacing it with U+FFFD', async (_, bad) => {
    const good = serializeSnapshotRecord(record(1));
    const [head, tail] = serializeSnapshotRecord(record(2, 'name-@')).split('@') as [string, string];
    const path = fileOf(Buffer.concat([utf8(`${good}\n`), utf8(head), Buffer.from(bad), utf8(`${tail}\n`)]));
    const error = violation(await read(path));
    expect(error.error_code).toBe('SEG_SCHEMA_VIOLATION');
    expect(error.message).toBe('snapshot line 2 is not valid UTF-8');
    expect(error.details).toMatchObject({ line: 2, path });
  });

  it('adds the path to the line of a record that is JSON but not a valid record', async () => {
    const path = fileOf(utf8(`${serializeSnapshotRecord(record(1))}\n[1]\n`));
    expect(violation(await read(path)).details).toMatchObject({ line: 2, path });
  });

  it('refuses a line limit or read size that is not a positive integer', async () => {
    const path = fileOf(utf8(''));
    for (const options of [{ maxLineBytes: 0 }, { maxLineBytes: 2 ** 40 }, { readChunkBytes: 0.5 }]) {
      expect(violation(await read(path, options)).error_code).toBe('SEG_INVALID_ARGUMENT');
    }
  });

  // One line of a generated file: what it holds, and what reading it must give.
  type Part =
    | { kind: 'record'; bytes: Buffer; record: SnapshotRecord }
    | { kind: 'blank' | 'junk' | 'utf8' | 'nul' | 'long'; bytes: Buffer };
  const LIMIT = 2048;
  const noNewline = (bytes: Uint8Array): Buffer => Buffer.from(bytes.filter((b) => b !== 0x0a));
  const part: fc.Arbitrary<Part> = fc.oneof(
    fc
      .record({ i: fc.nat(99_999), name: fc.string({ unit: 'grapheme', maxLength: 40 }) })
      .map(({ i, name }) => {
        const r = parseSnapshotRecord(JSON.parse(serializeSnapshotRecord(record(i, name || 'x'))));
        return { kind: 'record' as const, bytes: utf8(serializeSnapshotRecord(r)), record: r };
      }),
    fc.constantFrom('', ' ', '\r', '\t \r').map((s) => ({ kind: 'blank' as const, bytes: utf8(s) })),
    // Never JSON: a leading letter, then any bytes (invalid UTF-8, NULs, control bytes, over the limit).
    fc
      .uint8Array({ maxLength: 3 * LIMIT })
      .map((b) => ({ kind: 'junk' as const, bytes: Buffer.concat([utf8('A'), noNewline(b)]) })),
    fc
      .record({ i: fc.nat(99_999), bad: fc.constantFrom([0xff], [0xc3], [0xe2, 0x28, 0xa1], [0xf8, 0x88]) })
      .map(({ i, bad }) => {
        const [head, tail] = serializeSnapshotRecord(record(i, 'n@')).split('@') as [string, string];
        return { kind: 'utf8' as const, bytes: Buffer.concat([utf8(head), Buffer.from(bad), utf8(tail)]) };
      }),
    fc.nat(99_999).map((i) => {
      const [head, tail] = serializeSnapshotRecord(record(i, 'n@')).split('@') as [string, string];
      return { kind: 'nul' as const, bytes: Buffer.concat([utf8(head), Buffer.from([0]), utf8(tail)]) };
    }),
    fc.integer({ min: LIMIT + 1, max: 3 * LIMIT }).map((n) => {
      const line = serializeSnapshotRecord(record(1));
      return { kind: 'long' as const, bytes: utf8(line + ' '.repeat(n - line.length)) };
    }),
  );
  const MESSAGE: Record<string, RegExp> = {
    utf8: /^snapshot line \d+ is not valid UTF-8$/,
    nul: /^snapshot line \d+ holds a NUL byte/,
    long: /^snapshot line \d+ is longer than 2048 bytes/,
  };

  it('gives the records of a good file, or a SEG_SCHEMA_VIOLATION naming the first bad line (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(part, { maxLength: 12 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 4096 }),
        async (parts, trailingNewline, readChunkBytes) => {
          const joined = parts.flatMap((p, i) => (i === 0 ? [p.bytes] : [utf8('\n'), p.bytes]));
          const path = fileOf(Buffer.concat([...joined, utf8(trailingNewline ? '\n' : '')]));
          const result = await read(path, { maxLineBytes: LIMIT, readChunkBytes });
          const bad = parts.findIndex((p) => p.kind !== 'record' && p.kind !== 'blank');
          if (bad === -1) {
            expect(result).toEqual(parts.flatMap((p) => (p.kind === 'record' ? [p.record] : [])));
            return;
          }
          const error = violation(result);
          expect(error.error_code).toBe('SEG_SCHEMA_VIOLATION');
          expect(error.details).toMatchObject({ line: bad + 1, path });
          expect(error.message).toMatch(new RegExp(`^snapshot line ${bad + 1}[ :]`));
          const expected = MESSAGE[parts[bad]!.kind];
          if (expected) expect(error.message).toMatch(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
