// Where Parquet data files are encoded: in the calling thread, or on worker threads so that the
// partitions of one append encode in parallel while the calling thread groups rows, computes metrics
// and writes files.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PackedColumn, ParquetCodec } from './parquet-encoder.ts';
import { encodeColumns, packColumns } from './parquet-encoder.ts';
import type { IcebergSchema, RowValue } from './schema.ts';

/** Encodes one data file's columns (aligned with the schema's fields) as Parquet bytes. */
export interface ParquetEncoder {
  /** How many files it encodes at once (1 in the calling thread, the worker count for a pool). */
  readonly parallelism: number;
  /** Encodes the columns; rejects when the values do not fit the schema. */
  encode(schema: IcebergSchema, columns: RowValue[][], codec: ParquetCodec): Promise<Uint8Array>;
  /** Stops any threads; a later `encode` starts them again. */
  close(): Promise<void>;
}

/** One message to an encoder worker. */
export interface EncodeTask {
  id: number;
  schema: IcebergSchema;
  columns: PackedColumn[];
  codec: ParquetCodec;
}

interface Pending {
  task: EncodeTask;
  transfer: ArrayBuffer[];
  resolve: (bytes: Uint8Array) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending | null;
}

/** Encodes in the calling thread. */
export class InlineParquetEncoder implements ParquetEncoder {
  /** One file at a time. */
  readonly parallelism = 1;

  /** Encodes at once and resolves with the bytes. */
  async encode(schema: IcebergSchema, columns: RowValue[][], codec: ParquetCodec): Promise<Uint8Array> {
    return encodeColumns(schema, columns, codec);
  }

  /** Nothing to stop. */
  async close(): Promise<void> {}
}

// In sources (tests, `node --conditions=@neurocipher/source`) the worker is the .ts file; once built, the .js.
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './parquet-worker.ts' : './parquet-worker.js',
  import.meta.url,
);

/** Options of {@link ParquetEncoderPool}. */
export interface ParquetEncoderPoolOptions {
  /** Worker threads (default: the machine's available parallelism, at most 4). */
  size?: number;
}

/**
 * A pool of worker threads that encode data files. Columns travel packed (a string column as one joined
 * string and a lengths array), and the bytes come back transferred. Workers start on first use and keep
 * the process alive only while they have work, so an idle pool never holds a CLI open. A worker that
 * dies fails the file it had (the append fails; nothing is committed) and is replaced by the next task.
 */
export class ParquetEncoderPool implements ParquetEncoder {
  readonly #size: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  #nextId = 1;

  constructor(options: ParquetEncoderPoolOptions = {}) {
    this.#size = Math.max(1, options.size ?? Math.min(4, availableParallelism()));
  }

  /** The most worker threads the pool runs. */
  get size(): number {
    return this.#size;
  }

  /** As many files at once as it has workers. */
  get parallelism(): number {
    return this.#size;
  }

  /** Queues the columns for the next idle worker. */
  encode(schema: IcebergSchema, columns: RowValue[][], codec: ParquetCodec): Promise<Uint8Array> {
    const packed = packColumns(schema, columns);
    return new Promise((resolve, reject) => {
      const task = { id: this.#nextId++, schema, columns: packed.columns, codec };
      this.#queue.push({ task, transfer: packed.transfer, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => s.busy === null);
      if (!slot && this.#slots.length < this.#size) slot = this.#spawn();
      if (!slot) return;
      const next = this.#queue.shift() as Pending;
      slot.busy = next;
      slot.worker.ref();
      slot.worker.postMessage(next.task, next.transfer);
    }
  }

  #spawn(): Slot {
    const worker = new Worker(workerUrl);
    const slot: Slot = { worker, busy: null };
    worker.on('message', (msg: { id: number; bytes?: Uint8Array; error?: string }) => {
      const pending = slot.busy;
      slot.busy = null;
      worker.unref();
      if (pending) {
        if (msg.bytes) pending.resolve(msg.bytes);
        else pending.reject(new Error(`parquet encoding failed: ${msg.error ?? 'unknown error'}`));
      }
      this.#pump();
    });
    const lost = (why: string) => {
      const i = this.#slots.indexOf(slot);
      if (i < 0) return;
      this.#slots.splice(i, 1);
      const pending = slot.busy;
      slot.busy = null;
      pending?.reject(new Error(`parquet encoder worker ${why}`));
      this.#pump();
    };
    worker.on('error', (err) => lost(`failed: ${err.message}`));
    worker.on('exit', (code) => lost(`exited with code ${code}`));
    worker.unref();
    this.#slots.push(slot);
    return slot;
  }

  /** Terminates the workers; queued and running encodes reject. */
  async close(): Promise<void> {
    const slots = this.#slots.splice(0);
    for (const p of this.#queue.splice(0)) p.reject(new Error('parquet encoder pool closed'));
    for (const s of slots) s.busy?.reject(new Error('parquet encoder pool closed'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

let shared: ParquetEncoder | undefined;

/**
 * The process-wide encoder tables use unless given their own: a pool of worker threads when the machine
 * has more than one core, else the calling thread.
 */
export function sharedParquetEncoder(): ParquetEncoder {
  return (shared ??= availableParallelism() > 1 ? new ParquetEncoderPool() : new InlineParquetEncoder());
}
