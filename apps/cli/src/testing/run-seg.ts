// Runs `seg` in-process for tests, with its output captured.
import { runCli } from '../cli/run-cli.ts';

/** What one in-process `seg` run returned and printed. */
export interface SegRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `seg` with `argv` in the folder `cwd` and the environment `env` (nothing else is inherited). */
export async function runSeg(
  cwd: string,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<SegRun> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env,
    cwd,
  });
  return { code, out, err };
}
