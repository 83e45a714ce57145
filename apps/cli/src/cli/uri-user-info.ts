// `scheme://userinfo@`: the authority's userinfo runs to its last `@` before the path, query or fragment.
// One slash is enough: a URI given as a file path comes back from path.resolve as `…/postgres:/u:p@h`.
const USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/?)[^\s/?#@"'<>]*(?:@[^\s/?#@"'<>]*)*@/gi;
// Query parameters that carry credentials (libpq `password=`, presigned URLs' signatures and tokens).
const SECRET_PARAM =
  /([?&;][a-z_-]*(?:password|passwd|pwd|pass|secret|token|key|auth|sig|signature|credential)=)[^&#\s"']*/gi;

/**
 * Text with the credentials of every URI in it masked: `postgres://user:pass@host/db` becomes
 * `postgres://***@host/db`, and the values of credential query parameters (`?password=`, `sslpassword=`,
 * `X-Amz-Signature=`, `token=` ...) become `***`. For error messages, details and causes: whatever a
 * catalog, warehouse or endpoint URI held, no line `seg` prints repeats its password. Pure.
 */
export function withoutUriUserInfo(text: string): string {
  return text.replace(USER_INFO, '$1***@').replace(SECRET_PARAM, '$1***');
}
