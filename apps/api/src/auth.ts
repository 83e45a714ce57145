// OIDC bearer tokens (spec §12): a JWT signed by the issuer's keys (JWKS), for this audience, within
// 60 s of its exp/nbf, naming the caller's tenant and roles in configurable claims.
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { SegError } from '@neurocipher/seg-contracts';
import type { SegConfig } from '@neurocipher/seg-runtime';

/** The three roles, each allowed what the ones before it are. */
export const ROLES = ['seg.reader', 'seg.operator', 'seg.admin'] as const;
/** A role of §12. */
export type Role = (typeof ROLES)[number];

/** Who is calling: the tenant and the highest role the token grants. */
export interface Caller {
  subject: string;
  org_id: string;
  role: Role;
}

/** Whether `caller`'s role is at least `needed`. */
export function allows(caller: Caller, needed: Role): boolean {
  return ROLES.indexOf(caller.role) >= ROLES.indexOf(needed);
}

/** Verifies a bearer token into a {@link Caller}. */
export type Authenticator = (authorization: string | undefined) => Promise<Caller>;

function unauthenticated(message: string): SegError {
  // Not a §14 code of its own: the API maps it to 401 by `details.status`.
  return new SegError({
    error_code: 'SEG_INVALID_ARGUMENT',
    message,
    details: { status: 401 },
    retryable: false,
  });
}

/** The authenticator of `config.oidc` (the JWKS is fetched and cached by jose; a file is read once). */
export function oidcAuthenticator(oidc: NonNullable<SegConfig['oidc']>, cwd = process.cwd()): Authenticator {
  const keys: JWTVerifyGetKey =
    oidc.jwks_uri !== undefined
      ? createRemoteJWKSet(new URL(oidc.jwks_uri))
      : createLocalJWKSet(JSON.parse(readFileSync(new URL(oidc.jwks_file!, `file://${cwd}/`), 'utf8')));
  return async (authorization) => {
    const token = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization ?? '')?.[1];
    if (token === undefined) throw unauthenticated('a bearer token is required');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: oidc.issuer,
        audience: oidc.audience,
        clockTolerance: 60,
        algorithms: ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'],
      }));
    } catch {
      // The reason (expired, wrong audience, bad signature…) is not told to the caller.
      throw unauthenticated('the bearer token is not valid');
    }
    const org_id = payload[oidc.tenant_claim];
    const claimed = payload[oidc.roles_claim];
    const roles = Array.isArray(claimed) ? claimed : typeof claimed === 'string' ? claimed.split(' ') : [];
    const role = [...ROLES].reverse().find((r) => roles.includes(r));
    if (typeof org_id !== 'string' || org_id === '' || role === undefined)
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'the token names no tenant or no SEG role',
        details: { status: 403 },
        retryable: false,
      });
    return { subject: String(payload['sub'] ?? ''), org_id, role };
  };
}
