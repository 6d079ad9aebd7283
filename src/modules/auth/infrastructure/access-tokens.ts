import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { errors, jwtVerify, SignJWT } from 'jose';
import { PRINCIPAL_ROLES, type Principal, type PrincipalRole } from '../../../infrastructure/auth/principal.js';
import { type AuthConfig, authConfig } from '../../../infrastructure/config/auth.config.js';
import { isId } from '../../../shared/ids.js';
import { SigningKeys } from './signing-keys.js';

/** Why a bearer token was refused; each has its own problem code (`AUTH.TOKEN_<REASON>`). */
export type TokenRejection = 'malformed' | 'invalid' | 'expired' | 'unknown_key' | 'wrong_audience';

export class AccessTokenRejectedError extends Error {
  constructor(
    readonly reason: TokenRejection,
    message: string,
  ) {
    super(message);
    this.name = 'AccessTokenRejectedError';
  }
}

/** RFC 9068's media type for JWT access tokens, checked on the way in so an ID token or any other JWT is refused. */
const ACCESS_TOKEN_TYPE = 'at+jwt';
/** Far above a real token (~400 bytes): anything longer is refused before it is parsed. */
const MAX_TOKEN_LENGTH = 4096;

interface Cached {
  principal: Principal;
  expiresAtMs: number;
}

/**
 * Signs and verifies access tokens: JWTs (RFC 9068 profile) signed with the current signing
 * key, carrying `sub`, `sid` (session), `role`, `iss`, `aud`, `iat`, `exp`, `jti`, and `kid`
 * in the header.
 *
 * A verified token is cached (up to AUTH_TOKEN_CACHE_SIZE, oldest out first) until it expires,
 * so a client's repeated requests skip the signature check. Revocation is not decided here:
 * the guard asks the revocation set on every request, cached or not.
 */
@Injectable()
export class AccessTokens {
  private readonly cache = new Map<string, Cached>();

  constructor(
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
    private readonly keys: SigningKeys,
  ) {}

  /** Lifetime of a new token, in seconds (the `expiresIn` of a token pair). */
  get ttlS(): number {
    return this.config.accessTokenTtlS;
  }

  async issue(principal: Principal): Promise<string> {
    const { key, kid, alg } = this.keys.signing;
    return new SignJWT({ sid: principal.sessionId, role: principal.role })
      .setProtectedHeader({ alg, kid, typ: ACCESS_TOKEN_TYPE })
      .setSubject(principal.userId)
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setIssuedAt()
      .setExpirationTime(`${this.config.accessTokenTtlS}s`)
      .setJti(randomUUID())
      .sign(key);
  }

  /** The principal of a token verified before and not expired since; undefined otherwise. */
  cached(token: string, nowMs = Date.now()): Principal | undefined {
    const entry = this.cache.get(token);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs > nowMs) return entry.principal;
    this.cache.delete(token);
    return undefined;
  }

  async verify(token: string, nowMs = Date.now()): Promise<Principal> {
    const cached = this.cached(token, nowMs);
    if (cached) return cached;
    if (token.length > MAX_TOKEN_LENGTH) throw new AccessTokenRejectedError('malformed', 'The token is too long');
    const { payload } = await jwtVerify(token, this.keys.verificationKeys, {
      issuer: this.config.issuer,
      audience: this.config.audience,
      algorithms: ['EdDSA', 'ES256'],
      typ: ACCESS_TOKEN_TYPE,
      requiredClaims: ['sub', 'sid', 'role', 'exp', 'iat', 'jti'],
      currentDate: new Date(nowMs),
    }).catch((error: unknown) => {
      throw rejection(error);
    });
    const { sub, sid, role, exp } = payload as { sub: unknown; sid: unknown; role: unknown; exp: number };
    if (typeof sub !== 'string' || !isId(sub) || typeof sid !== 'string' || !isId(sid) || !isRole(role))
      throw new AccessTokenRejectedError('invalid', 'The token claims are not those of this API');
    const principal: Principal = { userId: sub, sessionId: sid, role };
    this.remember(token, { principal, expiresAtMs: exp * 1000 });
    return principal;
  }

  private remember(token: string, entry: Cached): void {
    if (this.cache.size >= this.config.tokenCacheSize) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(token, entry);
  }
}

const isRole = (role: unknown): role is PrincipalRole => PRINCIPAL_ROLES.includes(role as PrincipalRole);

function rejection(error: unknown): AccessTokenRejectedError {
  if (error instanceof errors.JWTExpired) return new AccessTokenRejectedError('expired', 'The token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === 'aud'
      ? new AccessTokenRejectedError('wrong_audience', 'The token is for another audience')
      : new AccessTokenRejectedError('invalid', `The token's ${error.claim} claim is not valid here`);
  }
  if (error instanceof errors.JWKSNoMatchingKey)
    return new AccessTokenRejectedError('unknown_key', 'The token is signed by a key this API does not know');
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new AccessTokenRejectedError('invalid', 'The token signature is not valid');
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return new AccessTokenRejectedError('invalid', 'The token is not signed with an algorithm this API accepts');
  return new AccessTokenRejectedError('malformed', 'The token is not a well-formed JWT');
}
