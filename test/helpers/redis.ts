/** The run's Redis (started by the jest global setup), when there is one. */
export const testRedisUrl = process.env.TEST_REDIS_URL;

/**
 * `describe` when the run has a Redis; otherwise `describe.skip` with the reason in the name,
 * so the run reports the suite as skipped, never as passed.
 */
export function describeWithRedis(name: string, suite: () => void): void {
  if (testRedisUrl) describe(name, suite);
  else describe.skip(`${name} [SKIPPED: no Redis; install redis-server or set REDIS_URL]`, suite);
}
