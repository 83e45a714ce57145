import type { Redacted, Redaction, Redactor } from '../redaction/redactor.ts';

/** Options of {@link InMemoryRedactor}. */
export interface InMemoryRedactorOptions {
  /** The literal secrets to remove, by kind (`{ password: ['hunter2'] }`); none by default. */
  secrets?: Readonly<Record<string, readonly string[]>>;
}

/**
 * A {@link Redactor} for tests of the packages that apply one (the lakehouse, the adapters): it knows no
 * detector and removes exactly the literal secrets it is given, from every string, as `[REDACTED:<kind>]`.
 * Production composes core's `SecretRedactor`.
 */
export class InMemoryRedactor implements Redactor {
  readonly #secrets: [kind: string, secret: string][];
  /** Every value this instance was asked to redact, in order (for assertions). */
  readonly seen: unknown[] = [];

  /** Creates the redactor over the given literal secrets (longest first, so a longer one wins). */
  constructor(options: InMemoryRedactorOptions = {}) {
    this.#secrets = Object.entries(options.secrets ?? {})
      .flatMap(([kind, list]) => list.filter((s) => s.length > 0).map((s) => [kind, s] as [string, string]))
      .sort((a, b) => b[1].length - a[1].length);
  }

  /** Redacts each value; see {@link Redactor.redact}. */
  redact<T>(values: readonly T[]): Promise<Redacted<T>[]> {
    this.seen.push(...values);
    return Promise.resolve(
      values.map((value) => {
        const counts = new Map<string, number>();
        const out = this.#value(value, counts) as T;
        const redactions: Redaction[] = [...counts]
          .map(([kind, count]) => ({ kind, count }))
          .sort((a, b) => a.kind.localeCompare(b.kind));
        return { value: out, redactions };
      }),
    );
  }

  #value(value: unknown, counts: Map<string, number>): unknown {
    if (typeof value === 'string') {
      let text = value;
      for (const [kind, secret] of this.#secrets) {
        const parts = text.split(secret);
        if (parts.length === 1) continue;
        counts.set(kind, (counts.get(kind) ?? 0) + parts.length - 1);
        text = parts.join(`[REDACTED:${kind}]`);
      }
      return text;
    }
    if (Array.isArray(value)) return value.map((v) => this.#value(v, counts));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.#value(v, counts)]));
  }
}
