import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SegError, type SegErrorCode } from '@neurocipher/seg-contracts';

/** Path of the pinned opa binary (SEG_OPA from tools/env.sh), else `opa` on PATH. */
export function opaBinary(): string {
  return process.env.SEG_OPA ?? 'opa';
}

/** Result of one opa invocation. */
export interface OpaRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs opa with `args`; throws `SEG_INTERNAL` when opa cannot be started at all. */
export function runOpa(args: readonly string[], cwd?: string): OpaRun {
  const result = spawnSync(opaBinary(), args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) {
    throw new SegError({
      error_code: 'SEG_INTERNAL',
      message: `cannot run ${opaBinary()} (${result.error.message}); run: bash tools/bootstrap`,
    });
  }
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs opa and throws a SegError with `code` and opa's output when it exits non-zero. */
export function mustOpa(args: readonly string[], code: SegErrorCode, what: string, cwd?: string): OpaRun {
  const run = runOpa(args, cwd);
  if (run.status !== 0) {
    throw new SegError({ error_code: code, message: `${what} failed:\n${(run.stdout + run.stderr).trim()}` });
  }
  return run;
}

/** Built-ins a bundle policy may never call: clock, network, randomness, runtime introspection. */
export const FORBIDDEN_BUILTINS: readonly RegExp[] = [
  /^time\.now_ns$/,
  /^http\.send$/,
  /^rand\./,
  /^net\./,
  /^uuid\./,
  /^opa\.runtime$/,
];

/** Whether a built-in name is forbidden in bundles. */
export function isForbiddenBuiltin(name: string): boolean {
  return FORBIDDEN_BUILTINS.some((re) => re.test(name));
}

/**
 * The capabilities document for `opa check`/`opa build`: `opa capabilities --current` minus every
 * forbidden built-in, so a policy that calls one fails to compile.
 */
export function restrictedCapabilities(): { builtins: Array<{ name: string }> } & Record<string, unknown> {
  const run = mustOpa(['capabilities', '--current'], 'SEG_INTERNAL', 'opa capabilities --current');
  const caps = JSON.parse(run.stdout) as { builtins: Array<{ name: string }> } & Record<string, unknown>;
  return { ...caps, builtins: caps.builtins.filter((b) => !isForbiddenBuiltin(b.name)) };
}

/** A temporary directory removed by `dispose()`. */
export interface TempDir {
  path: string;
  dispose(): void;
}

/** Creates a temporary directory. */
export function tempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes path → bytes under `root`. */
export function writeTree(root: string, files: ReadonlyMap<string, Uint8Array | string>): void {
  for (const [path, bytes] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), bytes);
  }
}
