// An identity provider for tests: one ES256 key, its JWKS (what `oidc.jwks_file` names), and bearer tokens
// with the claims the API reads (`org_id`, `roles`), signed with it.
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

/** Options of {@link createTokenMinter}. */
export interface TokenMinterOptions {
  /** `oidc.issuer` of the API's settings. */
  issuer: string;
  /** `oidc.audience` of the API's settings. */
  audience: string;
  /** Key id in the JWKS and the tokens' header; `fixture-1` by default. */
  kid?: string | undefined;
}

/** What a token carries. */
export interface TokenClaims {
  org_id: string;
  /** `['seg.operator']` by default (it may queue and read runs). */
  roles?: readonly string[] | undefined;
  /** Seconds until it expires; 3,600 by default. */
  ttl_s?: number | undefined;
  /** `sub`; `fixture-user` by default. */
  subject?: string | undefined;
}

/** Signs bearer tokens the API accepts, for the keys in {@link TokenMinter.jwks}. */
export interface TokenMinter {
  readonly issuer: string;
  readonly audience: string;
  /** The public key set, `{keys: [<ES256 JWK>]}`: write it to the API's `oidc.jwks_file`. */
  readonly jwks: { keys: Array<Record<string, unknown>> };
  /** A signed JWT with `claims`, issued now. */
  mint(claims: TokenClaims): Promise<string>;
}

/** A minter with a fresh ES256 key of its own. */
export async function createTokenMinter(options: TokenMinterOptions): Promise<TokenMinter> {
  const kid = options.kid ?? 'fixture-1';
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return {
    issuer: options.issuer,
    audience: options.audience,
    jwks: { keys: [jwk] },
    mint: async (claims) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ org_id: claims.org_id, roles: [...(claims.roles ?? ['seg.operator'])] })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(claims.subject ?? 'fixture-user')
        .setIssuedAt(now)
        .setExpirationTime(now + (claims.ttl_s ?? 3_600))
        .sign(privateKey);
    },
  };
}
