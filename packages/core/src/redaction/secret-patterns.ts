// Detection by value without a rule engine: the token formats secretlint's recommended preset does not
// cover (each rule names the detect-secrets plugin that finds the same), passwords assigned in text, and
// high-entropy strings. The redactor runs the patterns, then the preset (secretlint-scanner.ts) on what
// they left, then the entropy check on what both left.
import { isSecretLikeValue } from './secret-fields.ts';

/** A secret found in a text: `[start, end)` and its redaction kind. */
export interface SecretSpan {
  start: number;
  end: number;
  kind: string;
}

interface PatternRule {
  kind: string;
  /** A literal every match contains (checked first: most strings contain none), or null. */
  gate: string | null;
  /** Global, with `d` indices; the span is group 1 when present, else the whole match. */
  pattern: RegExp;
}

// A private key block: BEGIN line, body, and END line when there is one (a key cut before its END line
// is still a key). PuTTY key files likewise.
const PRIVATE_KEY: PatternRule = {
  kind: 'private_key',
  gate: 'PRIVATE KEY',
  pattern:
    /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----(?:[^\0]*?-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|[\sA-Za-z0-9+/=:,.\\-]*)/dg,
};

const RULES: PatternRule[] = [
  PRIVATE_KEY,
  { kind: 'private_key', gate: 'PuTTY-User-Key-File', pattern: /PuTTY-User-Key-File-\d[^\0]*/dg },
  // AWSKeyDetector: access key ids (the preset scans ids only together with account ids, which must stay).
  {
    kind: 'aws_access_key_id',
    gate: null,
    pattern: /(?<![A-Z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/dg,
  },
  // Authorization headers: `Bearer <token>`, `Basic <base64>`.
  { kind: 'bearer_token', gate: null, pattern: /\b(?:[Bb]earer|BEARER)\s+([A-Za-z0-9\-._~+/]{8,}=*)/dg },
  { kind: 'basic_auth', gate: null, pattern: /\bBasic\s+([A-Za-z0-9+/]{12,}=*)/dg },
  // BasicAuthDetector: user info of a URL (`scheme://user:password@host`).
  {
    kind: 'basic_auth',
    gate: '://',
    pattern: /:\/\/([^\s:/?#@"'<>{}\0]+:[^\s/?@"'<>{}\0]*)@/dg,
  },
  // JwtTokenDetector.
  {
    kind: 'jwt',
    gate: 'eyJ',
    pattern: /\beyJ[A-Za-z0-9_-]{8,}={0,2}\.[A-Za-z0-9_-]{4,}={0,2}\.?[A-Za-z0-9_.+/=-]*/dg,
  },
  // TwilioKeyDetector: account SID and API key.
  { kind: 'twilio_key', gate: null, pattern: /\b(?:AC|SK)[a-z0-9]{32}\b/dg },
  // DiscordBotTokenDetector.
  {
    kind: 'discord_bot_token',
    gate: '.',
    pattern: /\b[MNO][a-zA-Z\d_-]{23,25}\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27,}/dg,
  },
  // TelegramBotTokenDetector.
  { kind: 'telegram_bot_token', gate: ':', pattern: /\b\d{8,10}:[0-9A-Za-z_-]{35}\b/dg },
  // MailchimpDetector.
  { kind: 'mailchimp_key', gate: '-us', pattern: /\b[0-9a-z]{32}-us\d{1,2}\b/dg },
  // PypiTokenDetector.
  { kind: 'pypi_token', gate: 'pypi-', pattern: /pypi-AgE[A-Za-z0-9_-]{50,}/dg },
  // AzureStorageKeyDetector (connection strings and SAS signatures).
  {
    kind: 'azure_storage_key',
    gate: null,
    pattern: /\b(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/=]{20,})/dgi,
  },
  { kind: 'azure_sas_signature', gate: 'sig=', pattern: /[?&]sig=([A-Za-z0-9%+/=]{20,})/dg },
  // SquareOAuthDetector.
  { kind: 'square_oauth_secret', gate: 'sq0', pattern: /\bsq0(?:csp|atp)-[0-9A-Za-z_-]{22,43}/dg },
  // ArtifactoryDetector.
  {
    kind: 'artifactory_token',
    gate: null,
    pattern: /(?:^|[\s=:"'])(AKC[a-zA-Z0-9]{10,}|AP[\dABCDEF][a-zA-Z0-9]{8,})(?![a-zA-Z0-9])/dg,
  },
  // Slack incoming webhooks (the preset finds only some forms).
  {
    kind: 'slack_webhook',
    gate: 'hooks.slack.com',
    pattern: /hooks\.slack\.com\/(?:services|workflows)\/([A-Za-z0-9_/-]+)/dg,
  },
  // Personal data (spec: no PII in evidence): email addresses.
  {
    kind: 'email',
    gate: '@',
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/dg,
  },
  // Discord webhooks.
  { kind: 'discord_webhook', gate: '/api/webhooks/', pattern: /\/api\/webhooks\/(\d+\/[A-Za-z0-9_-]+)/dg },
];

// A secret assigned to a secret-named word in text: `password=…`, `"api_key": "…"`, `DB_PASSWORD=…`,
// `Password=…;` in a connection string. The value is group 3.
const ASSIGNMENT =
  /(password|passwd|passphrase|pwd|secret|token|api[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth[_-]?key|access[_-]?key|account[_-]?key)[A-Za-z0-9_.-]*(["']?\s*(?::=|=>|[:=])\s*["']?)([^\s"',;&<>{}()[\]\0]{2,})/dgi;

// Base64HighEntropyString: a limit of 4.5 bits per character over runs of its alphabet.
// A string of n characters has at most log2(n) bits per character, so only runs of 23 or more can pass
// 4.5: shorter ones are not examined (detect-secrets would not flag them either).
const ENTROPY_MIN = 23;
// The run alphabet `[A-Za-z0-9+/=_-]` as a table over char codes (a scan by hand is several times faster
// than a regular expression over megabytes of joined text).
const IN_RUN = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-')
  IN_RUN[c.charCodeAt(0)] = 1;
const ENTROPY_LIMIT = 4.5;

const COUNTS = new Uint32Array(128);

/** Shannon entropy of an ASCII string in bits per character (other characters count as one symbol). */
export function shannonEntropy(text: string): number {
  COUNTS.fill(0);
  for (let i = 0; i < text.length; i++) COUNTS[Math.min(127, text.charCodeAt(i))]! += 1;
  let h = 0;
  for (const n of COUNTS) {
    if (n === 0) continue;
    const p = n / text.length;
    h -= p * Math.log2(p);
  }
  return h;
}

// The high-entropy runs of one run of the alphabet at `at` (see {@link entropySpans}).
function highEntropyRun(run: string, at: number, found: (start: number, end: number) => void): void {
  if (/^[0-9a-fA-F-]+$/.test(run)) return;
  // A run of words joined by `/` or `-` (`service-role/AWSServiceRoleForSupport`, a bucket name with a
  // token appended) is judged per segment, so only the random part goes; the whole run only when no
  // segment is long enough and it looks encoded (an AWS secret access key with `/` in it).
  let start = at;
  let any = false;
  for (const part of run.split(/[/-]/)) {
    if (part.length >= ENTROPY_MIN && shannonEntropy(part) > ENTROPY_LIMIT) {
      found(start, start + part.length);
      any = true;
    }
    start += part.length + 1;
  }
  if (!any && /[/-]/.test(run) && shannonEntropy(run) > ENTROPY_LIMIT && looksEncoded(run))
    found(at, at + run.length);
}

// Base64 with `/` in it (an AWS secret access key) rather than a path of words: some segment mixes
// digits or `+` with letters, or the run ends in padding.
function looksEncoded(run: string): boolean {
  return (
    /=$/.test(run) || run.includes('+') || run.split(/[/-]/).some((p) => /\d/.test(p) && /[A-Za-z]/.test(p))
  );
}

function spanOf(m: RegExpExecArray | RegExpMatchArray, group: number): [number, number] | null {
  const indices = (m as RegExpMatchArray & { indices?: ([number, number] | undefined)[] }).indices;
  return indices?.[group] ?? null;
}

// ARNs name things (`arn:aws:secretsmanager:…:secret:prod/db`): no assignment starts inside one.
const ARN = /\barn:[a-z0-9-]+:[^\s"',\0]*/g;

/**
 * Between two texts examined together: a line of its own with a NUL, which no rule matches across (the
 * rules' classes exclude NUL), so a match never joins two texts.
 */
export const TEXT_SEPARATOR = '\n\0\n';

/** Texts joined by {@link TEXT_SEPARATOR}, with where each starts, to examine them in one pass. */
export interface JoinedTexts {
  content: string;
  starts: number[];
  texts: readonly string[];
}

/** Joins texts for one pass of many patterns (see {@link spansByText}). */
export function joinTexts(texts: readonly string[]): JoinedTexts {
  const starts: number[] = [];
  let length = 0;
  for (const t of texts) {
    starts.push(length);
    length += t.length + TEXT_SEPARATOR.length;
  }
  return { content: texts.join(TEXT_SEPARATOR), starts, texts };
}

/** The index of the text of `joined` that position `at` of its content falls in (or precedes). */
export function ownerOf(joined: JoinedTexts, at: number): number {
  const { starts } = joined;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Adds a span `[from, to)` of the joined content to the texts it covers, clipped to each and, with
 * `widen`, grown to whole tokens on both sides.
 */
export function addSpan(
  joined: JoinedTexts,
  out: (SecretSpan[] | undefined)[],
  from: number,
  to: number,
  kind: string,
  widen?: (text: string, start: number, end: number) => [number, number],
): void {
  const { starts, texts } = joined;
  for (let i = ownerOf(joined, from); i < texts.length && starts[i]! < to; i++) {
    const text = texts[i]!;
    let start = Math.max(0, from - starts[i]!);
    let end = Math.min(text.length, to - starts[i]!);
    if (end <= start) continue;
    if (widen) [start, end] = widen(text, start, end);
    (out[i] ??= []).push({ start, end, kind });
  }
}

/**
 * For each text, the secrets the pattern rules and the assignments to secret-named words find in it,
 * possibly overlapping ({@link applySpans} merges them). All texts are examined in one pass per rule.
 */
export function patternSpans(joined: JoinedTexts): (SecretSpan[] | undefined)[] {
  const out: (SecretSpan[] | undefined)[] = new Array<SecretSpan[] | undefined>(joined.texts.length);
  if (joined.texts.length === 0) return out;
  const content = joined.content;
  for (const rule of RULES) {
    if (rule.gate !== null && !content.includes(rule.gate)) continue;
    for (const m of content.matchAll(rule.pattern)) {
      const span = spanOf(m, 1) ?? spanOf(m, 0);
      if (span && span[1] > span[0]) addSpan(joined, out, span[0], span[1], rule.kind);
    }
  }
  const arns = [...content.matchAll(ARN)].map((m) => [m.index, m.index + m[0].length] as const);
  let a = 0;
  for (const m of content.matchAll(ASSIGNMENT)) {
    // No assignment starts inside an ARN (both are found in content order).
    while (a < arns.length && arns[a]![1] <= m.index) a += 1;
    if (a < arns.length && arns[a]![0] <= m.index) continue;
    const value = m[3] ?? '';
    const span = spanOf(m, 3);
    if (span && isSecretLikeValue(value) && !value.startsWith('[REDACTED'))
      addSpan(joined, out, span[0], span[1], 'password');
  }
  // `user:password@host` is URL user info, not an email address: the host stays.
  for (const spans of out) {
    if (!spans) continue;
    const userInfo = spans.filter((s) => s.kind === 'basic_auth');
    if (userInfo.length === 0) continue;
    const kept = spans.filter(
      (s) => s.kind !== 'email' || !userInfo.some((u) => s.start < u.end && s.end > u.start),
    );
    spans.length = 0;
    spans.push(...kept);
  }
  return out;
}

/**
 * For each text, the runs that detect-secrets' Base64HighEntropyString would flag: runs of
 * `[A-Za-z0-9+/=_-]` above 4.5 bits per character (so at least 23 characters long). Hex digests and UUIDs (hex and `-`) are spared, and
 * so are texts that are an ARN or URN (identifiers). All texts are examined in one pass.
 */
export function entropySpans(joined: JoinedTexts): (SecretSpan[] | undefined)[] {
  const { texts } = joined;
  const out: (SecretSpan[] | undefined)[] = new Array<SecretSpan[] | undefined>(texts.length);
  if (texts.length === 0) return out;
  const found = (from: number, to: number): void => {
    const i = ownerOf(joined, from);
    if (/^(?:arn|urn):/i.test(texts[i]!)) return;
    addSpan(joined, out, from, to, 'high_entropy_string');
  };
  const content = joined.content;
  let start = -1;
  for (let i = 0; i <= content.length; i++) {
    const c = i < content.length ? content.charCodeAt(i) : 0;
    if (c < 128 && IN_RUN[c] === 1) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start >= ENTROPY_MIN) highEntropyRun(content.slice(start, i), start, found);
    start = -1;
  }
  return out;
}

/** Sorts spans and joins overlapping or touching ones (the first one's kind names the joined span). */
export function mergeSpans(spans: readonly SecretSpan[]): SecretSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: SecretSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** Replaces each (merged) span by `[REDACTED:<kind>]`, counting kinds into `counts`. */
export function applySpans(
  text: string,
  spans: readonly SecretSpan[] | undefined,
  counts: Map<string, number>,
): string {
  if (!spans || spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of mergeSpans(spans)) {
    out += text.slice(at, s.start) + placeholder(s.kind, text, s);
    counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
    at = s.end;
  }
  return out + text.slice(at);
}

// URL user info gets a placeholder without `:` so that the URL no longer reads as `user:password@`.
function placeholder(kind: string, text: string, s: SecretSpan): string {
  return text[s.end] === '@' && kind === 'basic_auth' ? '[REDACTED]' : `[REDACTED:${kind}]`;
}
