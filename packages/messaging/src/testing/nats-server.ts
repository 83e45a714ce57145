// A real nats-server with JetStream for tests: the binary tools/bootstrap installs (Debian's package), on a
// free loopback port, its store in a temporary folder. `restart()` stops it and starts it again on the same
// port and store, as an operator's restart would; `stop()` removes the store.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@neurocipher/seg-ports/testing';

/** The nats-server binary (override with SEG_NATS_SERVER). */
export const NATS_SERVER = process.env['SEG_NATS_SERVER'] ?? 'nats-server';

/** A running nats-server. */
export interface NatsServer {
  /** `nats://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and starts it on the same port and store. */
  restart(): Promise<void>;
  /** Stops the server and removes its store. */
  stop(): Promise<void>;
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts `nats-server -js` and waits until it accepts connections (fails loudly if it cannot start). */
export async function startNatsServer(): Promise<NatsServer> {
  const store = mkdtempSync(join(tmpdir(), 'seg-nats-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let log = '';

  const launch = async (): Promise<void> => {
    log = '';
    const started = spawn(NATS_SERVER, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', store], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    const spawnError = new Promise<Error>((resolve) => started.once('error', resolve));
    started.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const failed = await Promise.race([
        spawnError,
        new Promise<null>((r) => setTimeout(() => r(null), 100)),
      ]);
      if (failed !== null)
        throw new Error(`${NATS_SERVER} could not start (${failed.message}): run tools/bootstrap`);
      if (started.exitCode !== null) break;
      // JetStream is ready once the server logs it; the port alone answers a little earlier.
      if (/Server is ready/.test(log) && (await listening(port))) return;
    }
    throw new Error(`nats-server did not start on port ${port}:\n${log.slice(-2000)}`);
  };

  const halt = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    restart: async () => {
      await halt();
      await launch();
    },
    stop: async () => {
      await halt();
      rmSync(store, { recursive: true, force: true });
    },
  };
}
