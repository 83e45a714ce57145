import { SegError } from '@neurocipher/seg-contracts';

/** Where the Iceberg catalog is: an embedded SQLite file, a PostgreSQL database, or a REST catalog. */
export type CatalogLocation =
  { kind: 'sqlite'; path: string } | { kind: 'postgres'; uri: string } | { kind: 'rest'; uri: string };

/** Where a store's files are: a local folder, or a bucket and key prefix on S3. */
export type StoreLocation =
  { kind: 'file'; path: string } | { kind: 's3'; bucket: string; prefix: string; uri: string };

/** Where a key is: a local file, or an AWS KMS key (id, ARN, alias name or alias ARN). */
export type KeyLocation = { kind: 'file'; path: string } | { kind: 'awskms'; key_id: string };

// S3 bucket names: 3 to 63 of a-z 0-9 . -, starting and ending with a letter or digit.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// KMS key ids: a key id (UUID or mrk-…), a key ARN, an alias name or an alias ARN.
const KMS_KEY =
  /^(?:[A-Za-z0-9-]{1,64}|alias\/[A-Za-z0-9/_-]{1,250}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key|alias)\/[A-Za-z0-9/_-]{1,250})$/;

/** Why `value` is not a catalog location (for the config schema), or `null` when it is one. */
export function catalogProblem(value: string): string | null {
  if (value.startsWith('sqlite:')) return value.length > 'sqlite:'.length ? null : 'sqlite: needs a path';
  if (/^postgres(?:ql)?:\/\//.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return 'must be postgres://USER@HOST:PORT/DATABASE';
    }
    if (url.password !== '' || /[?&]password=/i.test(url.search))
      return 'must not hold a password: give it in PGPASSWORD (or ~/.pgpass), which is never printed';
    if (url.hostname === '' || url.pathname.length < 2) return 'must be postgres://USER@HOST:PORT/DATABASE';
    return null;
  }
  if (value.startsWith('rest:')) {
    const rest = value.slice('rest:'.length);
    return /^https?:\/\/[^/\s]+/.test(rest)
      ? null
      : 'rest: needs an http(s) URL, e.g. rest:http://127.0.0.1:8181';
  }
  return 'must start with sqlite:, postgres:// or rest:';
}

/** Why `value` is not a store location, or `null`. A bare path is a `file:` path. */
export function storeProblem(value: string): string | null {
  if (value.startsWith('s3://')) {
    const [bucket = '', ...rest] = value.slice('s3://'.length).split('/');
    if (!BUCKET.test(bucket)) return 'the bucket of s3://BUCKET/PREFIX must be 3 to 63 of a-z 0-9 . -';
    if (rest.some((part, i) => part === '' && i < rest.length - 1) || rest.includes('..'))
      return 'the prefix of s3://BUCKET/PREFIX must be /-separated names';
    return null;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return 'must be file:PATH or s3://BUCKET/PREFIX';
  return value === '' || value === 'file:' ? 'needs a path' : null;
}

/** Why `value` is not a key location, or `null`. A bare path is a `file:` path. */
export function keyProblem(value: string): string | null {
  if (value.startsWith('awskms:'))
    return KMS_KEY.test(value.slice('awskms:'.length))
      ? null
      : 'awskms: needs a KMS key id, key ARN, alias/NAME or alias ARN';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return 'must be file:PATH or awskms:KEY_ID_OR_ARN';
  return value === '' || value === 'file:' ? 'needs a path' : null;
}

function invalid(key: string, value: string, problem: string): SegError {
  return new SegError({
    error_code: 'SEG_INVALID_ARGUMENT',
    message: `invalid config: ${key}: ${problem}`,
    details: { key, value },
  });
}

/** The catalog a validated `catalog` setting names. */
export function catalogLocation(value: string): CatalogLocation {
  const problem = catalogProblem(value);
  if (problem !== null) throw invalid('catalog', value, problem);
  if (value.startsWith('sqlite:')) return { kind: 'sqlite', path: value.slice('sqlite:'.length) };
  if (value.startsWith('rest:')) return { kind: 'rest', uri: value.slice('rest:'.length) };
  return { kind: 'postgres', uri: value };
}

/** The store a validated `warehouse` or `blobs` setting names (`key` names it in errors). */
export function storeLocation(key: string, value: string): StoreLocation {
  const problem = storeProblem(value);
  if (problem !== null) throw invalid(key, value, problem);
  if (value.startsWith('s3://')) {
    const trimmed = value.replace(/\/+$/, '');
    const [bucket = '', ...rest] = trimmed.slice('s3://'.length).split('/');
    return { kind: 's3', bucket, prefix: rest.join('/'), uri: trimmed };
  }
  return { kind: 'file', path: value.startsWith('file:') ? value.slice('file:'.length) : value };
}

/** The key a validated `signing_key` or `master_key` setting names (`key` names it in errors). */
export function keyLocation(key: string, value: string): KeyLocation {
  const problem = keyProblem(value);
  if (problem !== null) throw invalid(key, value, problem);
  if (value.startsWith('awskms:')) return { kind: 'awskms', key_id: value.slice('awskms:'.length) };
  return { kind: 'file', path: value.startsWith('file:') ? value.slice('file:'.length) : value };
}
