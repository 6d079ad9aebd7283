import { randomBytes } from 'node:crypto';
import { describeWithRedis, testRedisUrl } from '../helpers/redis.js';
import { TASKS_TEST_ENV } from './tasks-api.js';
import { tasksApiSuite } from './tasks-suite.js';

describeWithRedis('tasks API, queues on Redis (e2e)', () => {
  // Test files share the run's Redis: a prefix of their own keeps their jobs apart.
  tasksApiSuite({
    env: { ...TASKS_TEST_ENV, REDIS_URL: testRedisUrl, QUEUE_PREFIX: `tasks_api_${randomBytes(4).toString('hex')}` },
  });
});
