import { SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { PrincipalRole } from './principal.js';

const PUBLIC = 'auth:public';
const ROLES = 'auth:roles';

/**
 * Who may call a route. Routes are closed by default: without a decorator, only an
 * authenticated caller gets through. `@Public()` opens a route (or a controller) to anyone;
 * `@RequireRole('admin')` narrows it to callers with one of the roles.
 */
export const Public = () => SetMetadata(PUBLIC, true);

export const RequireRole = (...roles: PrincipalRole[]) => SetMetadata(ROLES, roles);

export type AccessPolicy = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'role'; roles: PrincipalRole[] };

/** The policy of a handler, from its own decorators or else its controller's. */
export function accessPolicyOf(reflector: Reflector, handler: object, controller: object): AccessPolicy {
  const targets = [handler, controller] as Parameters<Reflector['getAllAndOverride']>[1];
  if (reflector.getAllAndOverride<boolean | undefined>(PUBLIC, targets)) return { kind: 'public' };
  const roles = reflector.getAllAndOverride<PrincipalRole[] | undefined>(ROLES, targets);
  return roles?.length ? { kind: 'role', roles } : { kind: 'authenticated' };
}
