import type {
  Capability,
  ConformanceSubject,
  FaultySubject,
  OptionalCapability,
  ProviderFault,
} from '../suite/capabilities.ts';

/** A subject as the checks see it: the inventory members, and whichever hooks it happens to carry. */
export type AnySubject = ConformanceSubject<never>;

/** What a standalone check gets from the kit's options. */
export interface CheckKit {
  /** The `faults` capability's hook, when declared. */
  faulty?: (fault: ProviderFault) => Promise<FaultySubject>;
}

interface CheckBase {
  /** Stable id, `<capability>.<name>`. */
  id: string;
  /** The suite the check belongs to. */
  capability: Capability;
  /** Optional capabilities that must all be declared for the check to run. */
  requires: readonly OptionalCapability[];
  /** What the check proves, as the test title. */
  title: string;
}

/** A check that runs against a fresh subject from `setup` (closed afterwards). */
export interface SubjectCheck extends CheckBase {
  kind: 'subject';
  run(subject: AnySubject): Promise<void>;
}

/** A check that builds what it needs itself (fault injection). */
export interface StandaloneCheck extends CheckBase {
  kind: 'standalone';
  run(kit: CheckKit): Promise<void>;
}

/** One check of the kit. */
export type ConformanceCheck = SubjectCheck | StandaloneCheck;

/** The hook a declared capability needs, or a clear error when the subject lacks it. */
export function hook<T>(value: T | undefined, name: string, capability: OptionalCapability): T {
  if (value === undefined) {
    throw new Error(`capability '${capability}' is declared, but the subject has no ${name}`);
  }
  return value;
}
