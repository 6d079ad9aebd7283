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

/** The call was refused without trying: the target's circuit is open. */
export class CircuitOpenError extends TransientError {
  constructor(readonly key: string) {
    super(`Circuit for ${key} is open: calls fail fast until the cool-down ends`, 'RESILIENCE.CIRCUIT_OPEN');
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
