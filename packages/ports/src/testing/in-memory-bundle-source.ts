import { SegError } from '@neurocipher/seg-contracts';
import type { BundleRef, BundleSource } from '../bundles/bundle-source.ts';

/** One bundle held by an {@link InMemoryBundleSource}: its ref and its files by relative path. */
export interface InMemoryBundle {
  ref: BundleRef;
  /** File contents by `/`-separated path; strings are stored as UTF-8. */
  files: Readonly<Record<string, Uint8Array | string>>;
}

/** Options of {@link InMemoryBundleSource}. */
export interface InMemoryBundleSourceOptions {
  bundles?: readonly InMemoryBundle[];
}

const versionOrder = new Intl.Collator('en', { numeric: true });

/**
 * A {@link BundleSource} over a map of files. Like the real sources it only delivers bytes (copies of
 * them); it verifies nothing. `set_unreadable` makes every call fail with `SEG_POLICY_LOAD_FAILED`.
 */
export class InMemoryBundleSource implements BundleSource {
  readonly #bundles = new Map<string, { ref: BundleRef; files: Map<string, Uint8Array> }>();
  #unreadable = false;

  constructor(options: InMemoryBundleSourceOptions = {}) {
    for (const bundle of options.bundles ?? []) this.add(bundle);
  }

  /** Adds or replaces a bundle. */
  add(bundle: InMemoryBundle): void {
    const encoder = new TextEncoder();
    const files = new Map<string, Uint8Array>();
    for (const [path, content] of Object.entries(bundle.files)) {
      files.set(path, typeof content === 'string' ? encoder.encode(content) : content.slice());
    }
    this.#bundles.set(keyOf(bundle.ref), { ref: { id: bundle.ref.id, version: bundle.ref.version }, files });
  }

  /** Makes the source fail (`true`) or work again (`false`), as a missing directory would. */
  set_unreadable(unreadable: boolean): void {
    this.#unreadable = unreadable;
  }

  async list(): Promise<BundleRef[]> {
    this.#checkReadable();
    return [...this.#bundles.values()]
      .map((bundle) => ({ ...bundle.ref }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : versionOrder.compare(a.version, b.version)));
  }

  async read(ref: BundleRef): Promise<ReadonlyMap<string, Uint8Array>> {
    this.#checkReadable();
    const bundle = this.#bundles.get(keyOf(ref));
    if (bundle === undefined) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `unknown bundle ${ref.id}@${ref.version}`,
        details: { ...ref },
      });
    }
    return new Map([...bundle.files].map(([path, bytes]) => [path, bytes.slice()]));
  }

  #checkReadable(): void {
    if (this.#unreadable) {
      throw new SegError({ error_code: 'SEG_POLICY_LOAD_FAILED', message: 'bundle source cannot be read' });
    }
  }
}

function keyOf(ref: BundleRef): string {
  return `${ref.id}\n${ref.version}`;
}
