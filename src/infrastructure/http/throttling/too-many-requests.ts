import { ProblemException } from '../problem.exception.js';
import type { Budget } from './rate-limit.budgets.js';

/**
 * The 429 of every budget: problem+json `HTTP.TOO_MANY_REQUESTS`, the budget named in a
 * `budget` member, and `Retry-After` in whole seconds (at least 1, so nobody retries at once).
 */
export function tooManyRequests(budget: Budget, retryAfterS: number, detail: string): ProblemException {
  return new ProblemException(
    429,
    'HTTP.TOO_MANY_REQUESTS',
    detail,
    { budget: budget.name },
    { 'retry-after': String(Math.max(1, Math.ceil(retryAfterS))) },
  );
}
