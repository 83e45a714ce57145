// Detection by field name: a value stored under a key that names a secret is a secret when it looks like one.

// Words that make a field name a secret's, matched on the key lowercased with `_`, `-`, `.` and spaces removed
// (`SecretAccessKey`, `db_password`, `client-secret`, `Private Key`, `x-api-key`, `ConnectionString`).
const SECRET_FIELD =
  /secret|password|passwd|passphrase|pwd|privatekey|privkey|credential|apikey|authkey|accesskey|accountkey|clientkey|signingkey|masterkey|connectionstring|connstr|sastoken/;
// Words that name a field that may hold a secret or a setting (`SessionToken` and `Authorization` hold
// one, `http_tokens: "required"` does not): its value is taken only when it looks like a token.
const TOKEN_FIELD = /token|authorization|cookie|sessionkey/;

// Field names that contain a secret word but hold metadata about the secret, never the secret itself:
// an id, name, ARN, type, date, count, length, policy, status (`SecretArn`, `TokenType`, `PasswordLastUsed`,
// `AccessKeyId`, `password_enabled`, `MinimumPasswordLength`). Their values still go through the detectors
// by value, so an actual secret under such a name is still found.
const METADATA_FIELD =
  /(?:id|ids|arn|arns|name|names|type|types|date|time|at|age|used|count|length|enabled|required|reuseprevention|policy|policies|status|state|version|versionid|expires|expiry|expiration|metadata|rotation|lastrotated|present|set|kind|changed|created|updated|modified|rotated|spec|usage|origin|manager|format|algorithm|length|size)$/;

/** How a field name marks its value: a `secret` field, a `token` field, or null (no secret in the name). */
export type SecretField = 'secret' | 'token' | null;

/** The kind of secret field a name is (see the word lists above); metadata fields about a secret are none. */
export function secretFieldOf(key: string): SecretField {
  const k = key.toLowerCase().replace(/[\s_.-]/g, '');
  if (METADATA_FIELD.test(k)) return null;
  if (SECRET_FIELD.test(k)) return 'secret';
  return TOKEN_FIELD.test(k) ? 'token' : null;
}

/** Whether a field name names a secret or a token. */
export function isSecretFieldName(key: string): boolean {
  return secretFieldOf(key) !== null;
}

// A token: no spaces, at least 12 characters, and letters mixed with digits or symbols.
const TOKEN_LIKE = /^(?=.*[A-Za-z])(?=.*[0-9+/=_.~-])\S{12,}$/;

/** Whether `value` under a field of `field`'s kind is taken as the secret (see {@link isSecretLikeValue}). */
export function isFieldSecret(field: Exclude<SecretField, null>, value: string): boolean {
  if (!isSecretLikeValue(value)) return false;
  return (
    field === 'secret' ||
    TOKEN_LIKE.test(value.trim()) ||
    /^(?:bearer|basic|token)\s+\S{8,}/i.test(value.trim())
  );
}

const KEPT_WORDS = new Set([
  'true',
  'false',
  'yes',
  'no',
  'null',
  'none',
  'on',
  'off',
  'enabled',
  'disabled',
  'n/a',
  'not_supported',
  'no_information',
]);
const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const IDENTIFIER = /^(?:arn|urn):/i;
const PLACEHOLDER = /^\[REDACTED(?::[a-z0-9_]+)?\]$/;

/**
 * Whether a string under a secret field name is a secret: anything but a value that only describes
 * one: empty or one character, a boolean word (or `N/A`), a number, a date or RFC 3339 date-time, an ARN or URN,
 * or a redaction placeholder. So `PasswordLastUsed: "2026-…"`, `password_enabled: "true"` and
 * `SecretArn: "arn:aws:…"` keep their meaning.
 */
export function isSecretLikeValue(value: string): boolean {
  const v = value.trim();
  if (v.length < 2) return false;
  if (KEPT_WORDS.has(v.toLowerCase())) return false;
  return !NUMBER.test(v) && !DATE.test(v) && !IDENTIFIER.test(v) && !PLACEHOLDER.test(v);
}

/** The redaction kind of a secret field: its name in snake case (`SecretAccessKey` → `secret_access_key`). */
export function fieldKind(key: string): string {
  const kind = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return kind.length > 0 && kind.length <= 48 ? kind : 'secret_field';
}
