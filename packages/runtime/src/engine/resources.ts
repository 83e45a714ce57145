/**
 * What an engine holds open and releases on close: catalog connections, AWS clients, worker threads.
 * Released in reverse order of acquisition; every release runs even when one fails (the first failure is
 * rethrown after the rest).
 */
export class Resources {
  readonly #releases: Array<() => unknown> = [];
  #closed = false;

  /** Registers `release` and returns `value` (so a part is made and registered in one expression). */
  hold<T>(value: T, release: () => unknown): T {
    this.#releases.push(release);
    return value;
  }

  /** Releases everything held, newest first; later calls do nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    let failure: unknown = null;
    for (const release of this.#releases.splice(0).reverse()) {
      try {
        await release();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== null) throw failure;
  }
}
