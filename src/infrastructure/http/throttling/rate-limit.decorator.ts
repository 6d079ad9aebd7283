import { SetMetadata } from '@nestjs/common';

/**
 * The stricter budgets a route can draw on besides the general one. Each is one counter per
 * key shared by every route that names it (a login and a sign-up spend the same `auth`
 * budget), with its limit from the environment (see `budgetsFrom`).
 *
 * - `auth`: the public identity routes an attacker would hammer (login, sign-up, password
 *   reset, email verification), per client address: `THROTTLE_AUTH_LIMIT`.
 * - `task-submission`: creating work for the workers, per principal: `THROTTLE_TASK_SUBMIT_LIMIT`.
 */
export type NamedBudget = 'auth' | 'task-submission';

const RATE_LIMIT = 'rate-limit:budgets';

/**
 * Makes the route spend the named budgets as well as the general one; a request over any of
 * them answers 429 with `Retry-After`. On a handler or a controller (the handler's wins).
 */
export const RateLimit = (...budgets: [NamedBudget, ...NamedBudget[]]) =>
  SetMetadata<string, NamedBudget[]>(RATE_LIMIT, budgets);

/** The named budgets a handler declared (or else its controller). */
export function namedBudgetsOf(handler: object, controller: object): NamedBudget[] {
  return (Reflect.getMetadata(RATE_LIMIT, handler) ??
    Reflect.getMetadata(RATE_LIMIT, controller) ??
    []) as NamedBudget[];
}
