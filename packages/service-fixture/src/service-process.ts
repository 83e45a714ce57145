// One SEG process (seg-api, seg-worker) started by a test or a benchmark: its JSON log lines on stdout
// parsed as they come, the tail of its stderr kept for the error message when it dies, its peak resident
// set read from /proc.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';

/** One line of a SEG process's log (JSON on stdout); a line that is not JSON is kept as `{msg: '', text}`. */
export type ServiceLogLine = { msg: string; level?: string; time?: string } & Record<string, unknown>;

/** How a process ended: its exit code, or the signal that ended it. */
export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options of {@link ServiceProcess}. */
export interface ServiceProcessOptions {
  /** A name for messages (`api`, `worker-1`…). */
  name: string;
  /** The Node script to run (a `bin/*.js` of an app) under this process's Node. */
  script: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const STDERR_TAIL = 4_000;

/** Whether `line` has message `msg` and every field of `fields`. */
function matches(line: ServiceLogLine, msg: string, fields: Record<string, unknown>): boolean {
  return line.msg === msg && Object.entries(fields).every(([k, v]) => line[k] === v);
}

/**
 * A running SEG process. Starting it never waits: {@link ServiceProcess.waitFor} a log line to know it is
 * up. Every method is safe after the process has ended.
 */
export class ServiceProcess {
  readonly name: string;
  /** The process id (the Node process itself: no shell in between). */
  readonly pid: number;
  /** Every log line so far, in order. */
  readonly lines: ServiceLogLine[] = [];
  /** Resolves once the process has ended (never rejects). */
  readonly exited: Promise<ServiceExit>;
  readonly #child: ChildProcessByStdio<null, Readable, Readable>;
  #stderr = '';
  #exit: ServiceExit | null = null;
  #peakKb = 0;
  readonly #waiters = new Set<() => void>();

  constructor(options: ServiceProcessOptions) {
    this.name = options.name;
    this.#child = spawn(process.execPath, [options.script], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (this.#child.pid === undefined) throw new Error(`${this.name}: could not start ${options.script}`);
    this.pid = this.#child.pid;
    let buffered = '';
    this.#child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const text of parts) if (text.trim() !== '') this.lines.push(parseLine(text));
      this.#wake();
    });
    this.#child.stderr.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-STDERR_TAIL);
    });
    this.exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        this.#wake();
        resolve(this.#exit);
      });
    });
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.#exit === null;
  }

  /** How it ended, or null while it runs. */
  get exit(): ServiceExit | null {
    return this.#exit;
  }

  /** The last few thousand characters it wrote to stderr. */
  get stderr(): string {
    return this.#stderr;
  }

  /** The log lines with message `msg` (and every field of `fields`, compared with `===`). */
  said(msg: string, fields: Record<string, unknown> = {}): ServiceLogLine[] {
    return this.lines.filter((line) => matches(line, msg, fields));
  }

  /**
   * The first log line with message `msg` (and `fields`), waiting up to `timeout_ms` for it. Rejects when
   * the process ends first or the time runs out, with the tail of its stderr.
   */
  async waitFor(
    msg: string,
    fields: Record<string, unknown> = {},
    timeout_ms = 120_000,
  ): Promise<ServiceLogLine> {
    const deadline = Date.now() + timeout_ms;
    for (;;) {
      const found = this.lines.find((line) => matches(line, msg, fields));
      if (found) return found;
      if (this.#exit)
        throw this.#failure(`ended (${describeExit(this.#exit)}) before logging ${JSON.stringify(msg)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw this.#failure(`did not log ${JSON.stringify(msg)} within ${timeout_ms} ms`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }

  /** Sends `signal` (SIGKILL: `kill -9`) unless the process has ended. */
  kill(signal: NodeJS.Signals): void {
    if (this.#exit === null) this.#child.kill(signal);
  }

  /** SIGTERM, then SIGKILL after `grace_ms`; resolves once it has ended. */
  async stop(grace_ms = 10_000): Promise<ServiceExit> {
    if (this.#exit) return this.#exit;
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), grace_ms);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /**
   * The peak resident set (`VmHWM` of /proc/<pid>/status) in MiB, the largest seen by any call so far:
   * call it before the process ends. Null where /proc is not there.
   */
  peakRssMb(): number | null {
    if (this.#exit === null) {
      try {
        const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
        const kb = Number(/^VmHWM:\s+(\d+)\s+kB$/m.exec(status)?.[1] ?? Number.NaN);
        if (Number.isFinite(kb)) this.#peakKb = Math.max(this.#peakKb, kb);
      } catch {
        // Ended meanwhile, or no /proc: the last value read stands.
      }
    }
    return this.#peakKb === 0 ? null : Math.round((this.#peakKb / 1024) * 10) / 10;
  }

  #wake(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  #failure(what: string): Error {
    const tail = this.#stderr.trim() === '' ? '' : `\nstderr:\n${this.#stderr.trim()}`;
    const last = this.lines.slice(-5).map((l) => JSON.stringify(l));
    return new Error(
      `${this.name} ${what}${last.length > 0 ? `\nlast log lines:\n${last.join('\n')}` : ''}${tail}`,
    );
  }
}

function parseLine(text: string): ServiceLogLine {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && typeof (value as { msg?: unknown }).msg === 'string')
      return value as ServiceLogLine;
  } catch {
    // Not JSON: kept as text below.
  }
  return { msg: '', text };
}

function describeExit(exit: ServiceExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}
