/**
 * A failure worth retrying later (network error, timeout, 5xx, 429). `retryAfterMs` carries
 * the target's `Retry-After`, which the retry delay honours as a floor.
 */
export class TransientError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TransientError';
  }
}

/** A failure that retrying cannot fix (a 4xx answer, a refused address): the work fails at once. */
export class PermanentError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}

/**
 * Nothing was tried: the target is known to be failing, and asking again makes sense after
 * `retryAfterMs`. A task that throws it waits that long without spending an attempt (see
 * `TaskExecutor`). The message and code are the owner's to read, like a `TransientError`'s.
 */
export class NotAttemptedError extends TransientError {
  constructor(
    message: string,
    code: string,
    override readonly retryAfterMs: number,
  ) {
    super(message, code, retryAfterMs);
    this.name = 'NotAttemptedError';
  }
}

/** The call was refused without trying: the target's circuit is open for another `retryAfterMs`. */
export class CircuitOpenError extends NotAttemptedError {
  constructor(
    readonly key: string,
    retryAfterMs: number,
  ) {
    super(
      `Circuit for ${key} is open: calls fail fast until the cool-down ends`,
      'RESILIENCE.CIRCUIT_OPEN',
      retryAfterMs,
    );
    this.name = 'CircuitOpenError';
  }
}

/** The call took longer than its time limit and was aborted. */
export class CallTimeoutError extends TransientError {
  constructor(key: string, timeoutMs: number) {
    super(`Call to ${key} timed out after ${timeoutMs} ms`, 'RESILIENCE.TIMEOUT');
    this.name = 'CallTimeoutError';
  }
}
