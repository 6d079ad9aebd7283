import { describeIf } from './describe-if.js';

/** The run's Redis (started by the jest global setup), when there is one. */
export const testRedisUrl = process.env.TEST_REDIS_URL;

/** `describe` when the run has a Redis; otherwise reported as skipped (see describeIf). */
export const describeWithRedis = describeIf(Boolean(testRedisUrl), 'no Redis; install redis-server or set REDIS_URL');
