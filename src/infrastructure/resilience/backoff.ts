export interface BackoffPolicy {
  /** Delay before the first retry; each later retry doubles it. */
  baseDelayMs: number;
  /** Cap of the doubled delay. */
  maxDelayMs: number;
}

/** A `Retry-After` longer than this is not honoured in full: the task would look lost. */
export const RETRY_AFTER_CAP_MS = 60 * 60 * 1000;

/**
 * Exponential backoff with "equal jitter": retry `n` waits between half and all of
 * `min(max, base * 2^(n-1))`. The random half spreads retries of many failing jobs apart (no
 * thundering herd); the fixed half keeps every gap at least as long as the one before, so
 * a struggling target gets more room each time. A `Retry-After` from the target is a floor.
 */
export function backoffDelay(
  retry: number,
  policy: BackoffPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const delay = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  return retryAfterMs === undefined ? delay : Math.max(delay, Math.min(retryAfterMs, RETRY_AFTER_CAP_MS));
}

/** Most a {@link spreadDelay} adds. */
const SPREAD_CAP_MS = 5000;

/**
 * `ms` (a circuit's remaining open time, say) plus up to a quarter more, at most 5 s more:
 * callers told to come back at the same moment come back spread out, not all at once.
 */
export function spreadDelay(ms: number, random: () => number = Math.random): number {
  return ms + Math.round(random() * Math.min(ms / 4, SPREAD_CAP_MS));
}

/**
 * Parses an HTTP `Retry-After` header (seconds, or an HTTP date) into milliseconds from `now`;
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its weekday and month; without letters, Date.parse would still guess one.
  if (!/[A-Za-z]/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
