import { Container } from 'inversify';
import { RunService, runControlsOf } from '@neurocipher/seg-core';
import type {
  AttestedRun,
  LoadedBundle,
  RunOutcome,
  RunProgressListener,
  RunRequest,
} from '@neurocipher/seg-core';
import { EventBusId, InventoryPortId, RedactorId } from '@neurocipher/seg-ports';
import type { EventBus, PortId } from '@neurocipher/seg-ports';
import type { SegConfig } from '../config/seg-config.ts';
import {
  AttesterId,
  LakehouseId,
  ResourcesId,
  RunServiceId,
  ScanEngineId,
  SegConfigId,
  resolve,
} from '../ids.ts';
import { attestationModule } from '../modules/attestation.module.ts';
import { evaluationModule } from '../modules/evaluation.module.ts';
import { inventoryModule } from '../modules/inventory.module.ts';
import type { ProviderChoice } from '../modules/inventory.module.ts';
import { lakehouseModule } from '../modules/lakehouse.module.ts';
import { messagingModule } from '../modules/messaging.module.ts';
import { redactionModule } from '../modules/redaction.module.ts';
import { remediationModule } from '../modules/remediation.module.ts';
import { Resources } from './resources.ts';

/** A replacement of one binding: a value, or a factory that may ask the engine for other parts. */
export type Replacement<T> =
  | { id: PortId<T>; value: T }
  | { id: PortId<T>; factory: (engine: Pick<Engine, 'get' | 'config'>) => T | Promise<T> };

/** `replace(InventoryPortId, myInventory)`: a typed {@link Replacement} with a value. */
export function replace<T>(id: PortId<T>, value: T): Replacement<T> {
  return { id, value };
}

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** The inventory scans read (default: none; the engine still reads, verifies and remediates). */
  provider?: ProviderChoice;
  /**
   * Bindings to replace after the modules are loaded: an embedder's own inventory adapter, event bus or
   * signer, say. A replaced id needs no module behind it.
   */
  replace?: ReadonlyArray<Replacement<unknown>>;
}

/** What one scan does beyond evaluating: commit the run to the lakehouse, and attest it. */
export interface RunChoice {
  /** Commit the run (default true). */
  commit?: boolean;
  /** Sign, publish and verify an attestation of it; needs `commit` (default true). */
  attest?: boolean;
}

/** Options of {@link Engine.scan}. */
export interface ScanOptions extends RunChoice {
  /** `input.now` of the policies (RFC 3339; default: now). */
  now?: string;
  /** Point in time of the configs read; the latest capture when null or absent. */
  at?: string | null;
  /** Hears the run's phases and progress. */
  progress?: RunProgressListener;
}

/** The whole engine, composed from one config: every capability's ports, the run service, the stores. */
export interface Engine {
  /** The validated config it was built from. */
  readonly config: SegConfig;
  /** The container (Inversify 8) holding every binding, for embedders that compose further. */
  readonly container: Container;
  /** The part bound to `id` (a port id or a runtime id), built on first use: `get(LakehouseId)`. */
  get<T>(id: PortId<T>): Promise<T>;
  /** The verified bundle scans evaluate (controls, frameworks, digest). */
  bundle(): Promise<LoadedBundle>;
  /** The run service over the bound ports, committing and attesting as `choice` says. */
  runService(choice?: RunChoice): Promise<RunService<AttestedRun>>;
  /** The request of a scan of the configured tenant with every control of the configured bundle. */
  scanRequest(options?: Pick<ScanOptions, 'now' | 'at'>): Promise<RunRequest>;
  /** One scan: inventory, evaluation, commit and attestation (as `options` says). */
  scan(options?: ScanOptions): Promise<RunOutcome<AttestedRun>>;
  /** Releases everything the engine opened (catalog connections, AWS clients, worker threads). */
  close(): Promise<void>;
}

/**
 * Builds the engine from a validated config ({@link loadSegConfig} or {@link parseSegConfig}): one
 * container module per capability (redaction, inventory, evaluation, lakehouse and evidence,
 * attestation, remediation, messaging), bound to the ports' ids. Nothing is opened until first asked for: an engine
 * that only reads findings never loads the evaluator, and an adapter package loads only when the config
 * or the provider names it.
 */
export async function createEngine(config: SegConfig, options: EngineOptions = {}): Promise<Engine> {
  const container = new Container();
  const resources = new Resources();
  container.bind(SegConfigId).toConstantValue(config);
  container.bind(ResourcesId).toConstantValue(resources);
  await container.loadAsync(
    redactionModule(),
    inventoryModule(options.provider ?? { kind: 'none' }),
    evaluationModule(),
    lakehouseModule(),
    attestationModule(),
    remediationModule(),
    messagingModule(),
  );
  const get = <T>(id: PortId<T>): Promise<T> => resolve(container, id);
  const engine: Engine = {
    config,
    container,
    get,
    bundle: async () => (await get(ScanEngineId)).bundle,
    async runService(choice = {}) {
      const commit = choice.commit ?? true;
      const attest = commit && (choice.attest ?? true);
      if (commit && attest) return get(RunServiceId);
      return runServiceOf(engine, { commit, attest });
    },
    async scanRequest(request = {}) {
      const { controls, policy_bundles } = runControlsOf([await engine.bundle()]);
      return {
        scope: { org_id: config.tenant, tags: {} },
        controls,
        policy_bundles,
        now: request.now ?? new Date().toISOString(),
        at: request.at ?? null,
      };
    },
    async scan(scan = {}) {
      const service = await engine.runService(scan);
      return service.run(await engine.scanRequest(scan), scan.progress);
    },
    close: () => resources.close(),
  };
  container
    .bind(RunServiceId)
    .toDynamicValue(() => runServiceOf(engine, { commit: true, attest: true }))
    .inSingletonScope();
  for (const r of options.replace ?? []) {
    const binding = container.isBound(r.id) ? await container.rebindAsync(r.id) : container.bind(r.id);
    if ('value' in r) binding.toConstantValue(r.value);
    else binding.toDynamicValue(() => r.factory(engine)).inSingletonScope();
  }
  return engine;
}

// The run service over the engine's ports: evaluation only, or committed, or committed and attested.
async function runServiceOf(engine: Engine, choice: { commit: boolean; attest: boolean }) {
  const { get } = engine;
  // The inputs first (a missing snapshot or bundle fails before any store is opened or created).
  const inventory = await get(InventoryPortId);
  const { evaluator } = await get(ScanEngineId);
  const lake = choice.commit ? await get(LakehouseId) : null;
  const attester = choice.attest ? await get(AttesterId) : null;
  const events: EventBus = await get(EventBusId);
  return new RunService<AttestedRun>({
    inventory,
    evaluator,
    redactor: await get(RedactorId),
    ...(lake
      ? { ingest: lake.store, evidence: lake.evidence, committedFiles: lake, committed: lake.store }
      : {}),
    ...(attester ? { attester: attester.step } : {}),
    events,
    releaseEngine: true,
  });
}
