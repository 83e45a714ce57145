// SEG as a service on loopback, as an operator runs it (docs/service.md): a real `nats-server -js`, one
// settings file, the seg-api process and N seg-worker processes started from their `bin/` scripts, the
// tenants' inventories as demo snapshot files, and an identity provider of the fixture's own (a JWKS file
// and a token minter). For e2e tests and benchmarks; never for production code.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import { startNatsServer } from '@neurocipher/seg-messaging/testing/nats-server';
import type { NatsServer } from '@neurocipher/seg-messaging/testing/nats-server';
import { freePort } from '@neurocipher/seg-ports/testing';
import type { SegConfigInput } from '@neurocipher/seg-runtime';
import { ServiceProcess } from './service-process.ts';
import { createTokenMinter } from './token-minter.ts';
import type { TokenMinter } from './token-minter.ts';

/** The `oidc.issuer` of the fixture's settings. */
export const FIXTURE_ISSUER = 'https://idp.seg-fixture.test/';
/** The `oidc.audience` of the fixture's settings. */
export const FIXTURE_AUDIENCE = 'seg-api';

/** Options of {@link startServiceFixture}. */
export interface ServiceFixtureOptions {
  /** Tenants by org id, each the number of demo assets of its snapshot (`generateDemoTenant`, seed = org id). */
  tenants: Readonly<Record<string, number>>;
  /** seg-worker processes started with the API; 2 by default (more with {@link ServiceFixture.startWorker}). */
  workers?: number | undefined;
  /** The `jobs` settings; by default a 3 s ack wait, 500 ms heartbeats and 5 deliveries (a dead worker's run moves on quickly). */
  jobs?: { ack_wait_ms: number; heartbeat_ms: number; max_deliver: number } | undefined;
  /** `api.rate_per_minute`; 1,000,000 by default (tests and benchmarks poll). */
  rate_per_minute?: number | undefined;
  /** Folder of the settings, snapshots, JWKS and the home; a new temporary folder by default. */
  work?: string | undefined;
  /** Keep `work` after {@link ServiceFixture.stop} (it is removed by default). */
  keep?: boolean | undefined;
  /** Folder of the policy bundles; the workspace's `bundles/` by default. */
  bundles_dir?: string | undefined;
  /** The bundle keys file; the workspace's `tools/bundle/trusted-keys.json` by default. */
  trusted_keys?: string | undefined;
  /**
   * Variables for every process, over this process's environment less its `SEG_*` settings (which would
   * override the fixture's settings file): `SEG_CLI_FROM: 'source'`, say, to run the sources even when
   * every build is fresh.
   */
  env?: Readonly<Record<string, string>> | undefined;
}

/** An HTTP answer of the API. */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** The JSON body, or the text when it is not JSON. */
  body: unknown;
}

/** A running service: stop it with {@link ServiceFixture.stop}. */
export interface ServiceFixture {
  /** The working folder (the processes' cwd): `seg.config.json`, `jwks.json`, `<org>.ndjson`, `home/`. */
  readonly work: string;
  /** The services' home (embedded lakehouse, blobs, keys, attestations). */
  readonly home: string;
  /** The settings file every process reads (`SEG_CONFIG`). */
  readonly config_path: string;
  /** `http://127.0.0.1:<port>` of the API. */
  readonly url: string;
  readonly nats: NatsServer;
  readonly api: ServiceProcess;
  /** Every worker started, in order (killed ones stay in the list). */
  readonly workers: ServiceProcess[];
  readonly tokens: TokenMinter;
  /** The tenants' org ids. */
  readonly tenants: readonly string[];
  /**
   * The settings the processes run with, or a variant of them (another `home`, relative to `work`, or
   * another `queue`, `memory` say): a single-process reference run reads the same tenants and bundle.
   * Relative paths are against `work`.
   */
  settings(variant?: { home?: string; queue?: string }): SegConfigInput;
  /** Calls the API as an operator of `org_id` (a token minted once per tenant and role). */
  call(
    org_id: string,
    method: 'GET' | 'POST',
    path: string,
    options?: { body?: unknown; roles?: readonly string[] },
  ): Promise<ApiAnswer>;
  /** Starts one more seg-worker and waits for its `worker ready` line. */
  startWorker(): Promise<ServiceProcess>;
  /** Stops every process still running (SIGTERM, then SIGKILL), the NATS server, and removes `work`. */
  stop(): Promise<void>;
}

const here = fileURLToPath(new URL('.', import.meta.url));
// src/ and dist/ are both one level under the package, which sits in packages/ of the workspace.
const workspace = join(here, '..', '..', '..');
const binOf = (app: string, bin: string): string =>
  fileURLToPath(new URL(`../bin/${bin}`, import.meta.resolve(`@neurocipher/${app}`)));

/**
 * Starts NATS, writes the settings (snapshot tenants, `oidc` with a JWKS file), then the API and the
 * workers, and resolves once the API has logged `api listening` and every worker `worker ready`. On a
 * failure to start, what was started is stopped and the error names the process and its stderr.
 */
export async function startServiceFixture(options: ServiceFixtureOptions): Promise<ServiceFixture> {
  const work = options.work ?? mkdtempSync(join(tmpdir(), 'seg-service-'));
  const tenants = Object.keys(options.tenants);
  const jobs = options.jobs ?? { ack_wait_ms: 3_000, heartbeat_ms: 500, max_deliver: 5 };
  const tokens = await createTokenMinter({ issuer: FIXTURE_ISSUER, audience: FIXTURE_AUDIENCE });
  const config_path = join(work, 'seg.config.json');
  const home = join(work, 'home');
  const processes: ServiceProcess[] = [];
  const workers: ServiceProcess[] = [];
  let nats: NatsServer | undefined;

  const stop = async (): Promise<void> => {
    await Promise.all(processes.map((p) => p.stop()));
    await nats?.stop();
    if (!options.keep) rmSync(work, { recursive: true, force: true });
  };

  try {
    for (const [org, assets] of Object.entries(options.tenants))
      await writeSnapshotFile(join(work, `${org}.ndjson`), generateDemoTenant({ assets, seed: org }));
    writeFileSync(join(work, 'jwks.json'), JSON.stringify(tokens.jwks));
    nats = await startNatsServer();
    const natsUrl = nats.url;
    const settings = (variant: { home?: string; queue?: string } = {}): SegConfigInput => ({
      home: join(work, variant.home ?? 'home'),
      bundles_dir: options.bundles_dir ?? join(workspace, 'bundles'),
      trusted_keys: options.trusted_keys ?? join(workspace, 'tools', 'bundle', 'trusted-keys.json'),
      queue: variant.queue ?? natsUrl,
      jobs,
      api: { rate_per_minute: options.rate_per_minute ?? 1_000_000 },
      oidc: { issuer: FIXTURE_ISSUER, audience: FIXTURE_AUDIENCE, jwks_file: 'jwks.json' },
      tenants: Object.fromEntries(
        tenants.map((org) => [org, { inventory: { kind: 'snapshot' as const, path: `${org}.ndjson` } }]),
      ),
    });
    writeFileSync(config_path, JSON.stringify(settings(), null, 2));

    const port = await freePort();
    const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('SEG_'));
    const env = { ...Object.fromEntries(inherited), ...options.env, SEG_CONFIG: config_path };
    const api = new ServiceProcess({
      name: 'api',
      script: binOf('seg-api', 'seg-api.js'),
      cwd: work,
      env: { ...env, SEG_API_HOST: '127.0.0.1', SEG_API_PORT: String(port) },
    });
    processes.push(api);
    const startWorker = async (): Promise<ServiceProcess> => {
      const worker = new ServiceProcess({
        name: `worker-${workers.length + 1}`,
        script: binOf('seg-worker', 'seg-worker.js'),
        cwd: work,
        env,
      });
      processes.push(worker);
      workers.push(worker);
      await worker.waitFor('worker ready');
      return worker;
    };
    await Promise.all([
      api.waitFor('api listening'),
      ...Array.from({ length: options.workers ?? 2 }, () => startWorker()),
    ]);

    const url = `http://127.0.0.1:${port}`;
    const minted = new Map<string, Promise<string>>();
    const call: ServiceFixture['call'] = async (org_id, method, path, callOptions = {}) => {
      const roles = callOptions.roles ?? ['seg.operator'];
      const key = `${org_id} ${roles.join(' ')}`;
      let token = minted.get(key);
      if (!token) {
        token = tokens.mint({ org_id, roles });
        minted.set(key, token);
      }
      const body = callOptions.body ?? (method === 'POST' ? {} : undefined);
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: the text stands.
      }
      return { status: response.status, headers: response.headers, body: parsed };
    };
    return {
      work,
      home,
      config_path,
      url,
      nats,
      api,
      workers,
      tokens,
      tenants,
      settings,
      call,
      startWorker,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
