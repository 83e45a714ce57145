import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { hostBuiltins } from './host-builtins.ts';

/** The opa-wasm SDK's loaded policy, as far as we use it. */
interface LoadedPolicy {
  entrypoints: Record<string, number>;
  setData(data: object | ArrayBuffer): void;
  evaluate(input: object | ArrayBuffer, entrypoint?: number | string): Array<{ result: unknown }> | null;
}

/** The SDK throws strings and plain objects; turn whatever it threw into an Error with a useful message. */
export function wasmErrorMessage(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  if (thrown !== null && typeof thrown === 'object' && 'message' in thrown)
    return String((thrown as { message: unknown }).message);
  return String(thrown);
}

/** Copies bytes into an ArrayBuffer of this realm (the SDK tests `instanceof ArrayBuffer`). */
function ownArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const buffer = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  return buffer;
}

/**
 * One instantiated wasm policy with the bundle's data set once, reused for every evaluation (the SDK resets
 * its heap per call). Synchronous and single-threaded: one instance per thread.
 */
export class WasmPolicy {
  readonly #policy: LoadedPolicy;

  private constructor(policy: LoadedPolicy) {
    this.#policy = policy;
  }

  /** Compiles and instantiates `wasm` with the host built-ins, then sets `dataJson` (the merged data document). */
  static async create(wasm: Uint8Array, dataJson: string): Promise<WasmPolicy> {
    const policy = (await loadPolicy(
      ownArrayBuffer(wasm),
      undefined,
      hostBuiltins,
    )) as unknown as LoadedPolicy;
    policy.setData(ownArrayBuffer(new TextEncoder().encode(dataJson)));
    return new WasmPolicy(policy);
  }

  /** Entrypoint names this module exports. */
  get entrypoints(): string[] {
    return Object.keys(this.#policy.entrypoints).sort();
  }

  /**
   * Evaluates `entrypoint` on an input given as UTF-8 JSON bytes. Returns the entrypoint's value, or
   * `undefined` when the rule is undefined. Throws an Error (with the SDK's message) when the policy
   * aborts, e.g. on a conflict or when memory is exhausted.
   */
  evaluate(entrypoint: string, input: Uint8Array): unknown {
    const id = this.#policy.entrypoints[entrypoint];
    if (id === undefined) throw new Error(`entrypoint ${entrypoint} is not exported by the policy`);
    let rs;
    try {
      rs = this.#policy.evaluate(ownArrayBuffer(input), id);
    } catch (thrown) {
      throw new Error(wasmErrorMessage(thrown));
    }
    if (rs === null) throw new Error(`evaluation of ${entrypoint} failed`);
    return rs.length === 0 ? undefined : rs[0]!.result;
  }
}
