import { PermanentError, TransientError } from '../../../infrastructure/resilience/resilience.errors.js';
import type { TaskFailure } from '../domain/task.js';

/** What the task's owner reads for a failure whose message is not public (see `tasks.contracts.ts`). */
export const HANDLER_FAILED: Omit<TaskFailure, 'attempt'> = {
  code: 'TASKS.HANDLER_FAILED',
  message: 'The task failed; the logs hold the details under its taskId',
};

/**
 * The failure as stored and shown to the task's owner. Only `PermanentError` and
 * `TransientError` (and their subclasses) carry a message written for the owner; anything
 * else may hold internal details (addresses, host names, driver messages), so its text
 * stays in the logs and the owner reads a fixed one.
 */
export function failureOf(error: unknown, attempt: number): TaskFailure {
  if (error instanceof PermanentError || error instanceof TransientError) {
    return { code: error.code, message: error.message, attempt };
  }
  return { ...HANDLER_FAILED, attempt };
}
