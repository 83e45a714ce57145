// The NATS connection SEG's queue and bus share, and how NATS failures become §14 errors.
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';

/** Options of {@link connectNats}. */
export interface ConnectNatsOptions {
  /** Server URLs, `nats://host:port` (several for a cluster). */
  servers: string | readonly string[];
  /** Connection name the server shows (`seg-api`, `seg-worker`…). */
  name?: string | undefined;
  /** How long the first connection may take; 5,000 ms by default. */
  timeout_ms?: number | undefined;
}

/**
 * Connects to NATS. The connection reconnects for ever (every 250 ms, with jitter) when the server goes
 * away, so a server restart is a pause, not an error: calls made meanwhile fail with a retryable
 * `SEG_ADAPTER_UNAVAILABLE`, and later ones succeed. Errors: `SEG_ADAPTER_UNAVAILABLE` (retryable) when
 * no server answers within `timeout_ms`.
 */
export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  const servers = typeof options.servers === 'string' ? [options.servers] : [...options.servers];
  try {
    return await connect({
      servers,
      ...(options.name !== undefined ? { name: options.name } : {}),
      timeout: options.timeout_ms ?? 5_000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      waitOnFirstConnect: false,
    });
  } catch (cause) {
    throw new SegError({
      error_code: 'SEG_ADAPTER_UNAVAILABLE',
      message: `NATS at ${servers.join(', ')} cannot be reached: ${messageOf(cause)}`,
      details: { servers },
      retryable: true,
      cause,
    });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a NATS call; any failure that is not already a {@link SegError} becomes a retryable `SEG_ADAPTER_UNAVAILABLE`. */
export async function natsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    if (isSegError(cause)) throw cause;
    throw new SegError({
      error_code: 'SEG_ADAPTER_UNAVAILABLE',
      message: `NATS: ${what} failed: ${messageOf(cause)}`,
      details: { operation: what },
      retryable: true,
      cause,
    });
  }
}
