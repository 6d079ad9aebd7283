import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { type AccessPolicy, accessPolicyOf } from '../../../infrastructure/auth/access-policy.js';
import { type Principal, setPrincipal } from '../../../infrastructure/auth/principal.js';
import { BEARER_CHALLENGE } from '../../../infrastructure/http/problem-details.filter.js';
import { ProblemException } from '../../../infrastructure/http/problem.exception.js';
import { AccessTokenRejectedError, AccessTokens } from '../infrastructure/access-tokens.js';
import { RevocationSet } from '../infrastructure/revocation-set.js';

/** What a route without a declared policy gets: no role admits anyone. */
const UNDECLARED: AccessPolicy = { kind: 'role', roles: [] };

/** RFC 6750 section 2.1: `Bearer` and a b64token, the scheme case-insensitive. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** A 401 with the RFC 6750 challenge; `error="invalid_token"` once a token was presented. */
function unauthenticated(code: string, detail: string, tokenPresented: boolean): ProblemException {
  const challenge = tokenPresented
    ? `${BEARER_CHALLENGE}, error="invalid_token", error_description="${detail}"`
    : BEARER_CHALLENGE;
  return new ProblemException(401, code, detail, {}, { 'www-authenticate': challenge });
}

/**
 * The global authentication guard: every route is closed unless it is `@Public()`. It checks
 * the bearer token (signature, `kid`, issuer, audience, expiry), then that its session is not
 * revoked, then the route's role, and puts the principal on the request and the user id on
 * every log line of the request (never the token). Public routes ignore the header, so a
 * stale token never stands in the way of logging in again.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly revocations: RevocationSet,
    private readonly logger: PinoLogger,
  ) {}

  /**
   * Synchronous when the token is in the cache and revocations are being listened to (the
   * usual case): no promise, no extra turn of the event loop on the hot path.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    // Startup refuses a route without a policy (WiringCheck); should one slip through, it stays shut.
    const policy = accessPolicyOf(context.getHandler(), context.getClass()) ?? UNDECLARED;
    if (policy.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    if (header === undefined) throw unauthenticated('AUTH.TOKEN_MISSING', 'This route needs a bearer token', false);
    const token = BEARER.exec(header)?.[1];
    if (token === undefined)
      throw unauthenticated(
        'AUTH.TOKEN_MALFORMED',
        'The Authorization header is not the Bearer scheme with a token',
        true,
      );

    const cached = this.tokens.cached(token);
    if (cached) return this.admit(request, cached, policy);
    return this.tokens.verify(token).then(
      (principal) => this.admit(request, principal, policy),
      (error: unknown) => {
        if (error instanceof AccessTokenRejectedError)
          throw unauthenticated(`AUTH.TOKEN_${error.reason.toUpperCase()}`, error.message, true);
        throw error;
      },
    );
  }

  private admit(request: FastifyRequest, principal: Principal, policy: AccessPolicy): boolean | Promise<boolean> {
    const revoked = this.revocations.isRevoked(principal.sessionId);
    if (typeof revoked !== 'boolean')
      return revoked.then((isRevoked) => this.finish(request, principal, policy, isRevoked));
    return this.finish(request, principal, policy, revoked);
  }

  private finish(request: FastifyRequest, principal: Principal, policy: AccessPolicy, revoked: boolean): boolean {
    if (revoked)
      throw unauthenticated('AUTH.SESSION_REVOKED', 'The session of this token has ended: log in again', true);
    if (policy.kind === 'role' && !policy.roles.includes(principal.role))
      throw new ProblemException(403, 'AUTH.FORBIDDEN', `This route is for the role ${policy.roles.join(' or ')}`);
    setPrincipal(request, principal);
    this.logger.assign({ userId: principal.userId });
    return true;
  }
}
