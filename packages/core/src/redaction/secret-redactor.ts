import type { Redacted, Redaction, Redactor } from '@neurocipher/seg-ports';
import { fieldKind, isFieldSecret, secretFieldOf } from './secret-fields.ts';
import type { SecretField } from './secret-fields.ts';
import { applySpans, entropySpans, patternSpans } from './secret-patterns.ts';
import { secretlintSpans } from './secretlint-scanner.ts';

/** Options of {@link SecretRedactor}. */
export interface SecretRedactorOptions {
  /**
   * Distinct strings whose verdict is remembered (default 100,000): a string seen again (a region, an
   * ARN, a message repeated across assets) is not examined again. The memory is emptied when full.
   */
  cacheSize?: number;
  /** Texts per secretlint call at most (default 20,000): one call lints them joined. */
  batchSize?: number;
}

// What a string became: the redacted text and the kinds removed, or null when it is clean.
type Verdict = { text: string; counts: [kind: string, count: number][] } | null;

const MIN_SECRET = 8;

/**
 * The SEG {@link Redactor} (spec §24): three detectors, so that an independent scanner (Yelp's
 * detect-secrets) finds nothing in what SEG stores and shows.
 *
 * - By field name: a string under a key naming a secret (`password`, `SecretAccessKey`, `private_key`,
 *   `client_secret`, `api_key`, `token`, `credentials`, `ConnectionString`, …; also `{Key: "db_password",
 *   Value: …}` pairs such as AWS tags and environment variables) is replaced whole, unless it is
 *   metadata: a boolean word, a number, a date, an ARN or URN. Fields that describe a secret
 *   (`PasswordLastUsed`, `SecretArn`, `password_enabled`, `MinimumPasswordLength`) keep their values.
 * - By value, with secretlint's recommended preset (AWS, GitHub, GitLab, Slack, Stripe, SendGrid, npm,
 *   OpenAI, private keys, connection strings, … maintained upstream), plus the formats it lacks (access
 *   key ids, Twilio, Discord, Telegram, Mailchimp, PyPI, Azure storage keys, JWTs, bearer tokens, URL user
 *   info, private keys without their END line) and passwords assigned in text (`password=…`).
 * - By entropy: runs of at least 20 base64 characters above 4.5 bits per character (detect-secrets'
 *   Base64HighEntropyString), which finds a bare AWS secret access key. Hex digests, UUIDs, ARNs and URNs
 *   are spared.
 *
 * Each secret becomes `[REDACTED:<kind>]`; the rest of the text stays. Distinct strings are examined once
 * per instance (bounded memory) and the strings of one `redact` call are linted in one secretlint call,
 * so share one instance per process or run.
 */
export class SecretRedactor implements Redactor {
  readonly #cache = new Map<string, Verdict>();
  readonly #cacheSize: number;
  readonly #batchSize: number;

  /** Creates the redactor; it holds only its cache of verdicts. */
  constructor(options: SecretRedactorOptions = {}) {
    this.#cacheSize = Math.max(0, options.cacheSize ?? 100_000);
    this.#batchSize = Math.max(1, options.batchSize ?? 20_000);
  }

  /** Redacts each value; see {@link Redactor.redact}. */
  async redact<T>(values: readonly T[]): Promise<Redacted<T>[]> {
    // Pass 1: every distinct string's verdict, from the cache or judged now (each string once).
    const known = new Map<string, Verdict>();
    const pending = new Set<string>();
    const visit = (v: unknown): void => {
      if (typeof v === 'string') {
        if (v.length < MIN_SECRET || known.has(v) || pending.has(v)) return;
        const cached = this.#cache.get(v);
        if (cached !== undefined) known.set(v, cached);
        else pending.add(v);
      } else if (Array.isArray(v)) {
        for (const x of v) visit(x);
      } else if (v !== null && typeof v === 'object') {
        for (const x of Object.values(v)) visit(x);
      }
    };
    for (const v of values) visit(v);
    if (pending.size > 0)
      for (const [text, verdict] of await this.#judge([...pending])) known.set(text, verdict);
    // Pass 2: rebuild each value with the verdicts.
    return values.map((value) => {
      const counts = new Map<string, number>();
      const out = this.#rebuild(value, null, known, counts) as T;
      return { value: out, redactions: summarize(counts) };
    });
  }

  async #judge(texts: string[]): Promise<Map<string, Verdict>> {
    const verdicts = new Map<string, Verdict>();
    // The pattern rules first; the preset then lints what they left, in batches; the entropy check last,
    // so that a token the preset knows is named by its kind.
    const local = texts.map((text) => {
      const counts = new Map<string, number>();
      return { text, after: applySpans(text, patternSpans(text), counts), counts };
    });
    for (let i = 0; i < local.length; i += this.#batchSize) {
      const batch = local.slice(i, i + this.#batchSize);
      const found = await secretlintSpans(batch.map((b) => b.after));
      batch.forEach((b, j) => {
        const linted = applySpans(b.after, found[j]!, b.counts);
        const after = applySpans(linted, entropySpans(linted), b.counts);
        const verdict: Verdict = b.counts.size === 0 ? null : { text: after, counts: [...b.counts] };
        verdicts.set(b.text, verdict);
        this.#remember(b.text, verdict);
        // Redaction is idempotent: the redacted text is clean.
        if (verdict) this.#remember(verdict.text, null);
      });
    }
    return verdicts;
  }

  #remember(text: string, verdict: Verdict): void {
    if (this.#cacheSize === 0) return;
    if (this.#cache.size >= this.#cacheSize) this.#cache.clear();
    this.#cache.set(text, verdict);
  }

  #text(text: string, known: ReadonlyMap<string, Verdict>, counts: Map<string, number>): string {
    const verdict = known.get(text);
    if (!verdict) return text;
    for (const [kind, n] of verdict.counts) counts.set(kind, (counts.get(kind) ?? 0) + n);
    return verdict.text;
  }

  // `field` is the secret field the value sits under: how its name marks it and the redaction kind.
  #rebuild(
    value: unknown,
    field: Field | null,
    known: ReadonlyMap<string, Verdict>,
    counts: Map<string, number>,
  ): unknown {
    if (typeof value === 'string') {
      if (field !== null && isFieldSecret(field.of, value)) {
        counts.set(field.kind, (counts.get(field.kind) ?? 0) + 1);
        return `[REDACTED:${field.kind}]`;
      }
      return this.#text(value, known, counts);
    }
    if (Array.isArray(value)) return value.map((v) => this.#rebuild(v, field, known, counts));
    if (value === null || typeof value !== 'object') return value;
    const pair = keyValuePairField(value as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const named = fieldOf(k);
      out[k] = this.#rebuild(v, named ?? (pair !== null && VALUE_KEYS.has(k) ? pair : null), known, counts);
    }
    return out;
  }
}

interface Field {
  of: Exclude<SecretField, null>;
  kind: string;
}

function fieldOf(name: string): Field | null {
  const of = secretFieldOf(name);
  return of === null ? null : { of, kind: fieldKind(name) };
}

const NAME_KEYS = ['Key', 'key', 'Name', 'name', 'ParameterKey', 'OptionName', 'Variable'];
const VALUE_KEYS = new Set(['Value', 'value', 'ParameterValue', 'OptionValue']);

// `{Key: "db_password", Value: "…"}` (AWS tags, environment variables, parameters): the field its name
// makes of the value, or null.
function keyValuePairField(o: Record<string, unknown>): Field | null {
  for (const k of NAME_KEYS) {
    const name = o[k];
    if (typeof name === 'string') {
      const field = fieldOf(name);
      if (field) return field;
    }
  }
  return null;
}

function summarize(counts: ReadonlyMap<string, number>): Redaction[] {
  return [...counts.entries()]
    .map(([kind, count]) => ({ kind, count }))
    .sort((a, b) => a.kind.localeCompare(b.kind));
}
