import { OPAClient } from '@styra/opa';
import { SegError } from '@neurocipher/seg-contracts';
import { wasmErrorMessage, WasmPolicy } from './wasm-policy.ts';
import { WorkerPool } from './worker-pool.ts';
import type { FindingContext } from './findings.ts';

/** Per-call options of {@link PolicyEngine.evaluate}. */
export interface EvaluateCallOptions {
  /** Run in the worker pool (wasm engine with workers only). */
  parallel?: boolean;
  /** With `parallel`: build the batch's findings in the worker and return a `PreparedBatch`. */
  prepare?: FindingContext;
}

/**
 * What evaluates a bundle's entrypoints: the in-process wasm engine or an OPA server. Inputs are UTF-8
 * JSON bytes serialised once by the caller. A rejected promise means the whole call failed (policy abort,
 * transport error); an undefined rule resolves to `undefined`.
 */
export interface PolicyEngine {
  /** `wasm` or `opa-server`. */
  readonly kind: 'wasm' | 'opa-server';
  /** Evaluates one entrypoint (`seg/aggregate/results` or `seg/controls/<snake_id>/result`). */
  evaluate(entrypoint: string, input: Uint8Array, options?: EvaluateCallOptions): Promise<unknown>;
  /** Whether the engine can evaluate `entrypoint`. */
  hasEntrypoint(entrypoint: string): Promise<boolean>;
  /** Releases threads and connections. */
  close(): Promise<void>;
}

/** Options of {@link WasmEngine}. */
export interface WasmEngineOptions {
  wasm: Uint8Array;
  dataJson: string;
  /** Worker threads for parallel calls; 0 evaluates everything on the calling thread. */
  workers: number;
}

/**
 * The in-process engine: one wasm instance on the calling thread (small scopes, fault isolation) and,
 * started on first parallel call, a pool of worker threads with one instance each.
 */
export class WasmEngine implements PolicyEngine {
  readonly kind = 'wasm' as const;
  readonly #inline: WasmPolicy;
  readonly #options: WasmEngineOptions;
  #pool: Promise<WorkerPool> | null = null;

  private constructor(inline: WasmPolicy, options: WasmEngineOptions) {
    this.#inline = inline;
    this.#options = options;
  }

  /** Instantiates the policy (only ever called on a verified bundle). */
  static async create(options: WasmEngineOptions): Promise<WasmEngine> {
    return new WasmEngine(await WasmPolicy.create(options.wasm, options.dataJson), options);
  }

  /** Entrypoints the module exports. */
  get entrypoints(): string[] {
    return this.#inline.entrypoints;
  }

  async hasEntrypoint(entrypoint: string): Promise<boolean> {
    return this.#inline.entrypoints.includes(entrypoint);
  }

  async evaluate(entrypoint: string, input: Uint8Array, options: EvaluateCallOptions = {}): Promise<unknown> {
    if (options.parallel && this.#options.workers > 0) {
      this.#pool ??= WorkerPool.start({
        wasm: this.#options.wasm,
        dataJson: this.#options.dataJson,
        size: this.#options.workers,
      });
      return (await this.#pool).evaluate(entrypoint, input, options.prepare);
    }
    return this.#inline.evaluate(entrypoint, input);
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = null;
    if (pool) await (await pool).close();
  }
}

/** Options of {@link OpaServerEngine}. */
export interface OpaServerEngineOptions {
  /** Base URL of `opa run --server` (which verified the OPA-format signed bundle itself). */
  url: string;
  /** Entrypoints the server's bundle is expected to define (the aggregator and each control's). */
  entrypoints: readonly string[];
}

/**
 * The remote engine: evaluates through the OPA REST API (`POST /v1/data/<entrypoint>`) with `@styra/opa`.
 * Same inputs, same outputs as the wasm engine; full topdown semantics.
 */
export class OpaServerEngine implements PolicyEngine {
  readonly kind = 'opa-server' as const;
  readonly #client: OPAClient;
  readonly #entrypoints: readonly string[];

  constructor(options: OpaServerEngineOptions) {
    this.#client = new OPAClient(options.url);
    this.#entrypoints = options.entrypoints;
  }

  async hasEntrypoint(entrypoint: string): Promise<boolean> {
    return this.#entrypoints.includes(entrypoint);
  }

  async evaluate(entrypoint: string, input: Uint8Array): Promise<unknown> {
    const body = JSON.parse(new TextDecoder().decode(input)) as Record<string, unknown>;
    try {
      return await this.#client.evaluate<Record<string, unknown>, unknown>(entrypoint, body);
    } catch (thrown) {
      throw new SegError({
        error_code: 'SEG_ADAPTER_UNAVAILABLE',
        message: `OPA server evaluation of ${entrypoint} failed: ${wasmErrorMessage(thrown)}`,
        cause: thrown,
      });
    }
  }

  async close(): Promise<void> {}
}
