import { spawn } from 'node:child_process';
import { SegError, type SegErrorCode } from '@neurocipher/seg-contracts';
import { restrictCapabilities, type OpaCapabilities } from './capabilities.ts';

/** Options of {@link OpaCli}. */
export interface OpaCliOptions {
  /**
   * The opa executable: a path, or a bare name looked up on `PATH`. Injected by the caller (the `seg` CLI
   * and the repository tooling pass `$SEG_OPA`, else `opa`); never guessed from a machine path.
   */
  binary: string;
  /** Appended to the error when the binary cannot be started, e.g. how to install it. */
  missingHint?: string;
}

/** The outcome of one opa invocation. */
export interface OpaRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * The opa command line as a child process (DESIGN.md §2, §6: `opa fmt`, `opa check --strict`, `opa test`,
 * `opa build -t wasm`). Calls are asynchronous and independent; nothing is cached but the restricted
 * capabilities document.
 */
export class OpaCli {
  readonly #binary: string;
  readonly #missingHint: string | undefined;
  #capabilities: Promise<OpaCapabilities> | null = null;

  constructor(options: OpaCliOptions) {
    if (options.binary.trim() === '') {
      throw new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message: 'the opa binary path is empty' });
    }
    this.#binary = options.binary;
    this.#missingHint = options.missingHint;
  }

  /** The executable this instance runs. */
  get binary(): string {
    return this.#binary;
  }

  /**
   * Runs opa with `args` (in `cwd` when given) and resolves with its exit status and output, whatever the
   * status. Throws `SEG_INVALID_ARGUMENT` (with `details.binary`) when the executable cannot be started.
   */
  run(args: readonly string[], cwd?: string): Promise<OpaRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.#binary, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (cause: NodeJS.ErrnoException) => {
        reject(
          new SegError({
            error_code: 'SEG_INVALID_ARGUMENT',
            message:
              `cannot run the opa CLI ${JSON.stringify(this.#binary)} (${cause.code ?? cause.message})` +
              (this.#missingHint ? `: ${this.#missingHint}` : ''),
            details: { binary: this.#binary, opa_unavailable: true },
            cause,
          }),
        );
      });
      child.on('close', (code, signal) => {
        resolve({
          status: code ?? (signal ? 128 : 1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      });
    });
  }

  /** Runs opa and throws a SegError with `code` and opa's output when it exits non-zero. */
  async must(args: readonly string[], code: SegErrorCode, what: string, cwd?: string): Promise<OpaRun> {
    const run = await this.run(args, cwd);
    if (run.status !== 0) {
      throw new SegError({
        error_code: code,
        message: `${what} failed:\n${(run.stdout + run.stderr).trim()}`,
        details: { args: [...args], status: run.status },
      });
    }
    return run;
  }

  /** The first line of `opa version`, e.g. `Version: 1.22.3`. */
  async version(): Promise<string> {
    const run = await this.must(['version'], 'SEG_INVALID_ARGUMENT', 'opa version');
    return run.stdout.split('\n')[0]?.trim() ?? '';
  }

  /**
   * `opa capabilities --current` minus every forbidden built-in ({@link restrictCapabilities}): the
   * capabilities file of `opa check` and `opa build`. Computed once per instance.
   */
  restrictedCapabilities(): Promise<OpaCapabilities> {
    this.#capabilities ??= this.must(
      ['capabilities', '--current'],
      'SEG_INTERNAL',
      'opa capabilities --current',
    ).then((run) => restrictCapabilities(JSON.parse(run.stdout) as OpaCapabilities));
    // A failed attempt is not remembered: the next call asks opa again.
    this.#capabilities.catch(() => {
      this.#capabilities = null;
    });
    return this.#capabilities;
  }
}
