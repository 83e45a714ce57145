import { SegError } from '@neurocipher/seg-contracts';

/** A normalized policy statement (the contracts' `PolicyStatementSchema` shape). */
export interface PolicyStatement {
  sid: string | null;
  effect: 'Allow' | 'Deny';
  principals: { type: string; id: string }[];
  not_principals: { type: string; id: string }[];
  actions: string[];
  not_actions: string[];
  resources: string[];
  not_resources: string[];
  conditions: { operator: string; key: string; values: string[] }[];
}

/** A normalized policy document (the contracts' `PolicyDocumentSchema` shape). */
export interface PolicyDocument {
  version: string | null;
  statements: PolicyStatement[];
}

function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => String(x));
}

function principals(v: unknown): { type: string; id: string }[] {
  if (v === undefined || v === null) return [];
  if (v === '*') return [{ type: '*', id: '*' }];
  if (typeof v === 'object') {
    const out: { type: string; id: string }[] = [];
    for (const [type, ids] of Object.entries(v as Record<string, unknown>)) {
      for (const id of list(ids)) out.push({ type, id });
    }
    return out;
  }
  return [{ type: 'AWS', id: String(v) }];
}

function conditions(v: unknown): PolicyStatement['conditions'] {
  if (!v || typeof v !== 'object') return [];
  const out: PolicyStatement['conditions'] = [];
  for (const [operator, clause] of Object.entries(v as Record<string, unknown>)) {
    if (!clause || typeof clause !== 'object') continue;
    for (const [key, values] of Object.entries(clause as Record<string, unknown>)) {
      out.push({ operator, key, values: list(values) });
    }
  }
  return out;
}

/**
 * Normalizes an IAM or resource policy JSON document (string or object) to the canonical
 * `PolicyDocument` (every single-or-list field a list, conditions flattened). `SEG_SCHEMA_VIOLATION`
 * when the text is not a JSON object.
 */
export function normalizePolicyDocument(doc: string | Record<string, unknown>): PolicyDocument {
  let parsed: unknown = doc;
  if (typeof doc === 'string') {
    let text = doc;
    // IAM returns policy versions URL-encoded.
    if (/^%7B/i.test(text.trim())) text = decodeURIComponent(text);
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw new SegError({
        error_code: 'SEG_SCHEMA_VIOLATION',
        message: 'policy document is not JSON',
        cause,
      });
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SegError({ error_code: 'SEG_SCHEMA_VIOLATION', message: 'policy document is not an object' });
  }
  const o = parsed as Record<string, unknown>;
  const raw = o['Statement'];
  const statements = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Record<string, unknown>[];
  return {
    version: typeof o['Version'] === 'string' ? o['Version'] : null,
    statements: statements.map((s) => ({
      sid: typeof s['Sid'] === 'string' ? s['Sid'] : null,
      effect: s['Effect'] === 'Deny' ? 'Deny' : 'Allow',
      principals: principals(s['Principal']),
      not_principals: principals(s['NotPrincipal']),
      actions: list(s['Action']),
      not_actions: list(s['NotAction']),
      resources: list(s['Resource']),
      not_resources: list(s['NotResource']),
      conditions: conditions(s['Condition']),
    })),
  };
}
