import { SubmitTaskCommand } from '../../tasks/tasks.contracts.js';

/** At most one email of a kind per account in this period, however often it is asked for (no mail bombs). */
const MAIL_PERIOD_MS = 5 * 60_000;

/**
 * The submission of an account-mail task asked for by a request: its idempotency key is the
 * same for every request within one period, so asking again returns the queued task.
 */
export function accountMailTask(taskType: string, userId: string, now: Date): SubmitTaskCommand {
  return new SubmitTaskCommand({
    type: taskType,
    payload: { userId },
    idempotencyKey: `${taskType}:${userId}:${Math.floor(now.getTime() / MAIL_PERIOD_MS)}`,
  });
}
