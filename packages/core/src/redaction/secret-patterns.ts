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
    /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|[\sA-Za-z0-9+/=:,.\\-]*)/dg,
};

const RULES: PatternRule[] = [
  PRIVATE_KEY,
  { kind: 'private_key', gate: 'PuTTY-User-Key-File', pattern: /PuTTY-User-Key-File-\d[\s\S]*/dg },
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
    pattern: /[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^\s:/?#@"'<>{}]+:[^\s/?@"'<>{}]*)@/dg,
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

// A secret assigned to a secret-named word in text: `password=…`, `"api_key": "…"`, `token: …`,
// `Password=…;` in a connection string. The value is group 3.
const ASSIGNMENT =
  /(?<![A-Za-z0-9])([A-Za-z0-9_.-]*(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth[_-]?key|access[_-]?key|account[_-]?key)[A-Za-z0-9_.-]*)(["']?\s*(?::=|=>|[:=])\s*["']?)([^\s"',;&<>{}()[\]]{2,})/dgi;
const ASSIGNMENT_GATE = /password|passwd|passphrase|pwd|secret|token|key|credential/i;

// Base64HighEntropyString (limit 4.5 over runs of at least 20 characters of its alphabet).
const ENTROPY_RUN = /[A-Za-z0-9+/=_-]{20,}/g;
const ENTROPY_LIMIT = 4.5;

/** Shannon entropy of a string in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    h -= p * Math.log2(p);
  }
  return h;
}

// Runs that are identifiers by construction are spared: a run inside an ARN or URN, and runs made only of
// hex digits and `-` (sha256 content addresses, UUIDs), whose entropy cannot reach the limit anyway.
function highEntropySpans(text: string, out: SecretSpan[]): void {
  if (text.length < 20) return;
  if (/^(?:arn|urn):/i.test(text)) return;
  for (const m of text.matchAll(ENTROPY_RUN)) {
    const run = m[0];
    if (/^[0-9a-fA-F-]+$/.test(run)) continue;
    // A run of words joined by `/` or `-` (`service-role/AWSServiceRoleForSupport`, a bucket name with a
    // token appended) is judged per segment, so only the random part goes; the whole run only when no
    // segment is long enough and it looks encoded (an AWS secret access key with `/` in it).
    let at = m.index;
    let found = false;
    for (const part of run.split(/[/-]/)) {
      if (part.length >= 20 && shannonEntropy(part) > ENTROPY_LIMIT) {
        out.push({ start: at, end: at + part.length, kind: 'high_entropy_string' });
        found = true;
      }
      at += part.length + 1;
    }
    if (!found && /[/-]/.test(run) && shannonEntropy(run) > ENTROPY_LIMIT && looksEncoded(run))
      out.push({ start: m.index, end: m.index + run.length, kind: 'high_entropy_string' });
  }
}

// Base64 with `/` in it (an AWS secret access key) rather than a path of words: some segment mixes
// digits or `+` with letters, or the run ends in padding.
function looksEncoded(run: string): boolean {
  return (
    /=$/.test(run) || run.includes('+') || run.split('/').some((p) => /\d/.test(p) && /[A-Za-z]/.test(p))
  );
}

function spanOf(m: RegExpExecArray | RegExpMatchArray, group: number): [number, number] | null {
  const indices = (m as RegExpMatchArray & { indices?: ([number, number] | undefined)[] }).indices;
  return indices?.[group] ?? null;
}

// ARNs name things (`arn:aws:secretsmanager:…:secret:prod/db`): no assignment starts inside one.
const ARN = /\barn:[a-z0-9-]+:[^\s"',]*/g;

/**
 * The secrets the pattern rules and the assignments to secret-named words find in `text`, possibly
 * overlapping; {@link applySpans} merges them.
 */
export function patternSpans(text: string): SecretSpan[] {
  const out: SecretSpan[] = [];
  if (text.length < 8) return out;
  for (const rule of RULES) {
    if (rule.gate !== null && !text.includes(rule.gate)) continue;
    for (const m of text.matchAll(rule.pattern)) {
      const span = spanOf(m, 1) ?? spanOf(m, 0);
      if (span && span[1] > span[0]) out.push({ start: span[0], end: span[1], kind: rule.kind });
    }
  }
  // `user:password@host` is URL user info, not an email address: the host stays.
  const userInfo = out.filter((s) => s.kind === 'basic_auth');
  if (userInfo.length > 0) {
    const kept = out.filter(
      (s) => s.kind !== 'email' || !userInfo.some((u) => s.start < u.end && s.end > u.start),
    );
    out.length = 0;
    out.push(...kept);
  }
  if (ASSIGNMENT_GATE.test(text)) {
    const arns = text.includes('arn:')
      ? [...text.matchAll(ARN)].map((m) => [m.index, m.index + m[0].length])
      : [];
    for (const m of text.matchAll(ASSIGNMENT)) {
      if (arns.some(([s, e]) => m.index >= s! && m.index < e!)) continue;
      const span = spanOf(m, 3);
      if (span && isSecretLikeValue(m[3] ?? '') && !(m[3] ?? '').startsWith('[REDACTED'))
        out.push({ start: span[0], end: span[1], kind: 'password' });
    }
  }
  return out;
}

/**
 * The runs of `text` that detect-secrets' Base64HighEntropyString would flag: at least 20 characters of
 * `[A-Za-z0-9+/=_-]` above 4.5 bits per character (hex digests, UUIDs, ARNs and URNs spared).
 */
export function entropySpans(text: string): SecretSpan[] {
  const out: SecretSpan[] = [];
  highEntropySpans(text, out);
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
export function applySpans(text: string, spans: readonly SecretSpan[], counts: Map<string, number>): string {
  if (spans.length === 0) return text;
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
