import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Static credentials of the moto test principal. moto ignores them except to pick the account. */
export interface MotoCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Options of {@link startMotoServer}. */
export interface MotoServerOptions {
  /** Path of the `moto_server` executable; default `$SEG_VENV/bin/moto_server`, then the repository's `.tools/venv`. */
  executable?: string;
  /** Region the client config uses; default `us-east-1`. */
  region?: string;
  /** Load the AWS-managed IAM policies (slower reset, ~0.5 s); default false. */
  loadManagedPolicies?: boolean;
  /** How long to wait for the server to answer; default 60 s. */
  startTimeoutMs?: number;
  /** Extra environment variables for the server process. */
  env?: Record<string, string>;
  /**
   * Sign KMS `DIGEST` messages as AWS does (moto 5.2 ignores `MessageType`): runs moto through
   * `moto_server_kms_digest.py` with the venv's Python. Needed to sign anything over 4 KiB with KMS.
   */
  kmsDigest?: boolean;
}

/** A running `moto_server` bound to 127.0.0.1 on a free port (notes/moto.md §4). */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`: one endpoint serves every AWS service. */
  readonly endpoint: string;
  /** The region the client config uses. */
  readonly region: string;
  /** The static test credentials (moto's default account). */
  readonly credentials: MotoCredentials;
  /** moto's default account id, `123456789012`. */
  readonly accountId: string;
  /** The server's process id. */
  readonly pid: number;
  /** Wipes every backend and account (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  /** Stops the server and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

/** Client settings for one AWS SDK v3 client pointed at moto. */
export interface MotoClientConfig {
  endpoint: string;
  region: string;
  credentials: MotoCredentials;
  maxAttempts: number;
  forcePathStyle: boolean;
}

/** {@link MotoClientConfig} plus the endpoint provider override S3 Control needs (notes/moto.md §4.2). */
export interface MotoS3ControlClientConfig extends MotoClientConfig {
  endpointProvider: () => { url: URL };
}

/** moto's default account (notes/moto.md §4.1). */
export const MOTO_DEFAULT_ACCOUNT_ID = '123456789012';

// A fresh object per use: the SDK annotates the credentials object it is given.
function testCredentials(): MotoCredentials {
  return { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' };
}

/**
 * Where `moto_server` lives: the explicit path (which must exist), else `$SEG_VENV`, else the repository's
 * bootstrap venv. Throws with the places it looked when none exists.
 */
export function resolveMotoExecutable(explicit?: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = explicit
    ? [explicit]
    : [
        process.env['SEG_VENV'] ? join(process.env['SEG_VENV'], 'bin', 'moto_server') : undefined,
        resolve(here, '../../../../.tools/venv/bin/moto_server'),
      ].filter((c): c is string => typeof c === 'string' && c.length > 0);
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(
    `moto_server not found (looked in: ${candidates.join(', ')}). ` +
      'Run tools/bootstrap to create the Python venv with moto[server], or set SEG_VENV.',
  );
}

/** A free TCP port on 127.0.0.1, chosen by the OS. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => (port > 0 ? resolvePort(port) : reject(new Error('no free port'))));
    });
  });
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last line of defence: never leave a moto_server behind when the test process exits.
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

async function postReset(endpoint: string, signal?: AbortSignal): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST', ...(signal ? { signal } : {}) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts `moto_server` from the bootstrap venv on a free 127.0.0.1 port and resolves once it answers.
 * Throws (never skips) when the executable is missing, the process exits early or it does not answer
 * within `startTimeoutMs`. Use one server per test file: `beforeAll` start, `beforeEach` reset, `afterAll` stop.
 */
export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
  const executable = resolveMotoExecutable(options.executable);
  const region = options.region ?? 'us-east-1';
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let lastError = '';
  // The port is picked then released, so another process could take it first: retry a few times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freeLoopbackPort();
    const endpoint = `http://127.0.0.1:${port}`;
    const serverArgs = ['-H', '127.0.0.1', '-p', String(port)];
    const [command, args] = options.kmsDigest
      ? [
          join(dirname(executable), 'python'),
          [join(import.meta.dirname, 'moto_server_kms_digest.py'), ...serverArgs],
        ]
      : [executable, serverArgs];
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        ...(options.loadManagedPolicies ? { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' } : {}),
        ...options.env,
      },
    });
    running.add(child);
    installExitHook();
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    let exited = false;
    const exitPromise = new Promise<void>((done) => {
      child.once('exit', () => {
        exited = true;
        running.delete(child);
        done();
      });
      child.once('error', (err) => {
        stderr += `\n${String(err)}`;
        exited = true;
        running.delete(child);
        done();
      });
    });
    const deadline = Date.now() + timeoutMs;
    let ready = false;
    while (!exited && Date.now() < deadline) {
      if (await postReset(endpoint, AbortSignal.timeout(2_000))) {
        ready = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (ready) {
      let stopped = false;
      return {
        endpoint,
        region,
        get credentials() {
          return testCredentials();
        },
        accountId: MOTO_DEFAULT_ACCOUNT_ID,
        pid: child.pid ?? -1,
        async reset() {
          const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
          await res.arrayBuffer();
          if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
        },
        async stop() {
          if (stopped) return;
          stopped = true;
          if (!exited) {
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
            await exitPromise;
            clearTimeout(timer);
          }
        },
      };
    }
    if (!exited) {
      child.kill('SIGKILL');
      await exitPromise;
    }
    lastError =
      exited && Date.now() < deadline
        ? `moto_server exited early: ${stderr}`
        : `no answer in ${timeoutMs} ms: ${stderr}`;
    if (!/address already in use/i.test(stderr)) break;
  }
  throw new Error(`could not start moto_server (${executable}): ${lastError}`);
}

/**
 * SDK v3 client config for moto: endpoint, region, static test credentials, path-style S3 addressing and
 * no SDK retries (moto answers 500 for unimplemented operations; retrying only adds noise).
 */
export function motoClientConfig(
  server: Pick<MotoServer, 'endpoint' | 'region' | 'credentials'>,
  overrides: { region?: string; credentials?: MotoCredentials } = {},
): MotoClientConfig {
  return {
    endpoint: server.endpoint,
    region: overrides.region ?? server.region,
    credentials: { ...(overrides.credentials ?? server.credentials) },
    maxAttempts: 1,
    forcePathStyle: true,
  };
}

/**
 * Config for `S3ControlClient` against moto: the endpoint ruleset would prefix the host with the account id
 * (`123456789012.127.0.0.1`, an invalid URL), so the endpoint provider is overridden (notes/moto.md §4.2).
 */
export function motoS3ControlClientConfig(
  server: Pick<MotoServer, 'endpoint' | 'region' | 'credentials'>,
  overrides: { region?: string; credentials?: MotoCredentials } = {},
): MotoS3ControlClientConfig {
  const base = motoClientConfig(server, overrides);
  return { ...base, endpointProvider: () => ({ url: new URL(server.endpoint) }) };
}
