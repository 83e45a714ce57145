import { isSegError, SegError } from '@neurocipher/seg-contracts';
import type { TrustedKey } from '@neurocipher/seg-attest';
import type { BundleRef, BundleSource } from '@neurocipher/seg-ports';
import { GATES_ENTRYPOINT } from '../bundle/bundle-layout.ts';
import { instantiateWasm, readVerifiedBundle } from '../evaluation/bundle-loader.ts';
import type { PolicyEngine } from '../evaluation/policy-engine.ts';
import { parseGateDecision, type GateDecision } from './gate-decision.ts';
import { parseGateInput, type GateInput } from './gate-input.ts';

/** Options of {@link GatesEvaluator}. */
export interface GatesEvaluatorOptions {
  /** Where the gates bundle is read from. */
  bundleSource: BundleSource;
  /** Public keys allowed to sign it. A bundle signed by any other key is refused. */
  trustedKeys: readonly TrustedKey[];
  /** The gates bundle (id and version): the repository's `seg-gates`, or a tenant's own. */
  bundle: BundleRef;
}

/** The verified gates bundle a {@link GatesEvaluator} decides with (to record beside each decision). */
export interface GatesBundleInfo {
  ref: BundleRef;
  /** sha256 of the bundle's CHECKSUMS: names its exact content. */
  digest: string;
  /** keyid of the trusted key that signed it. */
  signer: string;
}

interface Loaded {
  info: GatesBundleInfo;
  engine: PolicyEngine;
}

const encoder = new TextEncoder();

/**
 * Decides, with a signed gates bundle, who must approve a remediation action (spec §15 approval gates,
 * §16 rollout phases): `decide(input)` validates the {@link GateInput}, evaluates `seg/gates/decision`
 * in-process (opa-wasm) and validates the {@link GateDecision} it returns. The bundle is read and
 * verified (signature, checksums, manifest, `"kind": "gates"`) once, before any wasm is instantiated.
 */
export class GatesEvaluator {
  readonly #options: GatesEvaluatorOptions;
  #loading: Promise<Loaded> | null = null;

  constructor(options: GatesEvaluatorOptions) {
    this.#options = options;
  }

  /**
   * Reads, verifies and instantiates the gates bundle (once; later calls reuse it) and says which bundle
   * decides. Throws `SEG_POLICY_LOAD_FAILED` when it is missing, does not verify, is not a gates bundle, or
   * does not export `seg/gates/decision`; a later call tries again.
   */
  async load(): Promise<GatesBundleInfo> {
    return (await this.#load()).info;
  }

  #load(): Promise<Loaded> {
    this.#loading ??= (async () => {
      const { bundleSource, trustedKeys, bundle: ref } = this.#options;
      const bundle = await readVerifiedBundle(bundleSource, ref, trustedKeys, { kind: 'gates' });
      const engine = await instantiateWasm(bundle, 0);
      if (!(await engine.hasEntrypoint(GATES_ENTRYPOINT))) {
        await engine.close();
        throw new SegError({
          error_code: 'SEG_POLICY_LOAD_FAILED',
          message: `gates bundle ${ref.id}@${ref.version}: policy.wasm does not export ${GATES_ENTRYPOINT}`,
          details: { bundle: `${ref.id}@${ref.version}` },
        });
      }
      return {
        info: { ref, digest: bundle.verified.digest, signer: bundle.verified.signer.keyid },
        engine,
      };
    })();
    this.#loading.catch(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  /**
   * The gates' decision on one action. Throws `SEG_SCHEMA_VIOLATION` when the input is not a
   * {@link GateInput} (`details.schema` `GateInput`) or the bundle returns no valid {@link GateDecision}
   * (`details.schema` `GateDecision`, with the bundle); `SEG_INTERNAL` when the policy aborts; the errors of
   * {@link load}. A caller treats any error as a refusal.
   */
  async decide(input: GateInput): Promise<GateDecision> {
    const parsed = parseGateInput(input);
    const { info, engine } = await this.#load();
    const bundle = `${info.ref.id}@${info.ref.version}`;
    let output: unknown;
    try {
      output = await engine.evaluate(GATES_ENTRYPOINT, encoder.encode(JSON.stringify(parsed)));
    } catch (error) {
      throw new SegError({
        error_code: 'SEG_INTERNAL',
        message: `gates bundle ${bundle}: evaluation of ${GATES_ENTRYPOINT} failed: ${(error as Error).message}`,
        details: { bundle, digest: info.digest },
        cause: error,
      });
    }
    if (output === undefined) {
      throw new SegError({
        error_code: 'SEG_SCHEMA_VIOLATION',
        message: `gates bundle ${bundle} returned no decision (${GATES_ENTRYPOINT} is undefined for this input)`,
        details: { schema: 'GateDecision', bundle, digest: info.digest, paths: [''] },
      });
    }
    try {
      return parseGateDecision(output);
    } catch (error) {
      if (!isSegError(error)) throw error;
      throw new SegError({
        error_code: error.error_code,
        message: `gates bundle ${bundle} returned an invalid decision: ${error.message}`,
        details: { ...error.details, bundle, digest: info.digest },
      });
    }
  }

  /** Releases the policy instance. The evaluator can be loaded again afterwards. */
  async close(): Promise<void> {
    const loading = this.#loading;
    this.#loading = null;
    if (!loading) return;
    const loaded = await loading.catch(() => null);
    await loaded?.engine.close();
  }
}
