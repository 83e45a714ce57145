import { createPrivateKey, createPublicKey } from 'node:crypto';
import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isSegError, SegError } from '@neurocipher/seg-contracts';
import type { TrustedKey } from '@neurocipher/seg-attest';
import { CHECKSUMS_FILE, MANIFEST_FILE, SIGNATURE_FILE, WASM_FILE } from '../bundle-layout.ts';
import { renderChecksums } from '../checksums.ts';
import { readBundleDirectory } from '../directory-bundle-source.ts';
import { bundleKind, parseManifest, type BundleManifest } from '../manifest.ts';
import { mergeBundleData, opaSourceTree, wasmEntrypoints } from '../opa-layout.ts';
import { signChecksums, trustedKeyFrom } from '../signature.ts';
import { verifyBundle, type VerifiedBundle } from '../verify-bundle.ts';
import { WasmEngine } from '../../evaluation/policy-engine.ts';
import {
  gateVectors,
  runGateVectors,
  type GateVectorFile,
  type GateVectorOutcome,
} from '../../validation/gate-vectors.ts';
import { bundleVectors, runVectors, type VectorFile, type VectorOutcome } from '../../validation/vectors.ts';
import { bundleStructureProblems } from './bundle-structure.ts';
import type { OpaCli } from './opa-cli.ts';
import { readTarGz } from './tar.ts';
import {
  gateVectorTestFile,
  parseGateOpaTestResults,
  parseOpaTestResults,
  renderGateVectorTests,
  renderVectorTests,
  vectorTestFile,
  type OpaTestOutcome,
} from './vector-tests.ts';

/** A step of the bundle pipeline, as named in progress events and problems. */
export type BundleBuildStep = 'opa' | 'fmt' | 'check' | 'compile' | 'vectors' | 'opa-test' | 'write' | 'sign';

/** A progress event: one line a front end may print as `<step>: <message>`. */
export interface BundleProgress {
  step: BundleBuildStep;
  message: string;
}

/** Something wrong with the bundle that a step found (an expected failure, returned, not thrown). */
export interface BundleProblem {
  step: BundleBuildStep;
  message: string;
  /** The control concerned, when one is. */
  control_id?: string;
  /** The vector's name, when a vector failed. */
  vector?: string;
}

/** A bundle directory's files and its parsed manifest. */
export interface BundleSourceFiles {
  /** The bundle directory, absolute. */
  dir: string;
  files: Map<string, Uint8Array>;
  manifest: BundleManifest;
}

/** The outcome of `opa fmt --fail -l policies/`. */
export interface FormatReport {
  ok: boolean;
  /** Policies whose formatting differs from `opa fmt`, relative to the bundle (`policies/x.rego`). */
  unformatted: string[];
  /** opa's own output when it failed. */
  output: string;
  /** How many policy files were checked. */
  policies: number;
}

/** The outcome of the structure check and `opa check --strict` under the restricted capabilities. */
export interface CheckReport {
  ok: boolean;
  controls: number;
  problems: BundleProblem[];
}

/** The outcome of the vectors on both engines: our wasm evaluator, then `opa test` (expect + parity). */
export interface VectorTestReport {
  ok: boolean;
  /** A control bundle's vectors through the wasm engine (control entrypoint and aggregator); empty for a gates bundle. */
  vectors: VectorOutcome[];
  /** A gates bundle's vectors through the wasm engine (`seg/gates/decision`); empty for a control bundle. */
  gateVectors: GateVectorOutcome[];
  /** Every generated `opa test` rule, traced back to its control and vector. */
  opaTests: OpaTestOutcome[];
  problems: BundleProblem[];
}

/** The compiled policy written to `build/policy.wasm`. */
export interface WrittenWasm {
  /** Absolute path of the written file. */
  path: string;
  bytes: number;
  entrypoints: number;
}

/** The outcome of {@link BundleBuilder.build}: every gate, and the wasm when all passed. */
export interface BundleBuildReport {
  ok: boolean;
  bundle: { id: string; version: string };
  problems: BundleProblem[];
  vectors: { passed: number; total: number };
  opaTests: { passed: number; total: number };
  /** Present when every gate passed and `build/policy.wasm` was written. */
  wasm?: WrittenWasm;
}

/** What {@link BundleBuilder.sign} wrote. */
export interface SignReport {
  /** sha256 hex of the signing key's raw public key (the SIGNATURE's `key_id`). */
  keyId: string;
  /** Files listed in CHECKSUMS. */
  files: number;
  wasm: WrittenWasm;
}

/** Options of {@link BundleBuilder}. */
export interface BundleBuilderOptions {
  /** The opa command line (its binary path is injected there). */
  opa: OpaCli;
  /** Called once per finished step with a printable line; never given key material. */
  onProgress?: (event: BundleProgress) => void;
}

/** Options of {@link BundleBuilder.sign}. */
export interface SignOptions {
  /** The Ed25519 private key, PKCS#8 PEM. Used in memory only; never logged or written. */
  privateKeyPem: string;
}

/** Options of {@link BundleBuilder.opaBundle}. */
export interface OpaBundleOptions {
  /** The `.tar.gz` to write. */
  out: string;
  /** The Ed25519 private key file (PKCS#8 PEM) opa signs with (`--signing-key`). */
  signingKeyFile: string;
}

const FORBIDDEN_NOTE = 'capabilities forbid time.now_ns, http.send, rand.*, net.*, uuid.*, opa.runtime';

interface TempDir {
  path: string;
  dispose(): Promise<void>;
}

async function tempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}

async function writeTree(root: string, files: ReadonlyMap<string, Uint8Array | string>): Promise<void> {
  for (const [path, bytes] of files) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), bytes);
  }
}

/** Whether an error is a defect of the bundle (a verdict) rather than of the environment or the call. */
function isBundleDefect(error: unknown): error is SegError {
  return (
    isSegError(error) &&
    (error.error_code === 'SEG_POLICY_LOAD_FAILED' || error.error_code === 'SEG_SCHEMA_VIOLATION')
  );
}

/** A failed `opa test` rule as a problem naming its control (if any) and vector. */
function opaTestProblem(t: OpaTestOutcome): BundleProblem {
  return {
    step: 'opa-test',
    ...(t.control_id === undefined ? {} : { control_id: t.control_id }),
    ...(t.vector === undefined ? {} : { vector: t.vector }),
    message: t.error
      ? `${t.test}: ${t.error}`
      : t.kind === 'parity'
        ? `${t.test}: topdown does not return what wasm returned`
        : `${t.test}: the expected result does not hold under topdown`,
  };
}

/**
 * Reads a bundle directory and parses its manifest. Throws `SEG_INVALID_ARGUMENT` when the directory has
 * no manifest.json (it is not a bundle), `SEG_POLICY_LOAD_FAILED` when the manifest is invalid.
 */
export async function loadBundleSource(dir: string): Promise<BundleSourceFiles> {
  const abs = resolve(dir);
  try {
    await access(join(abs, MANIFEST_FILE));
  } catch {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `${abs} is not a bundle directory (no ${MANIFEST_FILE})`,
      details: { dir: abs },
    });
  }
  const files = await readBundleDirectory(abs);
  return { dir: abs, files, manifest: parseManifest(files.get(MANIFEST_FILE)!) };
}

/**
 * The policy bundle pipeline (DESIGN.md §6, docs/bundles.md) with the real opa CLI: format check, layout
 * and strict type check under capabilities that forbid non-deterministic and network built-ins, the
 * vectors through our wasm evaluator and through `opa test` (which must agree), `opa build -t wasm`,
 * CHECKSUMS and the Ed25519 SIGNATURE. One implementation for `seg bundle` and `npm run bundle`.
 *
 * Bundle defects are returned as {@link BundleProblem}s; a missing opa binary or a directory that is not a
 * bundle throws `SEG_INVALID_ARGUMENT`. opa runs from a staged copy of the sources in a temp dir (the
 * policies, the generated aggregator and the merged data.json), so the bundle directory is only written
 * by {@link writeWasm}, {@link build} and {@link sign}.
 */
export class BundleBuilder {
  readonly #opa: OpaCli;
  readonly #onProgress: (event: BundleProgress) => void;

  constructor(options: BundleBuilderOptions) {
    this.#opa = options.opa;
    this.#onProgress = options.onProgress ?? (() => undefined);
  }

  #progress(step: BundleBuildStep, message: string): void {
    this.#onProgress({ step, message });
  }

  /** Writes the OPA source tree (plus `extra` files) of a bundle to a fresh temp dir. */
  async #stage(source: BundleSourceFiles, extra: ReadonlyMap<string, string> = new Map()): Promise<TempDir> {
    const dir = await tempDir('seg-bundle-stage-');
    try {
      await writeTree(dir.path, opaSourceTree(source.manifest, source.files));
      await writeTree(dir.path, extra);
    } catch (error) {
      await dir.dispose();
      throw error;
    }
    return dir;
  }

  async #capabilitiesFile(dir: string): Promise<string> {
    const path = join(dir, 'capabilities.json');
    await writeFile(path, JSON.stringify(await this.#opa.restrictedCapabilities()));
    return path;
  }

  /** `opa fmt --fail -l policies/`: which policies `opa fmt` would change. */
  async formatCheck(dir: string): Promise<FormatReport> {
    const abs = resolve(dir);
    const policies = join(abs, 'policies');
    const names = await readdir(policies, { recursive: true }).catch(() => [] as string[]);
    const count = names.filter((name) => name.endsWith('.rego')).length;
    const run = await this.#opa.run(['fmt', '--fail', '-l', policies]);
    const output = (run.stdout + run.stderr).trim();
    const unformatted = run.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.endsWith('.rego'))
      .map((line) => (line.startsWith(`${abs}/`) ? line.slice(abs.length + 1) : line));
    return { ok: run.status === 0, unformatted, output, policies: count };
  }

  /** `opa fmt -w policies/`: rewrites the policies in place. */
  async formatWrite(dir: string): Promise<void> {
    await this.#opa.must(['fmt', '-w', join(resolve(dir), 'policies')], 'SEG_SCHEMA_VIOLATION', 'opa fmt -w');
  }

  /**
   * The layout check ({@link bundleStructureProblems}), then `opa check --strict` with the restricted
   * capabilities file on the staged policies, aggregator and data, so a policy that calls a forbidden
   * built-in fails (`undefined function time.now_ns`).
   */
  async check(source: BundleSourceFiles): Promise<CheckReport> {
    const controls = source.manifest.controls.length;
    const structure = bundleStructureProblems(source.manifest, source.files);
    if (structure.length > 0) {
      return {
        ok: false,
        controls,
        problems: structure.map((message) => ({ step: 'check', message: `bundle structure: ${message}` })),
      };
    }
    const staged = await this.#stage(source);
    try {
      const caps = await this.#capabilitiesFile(staged.path);
      // Relative to the staged tree, so opa names `policies/x.rego`, not a temp path.
      const run = await this.#opa.run(['check', '--strict', '--capabilities', caps, '.'], staged.path);
      if (run.status !== 0) {
        return {
          ok: false,
          controls,
          problems: [
            {
              step: 'check',
              message: `opa check --strict (${FORBIDDEN_NOTE}) failed:\n${(run.stdout + run.stderr).trim()}`,
            },
          ],
        };
      }
    } finally {
      await staged.dispose();
    }
    return { ok: true, controls, problems: [] };
  }

  /**
   * `opa build -t wasm` with the restricted capabilities, the aggregator and every control entrypoint;
   * returns `policy.wasm`. opa runs from the staged tree so no temp path is embedded: the output is
   * byte-for-byte reproducible. Throws `SEG_POLICY_LOAD_FAILED` when opa refuses the sources.
   */
  async compile(source: BundleSourceFiles): Promise<Uint8Array> {
    const staged = await this.#stage(source);
    const out = await tempDir('seg-bundle-build-');
    try {
      const caps = await this.#capabilitiesFile(out.path);
      const args = ['build', '-t', 'wasm', '--capabilities', caps, '-o', join(out.path, 'bundle.tar.gz')];
      for (const ep of wasmEntrypoints(source.manifest)) args.push('-e', ep);
      await this.#opa.must([...args, '.'], 'SEG_POLICY_LOAD_FAILED', 'opa build -t wasm', staged.path);
      const wasm = readTarGz(await readFile(join(out.path, 'bundle.tar.gz'))).get('policy.wasm');
      if (!wasm) {
        throw new SegError({
          error_code: 'SEG_POLICY_LOAD_FAILED',
          message: 'opa build produced no policy.wasm',
        });
      }
      return wasm;
    } finally {
      await staged.dispose();
      await out.dispose();
    }
  }

  /** Compiles the bundle and writes `build/policy.wasm` into its directory (no check, no test). */
  async writeWasm(source: BundleSourceFiles): Promise<WrittenWasm> {
    return this.#write(source, await this.compile(source));
  }

  async #write(source: BundleSourceFiles, wasm: Uint8Array): Promise<WrittenWasm> {
    const path = join(source.dir, WASM_FILE);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, wasm);
    source.files.set(WASM_FILE, wasm);
    const written = { path, bytes: wasm.length, entrypoints: wasmEntrypoints(source.manifest).length };
    this.#progress('write', `${WASM_FILE} (${written.bytes} bytes, ${written.entrypoints} entrypoints)`);
    return written;
  }

  /**
   * Every vector through our wasm engine (compiled fresh from these sources unless `wasm` is given), then
   * `opa test` on generated rules: per vector, the expectation under topdown and equality with the value
   * wasm returned. A vector or test that fails is a problem naming its control and vector.
   */
  async test(source: BundleSourceFiles, wasm?: Uint8Array): Promise<VectorTestReport> {
    const engine = await WasmEngine.create({
      wasm: wasm ?? (await this.compile(source)),
      dataJson: JSON.stringify(mergeBundleData(source.files)),
      workers: 0,
    });
    const kind = bundleKind(source.manifest);
    try {
      switch (kind) {
        case 'gates':
          return await this.#testGates(source, engine);
        case 'controls':
          return await this.#testControls(source, engine);
      }
    } finally {
      await engine.close();
    }
  }

  async #testControls(source: BundleSourceFiles, engine: WasmEngine): Promise<VectorTestReport> {
    const vectors = bundleVectors(source.files);
    const outcomes = await runVectors(source.manifest, vectors, engine);
    const passed = outcomes.filter((o) => o.ok).length;
    this.#progress('vectors', `wasm engine: ${passed}/${outcomes.length} vectors pass`);
    const opaTests = await this.#opaTest(source, vectors, outcomes);
    const opaPassed = opaTests.filter((t) => t.ok).length;
    this.#progress('opa-test', `${opaPassed}/${opaTests.length} (expect + parity with wasm) pass`);
    const problems: BundleProblem[] = [
      ...outcomes
        .filter((o) => !o.ok)
        .map((o) => ({
          step: 'vectors' as const,
          control_id: o.control_id,
          vector: o.name,
          message: o.problem ?? 'mismatch',
        })),
      ...opaTests.filter((t) => !t.ok).map((t) => opaTestProblem(t)),
      ...(outcomes.length === 0 ? [{ step: 'vectors' as const, message: 'no vectors' }] : []),
    ];
    return { ok: problems.length === 0, vectors: outcomes, gateVectors: [], opaTests, problems };
  }

  async #testGates(source: BundleSourceFiles, engine: WasmEngine): Promise<VectorTestReport> {
    const vectors = gateVectors(source.files);
    const outcomes = await runGateVectors(vectors, engine);
    const passed = outcomes.filter((o) => o.ok).length;
    this.#progress('vectors', `wasm engine: ${passed}/${outcomes.length} gates vectors pass`);
    const opaTests = await this.#opaTestGates(source, vectors, outcomes);
    const opaPassed = opaTests.filter((t) => t.ok).length;
    this.#progress('opa-test', `${opaPassed}/${opaTests.length} (expect + parity with wasm) pass`);
    const problems: BundleProblem[] = [
      ...outcomes
        .filter((o) => !o.ok)
        .map((o) => ({
          step: 'vectors' as const,
          vector: o.name,
          message: `tests/${o.file}.json / ${o.name}: ${o.problem ?? 'mismatch'}`,
        })),
      ...opaTests.filter((t) => !t.ok).map((t) => opaTestProblem(t)),
      ...(outcomes.length === 0 ? [{ step: 'vectors' as const, message: 'no vectors' }] : []),
    ];
    return { ok: problems.length === 0, vectors: [], gateVectors: outcomes, opaTests, problems };
  }

  async #opaTestGates(
    source: BundleSourceFiles,
    vectors: ReadonlyMap<string, GateVectorFile>,
    outcomes: readonly GateVectorOutcome[],
  ): Promise<OpaTestOutcome[]> {
    const tests = new Map<string, string>();
    for (const file of vectors.values()) {
      tests.set(
        gateVectorTestFile(file.name),
        renderGateVectorTests(
          file,
          outcomes.filter((o) => o.file === file.name),
        ),
      );
    }
    return this.#runOpaTests(source, tests, (output) => parseGateOpaTestResults(output, vectors));
  }

  async #opaTest(
    source: BundleSourceFiles,
    vectors: ReadonlyMap<string, VectorFile>,
    outcomes: readonly VectorOutcome[],
  ): Promise<OpaTestOutcome[]> {
    const tests = new Map<string, string>();
    for (const file of vectors.values()) {
      tests.set(
        vectorTestFile(file.control_id),
        renderVectorTests(
          file,
          outcomes.filter((o) => o.control_id === file.control_id),
        ),
      );
    }
    return this.#runOpaTests(source, tests, (output) => parseOpaTestResults(output, vectors));
  }

  // `opa test` over the bundle staged with the generated test files, its JSON report parsed by `parse`.
  async #runOpaTests(
    source: BundleSourceFiles,
    tests: Map<string, string>,
    parse: (output: Awaited<ReturnType<OpaCli['run']>>) => OpaTestOutcome[],
  ): Promise<OpaTestOutcome[]> {
    const staged = await this.#stage(source, tests);
    try {
      return parse(await this.#opa.run(['test', '--format=json', '.'], staged.path));
    } finally {
      await staged.dispose();
    }
  }

  /**
   * The whole build of `seg bundle build`: opa's version, format check, layout and strict check, wasm
   * compile, the vectors on both engines, and — only when every gate passed — `build/policy.wasm` written
   * into the bundle. Stops after a failed check or compile (nothing further can run). Bundle defects are
   * returned in `problems`; a missing opa or a directory that is not a bundle throws `SEG_INVALID_ARGUMENT`.
   */
  async build(dir: string): Promise<BundleBuildReport> {
    this.#progress('opa', `${this.#opa.binary} (${await this.#opa.version()})`);
    const source = await loadBundleSource(dir);
    const report: BundleBuildReport = {
      ok: false,
      bundle: { id: source.manifest.id, version: source.manifest.version },
      problems: [],
      vectors: { passed: 0, total: 0 },
      opaTests: { passed: 0, total: 0 },
    };
    const gate = async <T>(step: BundleBuildStep, work: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await work();
      } catch (error) {
        if (!isBundleDefect(error)) throw error;
        report.problems.push({ step, message: error.message });
        return undefined;
      }
    };
    const fmt = await gate('fmt', () => this.formatCheck(source.dir));
    if (fmt && !fmt.ok) {
      report.problems.push({
        step: 'fmt',
        message:
          fmt.unformatted.length > 0
            ? `not formatted (opa fmt would change them): ${fmt.unformatted.join(', ')}`
            : `opa fmt --fail failed:\n${fmt.output}`,
      });
    } else if (fmt) {
      this.#progress('fmt', `${fmt.policies} policies formatted`);
    }
    const check = await gate('check', () => this.check(source));
    if (!check) return report;
    report.problems.push(...check.problems);
    if (!check.ok) return report;
    this.#progress(
      'check',
      bundleKind(source.manifest) === 'gates'
        ? 'the gates policy compiles under the restricted capabilities'
        : `${check.controls} controls compile under the restricted capabilities`,
    );
    const wasm = await gate('compile', () => this.compile(source));
    if (!wasm) return report;
    this.#progress('compile', `opa build -t wasm: ${wasm.length} bytes`);
    const tested = await gate('vectors', () => this.test(source, wasm));
    if (!tested) return report;
    report.problems.push(...tested.problems);
    const vectors = [...tested.vectors, ...tested.gateVectors];
    report.vectors = { passed: vectors.filter((o) => o.ok).length, total: vectors.length };
    report.opaTests = { passed: tested.opaTests.filter((t) => t.ok).length, total: tested.opaTests.length };
    if (report.problems.length > 0) return report;
    report.wasm = await this.#write(source, wasm);
    report.ok = true;
    return report;
  }

  /**
   * Compiles and writes `build/policy.wasm`, then writes CHECKSUMS (sha256 of every bundle file) and
   * SIGNATURE (Ed25519 over CHECKSUMS) with the given key. The key is checked before opa runs and is
   * never logged. Throws `SEG_INVALID_ARGUMENT` for a key that is not an Ed25519 PKCS#8 PEM private key.
   */
  async sign(dir: string, options: SignOptions): Promise<SignReport> {
    const keyId = signingKeyId(options.privateKeyPem);
    const source = await loadBundleSource(dir);
    const wasm = await this.writeWasm(source);
    const files = await readBundleDirectory(source.dir);
    const checksums = renderChecksums(files);
    const signature = signChecksums(new TextEncoder().encode(checksums), options.privateKeyPem);
    await writeFile(join(source.dir, CHECKSUMS_FILE), checksums);
    await writeFile(join(source.dir, SIGNATURE_FILE), signature);
    const count = checksums.split('\n').length - 1;
    this.#progress('sign', `${CHECKSUMS_FILE} (${count} files) and ${SIGNATURE_FILE} (key ${keyId})`);
    return { keyId, files: count, wasm };
  }

  /**
   * {@link verifyBundle} (SIGNATURE by a trusted key, CHECKSUMS, manifest), then requires the signed
   * `build/policy.wasm` to equal what the signed sources compile to, byte for byte. Throws
   * `SEG_POLICY_LOAD_FAILED` on any mismatch.
   */
  async verify(dir: string, trustedKeys: readonly TrustedKey[]): Promise<VerifiedBundle> {
    const verified = await verifyBundle(await readBundleDirectory(resolve(dir)), trustedKeys);
    const rebuilt = await this.compile({
      dir: resolve(dir),
      files: new Map(verified.files),
      manifest: verified.manifest,
    });
    if (Buffer.compare(Buffer.from(rebuilt), Buffer.from(verified.files.get(WASM_FILE)!)) !== 0) {
      throw new SegError({
        error_code: 'SEG_POLICY_LOAD_FAILED',
        message: `${WASM_FILE} is not what the signed sources compile to; rebuild and re-sign the bundle`,
        details: { path: WASM_FILE },
      });
    }
    return verified;
  }

  /**
   * The same staged sources as an OPA bundle signed in OPA's own format (`.signatures.json`, JWS EdDSA),
   * for `opa run --server --verification-key <pub.pem> --signing-alg EdDSA` (the remote engine).
   */
  async opaBundle(dir: string, options: OpaBundleOptions): Promise<void> {
    const source = await loadBundleSource(dir);
    const staged = await this.#stage(source);
    try {
      await this.#opa.must(
        [
          'build',
          '-b',
          '.',
          '--signing-key',
          resolve(options.signingKeyFile),
          '--signing-alg',
          'EdDSA',
          '-o',
          resolve(options.out),
        ],
        'SEG_POLICY_LOAD_FAILED',
        'opa build --signing-alg EdDSA',
        // From the staged tree, so the bundle's file names carry no temp path.
        staged.path,
      );
    } finally {
      await staged.dispose();
    }
  }
}

/**
 * The key id (sha256 hex of the raw public key) of an Ed25519 PKCS#8 PEM private key. Throws
 * `SEG_INVALID_ARGUMENT`, without any key material in the message, when it is not one.
 */
export function signingKeyId(privateKeyPem: string): string {
  let key;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: 'the bundle signing key is not a PEM private key',
    });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `the bundle signing key is ${key.asymmetricKeyType}, not ed25519`,
    });
  }
  const publicPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  return trustedKeyFrom(publicPem).keyid;
}
