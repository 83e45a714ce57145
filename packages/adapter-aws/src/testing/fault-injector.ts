import { createServer, type Server, type Socket } from 'node:net';
import type { AwsService, DecoratableClient } from '../provider/aws-session.ts';

/** A fault to inject into matching AWS calls. */
export interface Fault {
  /** SDK command name, such as `PutBucketPolicyCommand`. */
  command: string;
  /** Service to match (any when absent). */
  service?: AwsService | 'sts';
  /** What happens: a hang past the timeout, a connection refusal, a throttle, or a 500 answer. */
  kind: 'timeout' | 'unavailable' | 'throttle' | 'server-error';
  /** How many matching calls fail; default every one. */
  times?: number;
}

function faultError(kind: Fault['kind'], command: string): Error {
  const e = new Error(`injected ${kind} on ${command}`) as Error & {
    code?: string;
    $metadata?: { httpStatusCode: number };
  };
  switch (kind) {
    case 'timeout':
      e.name = 'TimeoutError';
      break;
    case 'unavailable':
      e.name = 'Error';
      e.code = 'ECONNREFUSED';
      break;
    case 'throttle':
      e.name = 'ThrottlingException';
      e.$metadata = { httpStatusCode: 400 };
      break;
    case 'server-error':
      e.name = 'InternalError';
      e.$metadata = { httpStatusCode: 500 };
      break;
    default: {
      const never: never = kind;
      throw new Error(`unknown fault ${String(never)}`);
    }
  }
  return e;
}

/**
 * Injects faults into chosen AWS SDK commands through client middleware: pass {@link FaultInjector.decorate}
 * as `AwsSessionOptions.decorateClient`, then {@link FaultInjector.arm} a fault. A `timeout` fault hangs
 * the call until the adapter's own timeout fires; the others fail it at once with the SDK's error shape.
 */
export class FaultInjector {
  #faults: (Fault & { left: number })[] = [];
  /** Commands that were hit by a fault, in order. */
  readonly hits: string[] = [];

  /** Adds a fault. */
  arm(fault: Fault): void {
    this.#faults.push({ ...fault, left: fault.times ?? Number.POSITIVE_INFINITY });
  }

  /** Removes every fault. */
  clear(): void {
    this.#faults = [];
  }

  /** The `decorateClient` hook: installs the fault middleware on a client. */
  readonly decorate = (client: DecoratableClient, service: AwsService | 'sts'): void => {
    const add = client.middlewareStack.add as unknown as (
      mw: (
        next: (args: unknown) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ) => void;
    add(
      (next, context) => async (args) => {
        const command = context.commandName ?? '';
        const fault = this.#faults.find(
          (f) => f.command === command && (!f.service || f.service === service) && f.left > 0,
        );
        if (fault) {
          fault.left--;
          this.hits.push(command);
          if (fault.kind === 'timeout') {
            // Hang (the adapter's timeout fires first), then fail like a dropped socket.
            await new Promise((r) => setTimeout(r, 2_000));
          }
          throw faultError(fault.kind, command);
        }
        return next(args);
      },
      { step: 'initialize', name: 'segFaultInjector' },
    );
  };
}

/** A TCP server on 127.0.0.1 that accepts connections and never answers: every call to it times out. */
export interface BlackholeServer {
  endpoint: string;
  close(): Promise<void>;
}

/** Starts a {@link BlackholeServer}. */
export async function startBlackholeServer(): Promise<BlackholeServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** An endpoint on 127.0.0.1 where nothing listens: every call is refused. */
export async function refusedEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}
