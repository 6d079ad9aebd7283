/** At most one email of a kind per account in this period, however often it is asked for (no mail bombs). */
const MAIL_PERIOD_MS = 5 * 60_000;

/** The idempotency key of an account-mail task: the same one for every request within one period. */
export function mailIdempotencyKey(taskType: string, userId: string, now: Date): string {
  return `${taskType}:${userId}:${Math.floor(now.getTime() / MAIL_PERIOD_MS)}`;
}
