import { SetMetadata } from '@nestjs/common';
import type { PrincipalRole } from './principal.js';

const POLICY = 'auth:policy';

/**
 * Who may call a route. Every route declares one of these, on the handler or its controller
 * (the handler's wins); the application refuses to start, naming the route, when one does not.
 *
 * - `public`: anyone, signed in or not.
 * - `authenticated`: any signed-in caller.
 * - `role`: signed-in callers with one of the roles; others get 403.
 * - `owner`: any signed-in caller, but the handler reaches only the caller's own objects of
 *   `resource` (admins reach every one). Another caller's object answers exactly as a missing
 *   one does (404), so ids leak nothing.
 */
export type AccessPolicy =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'role'; roles: PrincipalRole[] }
  | { kind: 'owner'; resource: string };

export const Public = () => SetMetadata<string, AccessPolicy>(POLICY, { kind: 'public' });

export const Authenticated = () => SetMetadata<string, AccessPolicy>(POLICY, { kind: 'authenticated' });

export const RequireRole = (...roles: [PrincipalRole, ...PrincipalRole[]]) =>
  SetMetadata<string, AccessPolicy>(POLICY, { kind: 'role', roles });

/** The caller's own `resource` objects (admins: all); see {@link AccessPolicy}. */
export const OwnerOrAdmin = (resource: string) =>
  SetMetadata<string, AccessPolicy>(POLICY, { kind: 'owner', resource });

/** The policy a handler declared (or else its controller), or `undefined` when neither did. */
export function accessPolicyOf(handler: object, controller: object): AccessPolicy | undefined {
  return (Reflect.getMetadata(POLICY, handler) ?? Reflect.getMetadata(POLICY, controller)) as AccessPolicy | undefined;
}

/** `public`, `authenticated`, `role:admin`, `owner:task`: how the wiring report and errors name a policy. */
export function describeAccessPolicy(policy: AccessPolicy): string {
  if (policy.kind === 'role') return `role:${policy.roles.join('|')}`;
  if (policy.kind === 'owner') return `owner:${policy.resource}`;
  return policy.kind;
}
