import { Worker } from 'node:worker_threads';
import { SegError } from '@neurocipher/seg-contracts';
import type { FindingContext } from './findings.ts';

interface Pending {
  id: number;
  entrypoint: string;
  input: Uint8Array;
  prepare: FindingContext | undefined;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending | null;
}

// In sources (tests, `node --conditions=@neurocipher/source`) the worker is the .ts file; once built, the .js.
// A source worker resolves the workspace packages it imports to their sources too, whatever flags the
// parent process had (Jest's has none).
const fromSource = import.meta.url.endsWith('.ts');
const workerUrl = new URL(fromSource ? './eval-worker.ts' : './eval-worker.js', import.meta.url);
const SOURCE_CONDITION = '--conditions=@neurocipher/source';
const workerExecArgv =
  fromSource && !process.execArgv.includes(SOURCE_CONDITION)
    ? [...process.execArgv, SOURCE_CONDITION]
    : undefined;

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** The compiled policy. */
  wasm: Uint8Array;
  /** The merged data document, as JSON. */
  dataJson: string;
  /** Number of worker threads (at least 1). */
  size: number;
}

/**
 * A pool of `worker_threads`, each holding its own instance of one bundle's wasm policy. Tasks are queued
 * and handed to the next idle worker; inputs are transferred, not copied. Used for large scopes so every
 * core evaluates.
 */
export class WorkerPool {
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  #nextId = 1;
  #closed = false;

  private constructor() {}

  /** Starts `size` workers and waits until each has instantiated its policy. */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool();
    await Promise.all(
      Array.from({ length: Math.max(1, options.size) }, async () => {
        const worker = new Worker(workerUrl, {
          workerData: { wasm: options.wasm, dataJson: options.dataJson },
          ...(workerExecArgv ? { execArgv: workerExecArgv } : {}),
        });
        const slot: Slot = { worker, busy: null };
        await new Promise<void>((resolve, reject) => {
          worker.once('error', reject);
          worker.once('message', () => {
            worker.off('error', reject);
            resolve();
          });
        });
        worker.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: string }) =>
          pool.#done(slot, msg),
        );
        worker.on('error', (error) => pool.#crash(slot, error));
        pool.#slots.push(slot);
      }),
    );
    return pool;
  }

  /** Number of workers. */
  get size(): number {
    return this.#slots.length;
  }

  /**
   * Evaluates `entrypoint` on JSON input bytes in the next idle worker. The bytes are transferred (consumed).
   * With `prepare`, an aggregator result comes back as a {@link PreparedBatch} (findings built in the worker).
   */
  evaluate(entrypoint: string, input: Uint8Array, prepare?: FindingContext): Promise<unknown> {
    if (this.#closed)
      return Promise.reject(new SegError({ error_code: 'SEG_INTERNAL', message: 'worker pool is closed' }));
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, entrypoint, input, prepare, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (slot.busy !== null) continue;
      const task = this.#queue.shift();
      if (!task) return;
      slot.busy = task;
      const buffer =
        task.input.byteOffset === 0 && task.input.byteLength === task.input.buffer.byteLength
          ? (task.input.buffer as ArrayBuffer)
          : (task.input.slice().buffer as ArrayBuffer);
      slot.worker.postMessage(
        { id: task.id, entrypoint: task.entrypoint, input: buffer, prepare: task.prepare },
        [buffer],
      );
    }
  }

  #done(slot: Slot, msg: { id: number; ok: boolean; result?: unknown; error?: string }): void {
    const task = slot.busy;
    slot.busy = null;
    if (task && task.id === msg.id) {
      if (msg.ok) task.resolve(msg.result);
      else task.reject(new Error(msg.error));
    }
    this.#pump();
  }

  #crash(slot: Slot, error: Error): void {
    const task = slot.busy;
    slot.busy = null;
    this.#slots.splice(this.#slots.indexOf(slot), 1);
    task?.reject(error);
    if (this.#slots.length === 0) {
      for (const queued of this.#queue.splice(0)) queued.reject(error);
    } else {
      this.#pump();
    }
  }

  /** Terminates every worker; queued tasks are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const queued of this.#queue.splice(0)) {
      queued.reject(new SegError({ error_code: 'SEG_INTERNAL', message: 'worker pool closed' }));
    }
    await Promise.all(this.#slots.splice(0).map((slot) => slot.worker.terminate()));
  }
}
