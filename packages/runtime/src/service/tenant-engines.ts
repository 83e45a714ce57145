// The engines of a service: one per tenant of `tenants.<org>.inventory`, made on first use and shared by
// every request and job of that tenant; and the readiness of the parts a service stands on.
import type { BlobStore, JobQueue } from '@neurocipher/seg-ports';
import type { SegConfig } from '../config/seg-config.ts';
import { createEngine } from '../engine/create-engine.ts';
import type { Engine, Replacement } from '../engine/create-engine.ts';
import { tenantEngineConfig } from '../jobs/run-job.ts';
import type { Lakehouse } from '../modules/lakehouse.module.ts';

/** Options of {@link TenantEngines}. */
export interface TenantEnginesOptions {
  /** Where relative inventory paths of the config are resolved from (default: the process's cwd). */
  cwd?: string;
  /** Bindings every tenant's engine gets (the service's event bus, say). */
  replace?: ReadonlyArray<Replacement<unknown>>;
}

/**
 * One engine per tenant, each with the provider its `tenants.<org>.inventory` names, made on first use
 * (an engine that failed to start is forgotten, so the next call tries again). `SEG_NOT_FOUND` for a
 * tenant the config does not list.
 */
export class TenantEngines {
  readonly #config: SegConfig;
  readonly #options: TenantEnginesOptions;
  readonly #engines = new Map<string, Promise<Engine>>();

  constructor(config: SegConfig, options: TenantEnginesOptions = {}) {
    this.#config = config;
    this.#options = options;
  }

  /** The engine of tenant `org_id`. */
  for(org_id: string): Promise<Engine> {
    let engine = this.#engines.get(org_id);
    if (!engine) {
      const tenant = tenantEngineConfig(this.#config, org_id, this.#options.cwd ?? process.cwd());
      engine = createEngine(tenant.config, {
        provider: tenant.provider,
        replace: this.#options.replace ?? [],
      });
      this.#engines.set(org_id, engine);
      engine.catch(() => this.#engines.delete(org_id));
    }
    return engine;
  }

  /** Closes every engine made (one that never started is skipped). */
  async close(): Promise<void> {
    const engines = [...this.#engines.values()];
    this.#engines.clear();
    for (const engine of engines) await (await engine.catch(() => null))?.close();
  }
}

/** What a service answers on readiness: each part, up or not. */
export type Readiness = () => Promise<Record<string, boolean>>;

/** The readiness of a service: the catalog (a read of the runs table), the blob store and the queue answer. */
export function serviceReadiness(parts: {
  lake: Pick<Lakehouse, 'store'>;
  blobs: Pick<BlobStore, 'list'>;
  queue: Pick<JobQueue, 'dead_letters'>;
}): Readiness {
  const up = (probe: () => Promise<unknown>): Promise<boolean> =>
    probe().then(
      () => true,
      () => false,
    );
  return async () => ({
    catalog: await up(() => parts.lake.store.runs('readiness-probe')),
    blobs: await up(() => parts.blobs.list('', { limit: 1 })),
    queue: await up(() => parts.queue.dead_letters()),
  });
}
