import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { apiDeps, buildApi, oidcAuthenticator } from '@neurocipher/seg-api';
import { openMessaging } from '@neurocipher/seg-messaging';
import { EventBusId } from '@neurocipher/seg-ports';
import { TenantEngines, createEngine, parseSegConfig, replace } from '@neurocipher/seg-runtime';
import type { SegConfig } from '@neurocipher/seg-runtime';
import { RunWorker } from '@neurocipher/seg-worker';
import type { CliIo } from '../cli/io.ts';
import { configFor, usageError } from './shared.ts';
import type { GlobalOptions } from './shared.ts';

interface ServeOptions {
  host: string;
  port: string;
  snapshot?: string;
}

const DEV_ISSUER = 'https://seg.local/dev-issuer';
const DEV_AUDIENCE = 'seg-api';

// A signing key of this process only, its JWKS in the home, and a 12-hour admin token for the tenant.
async function devIdentity(
  config: SegConfig,
): Promise<{ oidc: NonNullable<SegConfig['oidc']>; token: string }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = join(config.home, 'keys', 'serve-dev-jwks.json');
  mkdirSync(join(config.home, 'keys'), { recursive: true });
  writeFileSync(
    jwks,
    JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'serve-dev', alg: 'ES256' }] }),
  );
  const token = await new SignJWT({ org_id: config.tenant, roles: ['seg.admin'] })
    .setProtectedHeader({ alg: 'ES256', kid: 'serve-dev' })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setSubject('seg-serve')
    .setIssuedAt()
    .setExpirationTime('12h')
    .sign(privateKey);
  return {
    oidc: {
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
      jwks_file: jwks,
      roles_claim: 'roles',
      tenant_claim: 'org_id',
    },
    token,
  };
}

/**
 * `seg serve`: the API with a worker in the same process, on the configured queue (in-process by default)
 * and lakehouse (embedded by default): one command for a laptop. Runs need a tenant inventory:
 * `tenants.<org>.inventory` in the config, or `--snapshot FILE` for the configured tenant. Without `oidc`
 * in the config it makes a development identity: a key of its own and an admin token for the tenant,
 * printed once. Stops on SIGINT or SIGTERM (the running job is finished first).
 */
export function serveCommand(
  io: CliIo,
  global: () => GlobalOptions,
  _setExit: (code: number) => void,
): Command {
  return new Command('serve')
    .description('Serve the API with an in-process worker (a laptop set-up: one command, no servers)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free one)', '8080')
    .option('--snapshot <file>', "the configured tenant's inventory, an NDJSON snapshot file")
    .addHelpText('after', '\nExample:\n  seg serve --snapshot tenant.ndjson\n')
    .action(async (options: ServeOptions) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        throw usageError(`--port must be a port number, got ${JSON.stringify(options.port)}`);
      let { config } = configFor(io, global());
      if (options.snapshot !== undefined) {
        const tenants = {
          ...config.tenants,
          [config.tenant]: {
            retention_days: config.tenants[config.tenant]?.retention_days ?? 400,
            inventory: { kind: 'snapshot' as const, path: resolve(io.cwd, options.snapshot) },
          },
        };
        config = parseSegConfig({ ...config, tenants }, { cwd: io.cwd });
      }
      const dev = config.oidc ? null : await devIdentity(config);
      const oidc = config.oidc ?? dev!.oidc;
      const messaging = await openMessaging(config.queue, {
        name: 'seg-serve',
        queue: { ack_wait_ms: config.jobs.ack_wait_ms, max_deliver: config.jobs.max_deliver },
      });
      const shared = [replace(EventBusId, messaging.events)];
      const engine = await createEngine(config, { replace: shared });
      const engines = new TenantEngines(config, { cwd: io.cwd, replace: shared });
      const app = await buildApi(
        await apiDeps({
          engine,
          engines,
          queue: messaging.queue,
          authenticate: oidcAuthenticator(oidc, io.cwd),
        }),
      );
      const worker = new RunWorker({
        queue: messaging.queue,
        engineFor: (org_id) => engines.for(org_id),
        heartbeat_ms: config.jobs.heartbeat_ms,
        log: (line) => {
          if (line.level !== 'info')
            io.stderr.write(
              `seg serve: ${line.msg}${line['error_code'] ? ` (${String(line['error_code'])})` : ''}\n`,
            );
        },
      });
      const address = await app.listen({ host: options.host, port });
      worker.start();
      io.stdout.write(`listening: ${address}\nqueue: ${messaging.kind}\ncatalog: ${config.catalog}\n`);
      if (dev)
        io.stdout.write(`token: ${dev.token}\n(an admin token of tenant ${config.tenant}, valid 12 h)\n`);
      await new Promise<void>((done) => {
        const stop = (): void => {
          void (async () => {
            await app.close();
            await worker.stop();
            await engines.close();
            await engine.close();
            await messaging.close();
            io.stdout.write('stopped\n');
            done();
          })();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
