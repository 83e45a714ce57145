import { Worker } from 'node:worker_threads';
import { SegError } from '@neurocipher/seg-contracts';
import type { Redacted, Redaction, Redactor } from '@neurocipher/seg-ports';
import { fieldKind, isFieldSecret, secretFieldOf } from './secret-fields.ts';
import type { SecretField } from './secret-fields.ts';
import { judgeTexts } from './text-verdicts.ts';
import type { TextVerdict } from './text-verdicts.ts';

/** Options of {@link SecretRedactor}. */
export interface SecretRedactorOptions {
  /** Strings examined together at most (default 50,000): one pass of each detector over them joined. */
  batchSize?: number;
  /**
   * Judge the strings of large calls (at least `threadMinTexts`, default 2,000) on a worker thread of
   * its own, so that the caller's thread goes on meanwhile (default false: all on the calling thread).
   * The thread starts on first use and never keeps the process alive when idle.
   */
  thread?: boolean;
  /** Fewest strings in one call that go to the thread (default 2,000). */
  threadMinTexts?: number;
}

// In sources (tests, `node --conditions=@neurocipher/source`) the worker is the .ts file; once built, the .js.
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './redaction-worker.ts' : './redaction-worker.js',
  import.meta.url,
);

// The redaction thread of one SecretRedactor: tasks by id, referenced only while some are pending.
class RedactionThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (v: TextVerdict[]) => void; reject: (e: Error) => void }>();
  #next = 1;

  constructor() {
    this.#worker = new Worker(workerUrl);
    this.#worker.unref();
    this.#worker.on(
      'message',
      (msg: { id: number; ok: boolean; verdicts?: TextVerdict[]; error?: string }) => {
        const task = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (this.#pending.size === 0) this.#worker.unref();
        if (!task) return;
        if (msg.ok) task.resolve(msg.verdicts ?? []);
        else task.reject(redactionFailed(msg.error));
      },
    );
    this.#worker.on('error', (error) => {
      for (const task of this.#pending.values()) task.reject(redactionFailed(error.message));
      this.#pending.clear();
    });
  }

  judge(texts: readonly string[], batchSize: number): Promise<TextVerdict[]> {
    return new Promise((resolve, reject) => {
      const id = this.#next++;
      this.#pending.set(id, { resolve, reject });
      this.#worker.ref();
      this.#worker.postMessage({ id, texts, batchSize });
    });
  }

  close(): Promise<number> {
    return this.#worker.terminate();
  }
}

function redactionFailed(reason: string | undefined): SegError {
  return new SegError({
    error_code: 'SEG_INTERNAL',
    message: `the redaction thread failed: ${reason ?? 'unknown error'}`,
  });
}

// What a string became: the redacted text and the kinds removed, or null when it is clean.
type Verdict = { text: string; counts: [kind: string, count: number][] } | null;

// Shorter strings hold no secret the detectors by value know (a short password is found by its field name).
const MIN_SECRET = 8;

/**
 * The SEG {@link Redactor} (spec §24): three detectors, so that an independent scanner (Yelp's
 * detect-secrets) finds nothing in what SEG stores and shows.
 *
 * - By field name: a string under a key naming a secret (`password`, `SecretAccessKey`, `private_key`,
 *   `client_secret`, `api_key`, `credentials`, `ConnectionString`, …; also `{Key: "db_password", Value: …}`
 *   pairs such as AWS tags and environment variables) is replaced whole, unless it is metadata: a boolean
 *   word, a number, a date, an ARN or URN. Fields that describe a secret (`PasswordLastUsed`, `SecretArn`,
 *   `password_enabled`, `MinimumPasswordLength`) keep their values; token-named fields (`SessionToken`,
 *   `http_tokens`) lose only values that look like tokens.
 * - By value, with secretlint's recommended preset (AWS, GitHub, GitLab, Slack, Stripe, SendGrid, npm,
 *   OpenAI, private keys, connection strings, … maintained upstream), plus the formats it lacks (access
 *   key ids, Twilio, Discord, Telegram, Mailchimp, PyPI, Azure storage keys, JWTs, bearer tokens, URL user
 *   info, private keys without their END line, email addresses) and passwords assigned in text.
 * - By entropy: runs of at least 20 base64 characters above 4.5 bits per character (detect-secrets'
 *   Base64HighEntropyString), which finds a bare AWS secret access key. Hex digests, UUIDs, ARNs and URNs
 *   are spared.
 *
 * Each secret becomes `[REDACTED:<kind>]`; the rest of the text stays. All strings of one `redact` call
 * are examined together: each detector makes one pass over them joined (secretlint is called once per
 * batch), so callers hand over a chunk at a time. Stateless: one instance serves any number of callers.
 */
export class SecretRedactor implements Redactor {
  readonly #batchSize: number;
  readonly #threaded: boolean;
  readonly #threadMin: number;
  #thread: RedactionThread | undefined;

  /** Creates the redactor (the thread, when asked for, starts on first use). */
  constructor(options: SecretRedactorOptions = {}) {
    this.#batchSize = Math.max(1, options.batchSize ?? 50_000);
    this.#threaded = options.thread ?? false;
    this.#threadMin = Math.max(1, options.threadMinTexts ?? 2000);
  }

  /** Stops the redaction thread, if one was started (calls after this start a new one). */
  async close(): Promise<void> {
    const thread = this.#thread;
    this.#thread = undefined;
    await thread?.close();
  }

  /** Redacts each value; see {@link Redactor.redact}. */
  async redact<T>(values: readonly T[]): Promise<Redacted<T>[]> {
    // Pass 1: every string long enough to hold a secret, in walk order; pass 2 walks the same way and
    // takes their verdicts in that order (no map of strings: hashing them would cost more than it saves).
    const texts: string[] = [];
    const visit = (v: unknown): void => {
      if (typeof v === 'string') {
        if (v.length >= MIN_SECRET) texts.push(v);
      } else if (Array.isArray(v)) {
        for (const x of v) visit(x);
      } else if (v !== null && typeof v === 'object') {
        for (const k in v) if (Object.hasOwn(v, k)) visit((v as Record<string, unknown>)[k]);
      }
    };
    for (const v of values) visit(v);
    const verdicts = await this.#judge(texts);
    const walk: Walk = { verdicts, next: 0 };
    return values.map((value) => {
      const counts = new Map<string, number>();
      const out = rebuild(value, null, walk, counts) as T;
      return { value: out, redactions: summarize(counts) };
    });
  }

  async #judge(texts: readonly string[]): Promise<Verdict[]> {
    const verdicts: Verdict[] = new Array<Verdict>(texts.length).fill(null);
    if (texts.length === 0) return verdicts;
    const found =
      this.#threaded && texts.length >= this.#threadMin
        ? await (this.#thread ??= new RedactionThread()).judge(texts, this.#batchSize)
        : await judgeTexts(texts, this.#batchSize);
    for (const v of found) verdicts[v.index] = { text: v.text, counts: v.counts };
    return verdicts;
  }
}

// The verdicts of a call's strings and the next one to take.
interface Walk {
  verdicts: readonly Verdict[];
  next: number;
}

// `field` is the secret field the value sits under: how its name marks it and the redaction kind. Walks
// values in the order of `visit`, taking one verdict per string it collected.
function rebuild(value: unknown, field: Field | null, walk: Walk, counts: Map<string, number>): unknown {
  if (typeof value === 'string') {
    const verdict = value.length >= MIN_SECRET ? walk.verdicts[walk.next++] : null;
    if (field !== null && isFieldSecret(field.of, value)) {
      counts.set(field.kind, (counts.get(field.kind) ?? 0) + 1);
      return `[REDACTED:${field.kind}]`;
    }
    if (!verdict) return value;
    for (const [kind, n] of verdict.counts) counts.set(kind, (counts.get(kind) ?? 0) + n);
    return verdict.text;
  }
  // Copy on write: a container none of whose parts changed is returned as it is (never modified).
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const r = rebuild(v, field, walk, counts);
      if (r !== v) (out ??= value.slice())[i] = r;
    }
    return out ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  const pair = keyValuePairField(value as Record<string, unknown>);
  let out: Record<string, unknown> | null = null;
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    const v: unknown = (value as Record<string, unknown>)[k];
    const r = rebuild(v, fieldOf(k) ?? (pair !== null && VALUE_KEYS.has(k) ? pair : null), walk, counts);
    if (r !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = r;
  }
  return out ?? value;
}

interface Field {
  of: Exclude<SecretField, null>;
  kind: string;
}

// Field names repeat across bodies (`Name`, `Arn`, `CreateDate`): each is classified once per process.
const FIELDS = new Map<string, Field | null>();

function fieldOf(name: string): Field | null {
  let field = FIELDS.get(name);
  if (field === undefined) {
    const of = secretFieldOf(name);
    field = of === null ? null : { of, kind: fieldKind(name) };
    if (FIELDS.size >= 100_000) FIELDS.clear();
    FIELDS.set(name, field);
  }
  return field;
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
