// Avro Object Container Files, framed by hand. avsc's BlockEncoder drops the `field-id` attributes
// Iceberg needs when given a Type, and its default long type refuses values beyond 2^53; so we
// encode records with an avsc Type built over a bigint long, and write the header ourselves with the
// exact schema JSON (notes/iceberg.md §3.2).
import { randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import avsc from 'avsc';

const MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]);

/** An avsc long type whose values are exact bigints (reads always yield bigint; writes take bigint or safe number). */
export const bigintLong = avsc.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(0),
  toBuffer: (n: bigint | number) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: (v: unknown) => BigInt(v as number),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint' || (typeof n === 'number' && Number.isSafeInteger(n)),
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

// Types by schema JSON. avsc compiles a Type's reader and writer into code, which cost more than decoding a
// manifest did (a GET /runs/{id} reads every manifest of the runs table); a Type is immutable, so one is
// built per distinct schema. Bounded: schemas come from files, and a table has few.
const TYPES = new Map<string, avsc.Type>();
const TYPES_MAX = 256;

/** The avsc Type of a schema (built once per schema text), with 64-bit longs read and written as bigint. */
export function avroType(schema: object, text: string = JSON.stringify(schema)): avsc.Type {
  let type = TYPES.get(text);
  if (type === undefined) {
    type = avsc.Type.forSchema(schema as avsc.Schema, {
      registry: { long: bigintLong } as never,
      wrapUnions: false,
    });
    if (TYPES.size >= TYPES_MAX) TYPES.delete(TYPES.keys().next().value!);
    TYPES.set(text, type);
  }
  return type;
}

function zigzag(n: number): Buffer {
  let z = (BigInt(n) << 1n) ^ (BigInt(n) < 0n ? -1n : 0n);
  const out: number[] = [];
  while (z > 0x7fn) {
    out.push(Number(z & 0x7fn) | 0x80);
    z >>= 7n;
  }
  out.push(Number(z));
  return Buffer.from(out);
}

function encodeString(s: string | Buffer): Buffer {
  const bytes = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  return Buffer.concat([zigzag(bytes.length), bytes]);
}

/** Options of {@link writeAvroContainer}. */
export interface AvroContainerOptions {
  /** The exact Avro schema JSON (kept verbatim in the header, ids and all). */
  schema: object;
  /** Extra header metadata (Iceberg keys such as `format-version`). */
  metadata?: Record<string, string>;
  /** Block codec; `deflate` by default, as Java and pyiceberg write. */
  codec?: 'null' | 'deflate';
}

/** Encodes records into one Avro Object Container File (a single data block). */
export function writeAvroContainer(records: readonly unknown[], options: AvroContainerOptions): Buffer {
  const codec = options.codec ?? 'deflate';
  const type = avroType(options.schema);
  const meta: Record<string, string> = {
    ...options.metadata,
    'avro.schema': JSON.stringify(options.schema),
    'avro.codec': codec,
  };
  const sync = randomBytes(16);
  const parts: Buffer[] = [MAGIC];
  const keys = Object.keys(meta);
  parts.push(zigzag(keys.length));
  for (const key of keys) parts.push(encodeString(key), encodeString(meta[key] ?? ''));
  parts.push(zigzag(0), sync);
  if (records.length > 0) {
    const raw = Buffer.concat(records.map((r) => type.toBuffer(r)));
    const body = codec === 'deflate' ? deflateRawSync(raw) : raw;
    parts.push(zigzag(records.length), zigzag(body.length), body, sync);
  }
  return Buffer.concat(parts);
}

/** A decoded Avro container: header metadata and records. */
export interface AvroContainer<T> {
  /** Header metadata as UTF-8 strings (including `avro.schema`). */
  metadata: Record<string, string>;
  /** The decoded records, longs as bigint. */
  records: T[];
}

class Cursor {
  pos = 0;
  readonly buf: Buffer;
  constructor(buf: Buffer) {
    this.buf = buf;
  }
  long(): number {
    let n = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw new Error('truncated Avro long');
      n |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
    }
    return Number((n >> 1n) ^ -(n & 1n));
  }
  bytes(): Buffer {
    const len = this.long();
    const out = this.buf.subarray(this.pos, this.pos + len);
    if (out.length !== len) throw new Error('truncated Avro bytes');
    this.pos += len;
    return out;
  }
  take(len: number): Buffer {
    const out = this.buf.subarray(this.pos, this.pos + len);
    if (out.length !== len) throw new Error('truncated Avro block');
    this.pos += len;
    return out;
  }
}

/** Decodes an Avro Object Container File written by any Avro writer (codecs null and deflate). */
export function readAvroContainer<T = Record<string, unknown>>(buf: Buffer): AvroContainer<T> {
  if (!buf.subarray(0, 4).equals(MAGIC)) throw new Error('not an Avro container file');
  const c = new Cursor(buf);
  c.pos = 4;
  const metadata: Record<string, string> = {};
  for (;;) {
    let count = c.long();
    if (count === 0) break;
    if (count < 0) {
      count = -count;
      c.long();
    }
    for (let i = 0; i < count; i++) metadata[c.bytes().toString('utf8')] = c.bytes().toString('utf8');
  }
  const sync = c.take(16);
  const text = metadata['avro.schema'] ?? 'null';
  const type = TYPES.get(text) ?? avroType(JSON.parse(text) as object, text);
  const codec = metadata['avro.codec'] ?? 'null';
  const records: T[] = [];
  while (c.pos < buf.length) {
    const count = c.long();
    const size = c.long();
    const raw = c.take(size);
    const body = codec === 'deflate' ? inflateRawSync(raw) : codec === 'null' ? raw : undefined;
    if (body === undefined) throw new Error(`unsupported Avro codec ${codec}`);
    let pos = 0;
    for (let i = 0; i < count; i++) {
      const res = type.decode(body, pos);
      if (res.offset < 0) throw new Error('truncated Avro record');
      records.push(res.value as T);
      pos = res.offset;
    }
    if (!c.take(16).equals(sync)) throw new Error('Avro sync marker mismatch');
  }
  return { metadata, records };
}
