import { TASKS_TEST_ENV } from './tasks-api.js';
import { tasksApiSuite } from './tasks-suite.js';

describe('tasks API, queues on PostgreSQL (e2e)', () => {
  tasksApiSuite({ env: { ...TASKS_TEST_ENV, REDIS_URL: undefined } });
});
