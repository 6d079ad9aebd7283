import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** How long to keep reading before failing; default 10 s. */
  timeoutMs?: number;
  /** Pause between reads; default 50 ms. */
  intervalMs?: number;
}

/**
 * Reads until `done(value)` holds and returns that value; after `timeoutMs` it fails with
 * `what` and the last value read. For what another process, a listener or a worker does in
 * its own time: a bounded wait, not an assertion on how long it took.
 */
export async function waitFor<T>(
  what: string,
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 50 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await sleep(intervalMs);
    value = await read();
  }
  return value;
}

/** {@link waitFor} on a condition: resolves once `condition()` is true. */
export async function waitUntil(condition: () => boolean, what: string, options?: WaitOptions): Promise<void> {
  await waitFor(what, condition, (holds) => holds, options);
}
