import type { Asset, AssetRef, EvidencePointer, Finding, Scope } from '@neurocipher/seg-contracts';
import type { InventoryPort, RemediationPort } from '@neurocipher/seg-ports';

/**
 * What an adapter may declare beyond inventory, which every adapter has:
 * - `history`: `get_config(ref, at)` answers from captures at a point in time;
 * - `mutation`: the subject can change an asset's config at the provider (drift), so the kit can check
 *   that listings stay stable and configs change while the provider changes;
 * - `remediation`: a `RemediationPort` that plans, applies and rolls back;
 * - `evidence`: the raw provider responses behind a config are stored as sha256-addressed blobs;
 * - `faults`: the adapter can be pointed at a provider that hangs or cannot be reached.
 */
export type OptionalCapability = 'history' | 'mutation' | 'remediation' | 'evidence' | 'faults';

/** A capability the kit checks: `inventory` (always) or an {@link OptionalCapability}. */
export type Capability = 'inventory' | OptionalCapability;

/** Every capability, in the order the kit reports them. */
export const CAPABILITIES: readonly Capability[] = [
  'inventory',
  'history',
  'mutation',
  'remediation',
  'evidence',
  'faults',
];

/** A provider failure the `faults` capability injects. */
export type ProviderFault = 'timeout' | 'unavailable';

/**
 * A scope narrower than the subject's own, with the rule that says which assets it selects. The kit lists
 * it and expects exactly the assets of the full listing that `includes` accepts.
 */
export interface NarrowedScope {
  /** The narrower scope, e.g. the subject's scope with `region` set. */
  scope: Scope;
  /** Whether an asset of the full listing lies in {@link NarrowedScope.scope}. */
  includes(asset: Asset): boolean;
}

/** What every subject provides: the inventory under test, and the listing the checks work on. */
export interface InventorySubject {
  /** The adapter under test. */
  inventory: InventoryPort;
  /** The scope of the full listing. */
  scope: Scope;
  /**
   * Kinds the checks list (every kind when empty). The listing must hold at least five assets of at least
   * two kinds; more than 1,000 assets also exercises the default page size.
   */
  kinds: readonly string[];
  /** At least one scope that selects some, but not all, of the full listing. */
  narrowedScopes: readonly NarrowedScope[];
  /** A well-formed reference to an asset that does not exist; default: a listed URN with a suffix. */
  unknownRef?: AssetRef;
  /** Releases clients and temporary files (not the provider or simulator). */
  close(): Promise<void>;
}

/** The hook of the `mutation` capability. */
export interface MutationHooks {
  /** Changes the config of `asset` at the provider, so its next `get_config` differs. */
  mutate(asset: Asset): Promise<void>;
}

/** The hooks of the `remediation` capability. */
export interface RemediationHooks {
  /** The adapter's remediation port, wired to the same provider as the inventory. */
  remediation: RemediationPort;
  /** A failing finding whose fix the adapter can plan, apply and roll back. */
  remediableFinding(): Promise<Finding>;
}

/** Evidence access an adapter exposes, so the kit can check that stored blobs hash to their pointers. */
export interface EvidenceAccess {
  /** The pointers of the raw responses behind the latest config of `ref`. */
  pointers(ref: AssetRef): Promise<EvidencePointer[]>;
  /** The stored bytes of the blob with this sha256. */
  read(hash: string): Promise<Uint8Array>;
}

/** The hook of the `evidence` capability. */
export interface EvidenceHooks {
  /** Where the adapter's evidence blobs can be read back. */
  evidence: EvidenceAccess;
}

/** An adapter whose provider is broken on purpose (the `faults` capability). */
export interface FaultySubject {
  /** The adapter, pointed at the broken provider. */
  inventory: InventoryPort;
  /** A scope to list. */
  scope: Scope;
  /** Releases what the faulty provider holds. */
  close(): Promise<void>;
}

/**
 * One subject under test: the inventory members always, and the hooks of each declared capability
 * (required when declared; optional, and ignored, when not).
 */
export type ConformanceSubject<C extends OptionalCapability = OptionalCapability> = InventorySubject &
  ('mutation' extends C ? MutationHooks : Partial<MutationHooks>) &
  ('remediation' extends C ? RemediationHooks : Partial<RemediationHooks>) &
  ('evidence' extends C ? EvidenceHooks : Partial<EvidenceHooks>);

/** Options of {@link describeAdapterConformance} and {@link runConformance}. */
export type AdapterConformanceOptions<C extends OptionalCapability = never> = {
  /** Name in the test report, such as `aws (moto)`. */
  name: string;
  /**
   * The capabilities the adapter declares beyond inventory. Their checks run; every other capability's
   * checks are reported `not declared`, never passed.
   */
  capabilities: readonly C[];
  /** A fresh subject per check: reset the simulator here. `close` runs after the check. */
  setup(): Promise<ConformanceSubject<C>>;
  /** Jest timeout of each check, including setup and close; default 60 s. */
  timeoutMs?: number;
  /** When set, the report is also written there as JSON after the last check. */
  reportFile?: string;
} & ('faults' extends C
  ? {
      /** An adapter whose provider hangs (`timeout`) or cannot be reached (`unavailable`). */
      faulty(fault: ProviderFault): Promise<FaultySubject>;
    }
  : {
      /** Ignored unless `faults` is declared. */
      faulty?: (fault: ProviderFault) => Promise<FaultySubject>;
    });
