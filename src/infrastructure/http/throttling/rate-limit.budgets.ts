import type { HttpConfig } from '../../config/http.config.js';
import type { NamedBudget } from './rate-limit.decorator.js';

/** One kind of counter: how many hits per window, and whose hits count together. */
export interface Budget {
  /** Names the counters (`<name>:<subject>`) and the `budget` member of a 429. */
  name: 'general' | 'auth-failures' | NamedBudget;
  limit: number;
  ttlMs: number;
  /**
   * `principal`: the signed-in user's id, or the client address for an anonymous request.
   * `address`: always the client address (the public identity routes, failed authentications).
   */
  per: 'principal' | 'address';
}

/**
 * Every budget with its limit from the environment. `general` is spent by every throttled
 * request, once whatever the route; a `@RateLimit` route also spends its named budgets;
 * `auth-failures` counts the 401s of an address (see `AuthenticationFailureGuard`).
 */
export class RateLimitBudgets {
  readonly general: Budget;
  readonly authFailures: Budget;
  readonly named: Readonly<Record<NamedBudget, Budget>>;

  constructor(throttle: HttpConfig['throttle']) {
    const ttlMs = throttle.ttlMs;
    this.general = { name: 'general', limit: throttle.limit, ttlMs, per: 'principal' };
    this.authFailures = { name: 'auth-failures', limit: throttle.authFailureLimit, ttlMs, per: 'address' };
    this.named = {
      auth: { name: 'auth', limit: throttle.authLimit, ttlMs, per: 'address' },
      'task-submission': { name: 'task-submission', limit: throttle.taskSubmitLimit, ttlMs, per: 'principal' },
    };
  }
}
