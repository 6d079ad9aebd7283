import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export const PRINCIPAL_ROLES = ['user', 'admin'] as const;
export type PrincipalRole = (typeof PRINCIPAL_ROLES)[number];

/** Who is calling: set on the request by the authentication guard from a verified access token. */
export interface Principal {
  userId: string;
  /** The session (device) the access token belongs to. */
  sessionId: string;
  role: PrincipalRole;
}

type WithPrincipal = FastifyRequest & { principal?: Principal };

export function setPrincipal(request: FastifyRequest, principal: Principal): void {
  (request as WithPrincipal).principal = principal;
}

/** The caller of a request that passed the guard; undefined on a public route called anonymously. */
export function principalOf(request: FastifyRequest): Principal | undefined {
  return (request as WithPrincipal).principal;
}

/**
 * The authenticated caller, as a handler parameter. Only on routes that are not `@Public()`:
 * the guard has refused every anonymous request before the handler runs.
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = principalOf(context.switchToHttp().getRequest<FastifyRequest>());
  if (!principal) throw new Error('@CurrentPrincipal() on a route the authentication guard let through anonymously');
  return principal;
});
