import { isDatabaseUnavailable } from '../database/postgres-errors.js';
import { ProblemException } from '../http/problem.exception.js';
import { isRedisUnavailable } from '../redis/redis-errors.js';
import { TimeoutError, withTimeout } from '../../shared/with-timeout.js';

/** What a request could not reach. Logged, never shown to the client (it maps the deployment). */
export type Dependency = 'database' | 'redis' | 'queue' | 'rate-limit store';

/**
 * `Retry-After` of every {@link DependencyUnavailableError}: DEPENDENCY_RETRY_AFTER_S, set by
 * `ResilienceModule` at startup. Process-wide because the problem filter, which also turns
 * errors from guards into this one, is built outside dependency injection.
 */
let retryAfterS = 5;

export function setDependencyRetryAfter(seconds: number): void {
  retryAfterS = seconds;
}

/**
 * A dependency of the request (PostgreSQL, Redis, the queue backend, the rate-limit store)
 * could not be reached or missed its deadline: 503 problem+json `HTTP.DEPENDENCY_UNAVAILABLE`
 * with `Retry-After`, never a 500 and never an open-ended wait. The client learns that trying
 * again later makes sense, not which dependency failed; the log names it (`dependency`) and
 * carries the driver's error as `cause`.
 */
export class DependencyUnavailableError extends ProblemException {
  constructor(
    readonly dependency: Dependency,
    cause?: unknown,
  ) {
    super(
      503,
      'HTTP.DEPENDENCY_UNAVAILABLE',
      `A service this request needs is unavailable; try again in ${retryAfterS} s`,
      {},
      { 'retry-after': String(retryAfterS) },
    );
    this.cause = cause;
  }
}

/**
 * The error as a {@link DependencyUnavailableError} when it says a dependency was out of reach
 * (a connection refused, closed or timed out, a server shutting down or still starting, a
 * statement cancelled by its timeout, ioredis giving up on a command), or undefined when it is
 * some other failure. A {@link TimeoutError} counts only when the caller names `dependency`.
 */
export function asDependencyUnavailable(
  error: unknown,
  dependency?: Dependency,
): DependencyUnavailableError | undefined {
  if (error instanceof DependencyUnavailableError) return error;
  if (isRedisUnavailable(error)) return new DependencyUnavailableError(dependency ?? 'redis', error);
  if (isDatabaseUnavailable(error)) return new DependencyUnavailableError(dependency ?? 'database', error);
  if (error instanceof TimeoutError && dependency) return new DependencyUnavailableError(dependency, error);
  return undefined;
}

/**
 * `work` with a deadline: past `ms`, or when it fails because `dependency` is out of reach,
 * rejects with a {@link DependencyUnavailableError}; other failures pass through. The work
 * itself is not cancelled: the caller must be fine with it completing later.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, dependency: Dependency): Promise<T> {
  return withTimeout(work, ms).catch((error: unknown) => {
    throw asDependencyUnavailable(error, dependency) ?? error;
  });
}
