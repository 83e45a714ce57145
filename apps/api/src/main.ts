// seg-api: the settings as `seg` reads them (`oidc` is required), the queue of `queue`, the lakehouse of
// the configured catalog, listening on SEG_API_HOST:SEG_API_PORT (127.0.0.1:8080 by default).
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import { openMessaging } from '@neurocipher/seg-messaging';
import { EventBusId } from '@neurocipher/seg-ports';
import { TenantEngines, createEngine, loadSegConfig, replace } from '@neurocipher/seg-runtime';
import { apiDeps } from './api-deps.ts';
import { buildApi } from './app.ts';
import { oidcAuthenticator } from './auth.ts';

const log = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`);
};

async function main(): Promise<void> {
  const cwd = process.cwd();
  const { config } = loadSegConfig({ cwd, env: process.env });
  if (!config.oidc)
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: 'the API needs oidc: {issuer, audience, jwks_uri | jwks_file} in its config',
    });
  const messaging = await openMessaging(config.queue, {
    name: 'seg-api',
    queue: { ack_wait_ms: config.jobs.ack_wait_ms, max_deliver: config.jobs.max_deliver },
  });
  const shared = [replace(EventBusId, messaging.events)];
  const engine = await createEngine(config, { replace: shared });
  const tenants = new TenantEngines(config, { cwd, replace: shared });
  const app = await buildApi(
    await apiDeps({
      engine,
      engines: tenants,
      queue: messaging.queue,
      authenticate: oidcAuthenticator(config.oidc, cwd),
    }),
  );
  const port = Number(process.env['SEG_API_PORT'] ?? 8080);
  const host = process.env['SEG_API_HOST'] ?? '127.0.0.1';
  await app.listen({ port, host });
  log({ level: 'info', msg: 'api listening', host, port, queue: messaging.kind });
  const stop = (signal: string): void => {
    log({ level: 'info', msg: 'stopping', signal });
    void (async () => {
      await app.close();
      await tenants.close();
      await engine.close();
      await messaging.close();
      log({ level: 'info', msg: 'stopped' });
    })();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  const code = isSegError(error) ? error.error_code : 'SEG_INTERNAL';
  const message = error instanceof Error ? error.message : 'the API could not start';
  log({ level: 'error', msg: 'api failed to start', error_code: code, message });
  process.exitCode = 2;
});
