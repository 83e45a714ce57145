// `seg` in its own Node process (apps/cli/bin/seg.js), as an operator runs it: a working folder, the
// environment given (the test's SEG_*, AWS_* and PG* only, never the caller's), its exit code and output.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '..', '..');

/** What one `seg` process did. */
export interface Seg {
  code: number;
  out: string;
  err: string;
}

/** This process's environment without any SEG_, AWS_ or PG setting, for a test to add its own. */
export function cleanEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[1] !== undefined && !/^(SEG_|AWS_|PG)/.test(e[0]),
    ),
  );
}

/** Runs `seg argv…` in `cwd` with exactly `env`; a non-zero exit is a result, not a throw. */
export function segProcess(cwd: string, env: Record<string, string>, argv: string[]): Promise<Seg> {
  return run(process.execPath, [join(repo, 'apps', 'cli', 'bin', 'seg.js'), ...argv], {
    cwd,
    env,
    maxBuffer: 256 * 1024 * 1024,
    timeout: 200_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, out: stdout, err: stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof e.code === 'number' ? e.code : -1,
      out: e.stdout ?? '',
      err: e.stderr ?? '',
    }),
  );
}
