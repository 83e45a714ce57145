// Redaction before hashing (spec §24): secrets and personal data never reach the blob store.

/** Kinds of data the filter removes. */
export type RedactionKind = 'email' | 'aws_access_key' | 'aws_secret_key' | 'private_key' | 'bearer_token';

/** What was redacted: a kind and how many occurrences (never the values). */
export interface Redaction {
  kind: RedactionKind;
  count: number;
}

// Each rule has a cheap `gate` that every match implies (a literal it contains, a least length), so
// the full pattern runs only on strings that could match: most evidence strings are short and plain.
const RULES: {
  kind: RedactionKind;
  gate: (text: string) => boolean;
  pattern: RegExp;
  replace: (m: string, ...g: string[]) => string;
}[] = [
  {
    kind: 'private_key',
    gate: (t) => t.includes('PRIVATE KEY-----'),
    pattern: /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g,
    replace: () => '[REDACTED:private_key]',
  },
  {
    kind: 'bearer_token',
    gate: (t) => t.length > 7 && /bearer/i.test(t),
    pattern: /\b(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi,
    replace: (_m, prefix) => `${prefix}[REDACTED:bearer_token]`,
  },
  {
    kind: 'aws_secret_key',
    gate: (t) => t.length > 40 && /secret/i.test(t),
    pattern:
      /((?:aws_secret_access_key|secretaccesskey|secret_access_key)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi,
    replace: (_m, prefix) => `${prefix}[REDACTED:aws_secret_key]`,
  },
  {
    kind: 'aws_access_key',
    gate: (t) => t.length >= 20,
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}\b/g,
    replace: () => '[REDACTED:aws_access_key]',
  },
  {
    kind: 'email',
    gate: (t) => t.includes('@'),
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    replace: () => '[REDACTED:email]',
  },
];

/** Redacts one string; adds what it removed to `counts`. */
export function redactString(text: string, counts: Map<RedactionKind, number> = new Map()): string {
  let out = text;
  for (const rule of RULES) {
    if (!rule.gate(out)) continue;
    out = out.replace(rule.pattern, (...args: unknown[]) => {
      counts.set(rule.kind, (counts.get(rule.kind) ?? 0) + 1);
      const groups = args.slice(1, -2).map((g) => (typeof g === 'string' ? g : ''));
      return rule.replace(String(args[0]), ...groups);
    });
  }
  return out;
}

function redactValue(value: unknown, counts: Map<RedactionKind, number>): unknown {
  if (typeof value === 'string') return redactString(value, counts);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, counts));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, counts)]));
  }
  return value;
}

/** Redacts every string inside a JSON value (keys are kept). */
export function redactJson<T>(value: T): { value: T; redactions: Redaction[] } {
  const counts = new Map<RedactionKind, number>();
  const out = redactValue(value, counts) as T;
  return { value: out, redactions: summarize(counts) };
}

/** Redacts a text body. */
export function redactText(text: string): { text: string; redactions: Redaction[] } {
  const counts = new Map<RedactionKind, number>();
  return { text: redactString(text, counts), redactions: summarize(counts) };
}

function summarize(counts: Map<RedactionKind, number>): Redaction[] {
  return [...counts.entries()]
    .map(([kind, count]) => ({ kind, count }))
    .sort((a, b) => a.kind.localeCompare(b.kind));
}
