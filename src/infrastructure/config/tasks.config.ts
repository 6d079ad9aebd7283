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
    /**
     * Half of one worker's slots by default: a user who fills their share still leaves the
     * other half to everyone else and to the application's own tasks.
     */
    maxRunningPerOwner: env.TASK_MAX_RUNNING_PER_OWNER ?? Math.max(1, Math.floor(env.TASK_CONCURRENCY / 2)),
    idempotencyTtlS: env.TASK_IDEMPOTENCY_TTL_S,
    retentionDays: env.TASK_RETENTION_DAYS,
    /**
     * How long after its first start a task may keep waiting for open circuits without
     * spending attempts; later, a call refused by an open circuit counts as a failed attempt.
     */
    circuitWaitMaxMs: env.TASK_CIRCUIT_WAIT_MAX_MS,
  };
});
export type TasksConfig = ReturnType<typeof tasksConfig>;
