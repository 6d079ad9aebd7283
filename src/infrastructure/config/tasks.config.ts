import { registerAs } from '@nestjs/config';
import { loadEnv } from './load-env.js';

export const tasksConfig = registerAs('tasks', () => {
  const env = loadEnv();
  return {
    concurrency: env.TASK_CONCURRENCY,
    defaultMaxAttempts: env.TASK_MAX_ATTEMPTS,
    lockDurationMs: env.TASK_LOCK_DURATION_MS,
    reconcileIntervalMs: env.TASK_RECONCILE_INTERVAL_MS,
    reconcileAfterMs: env.TASK_RECONCILE_AFTER_MS,
    cancelPollMs: env.TASK_CANCEL_POLL_MS,
  };
});
export type TasksConfig = ReturnType<typeof tasksConfig>;
