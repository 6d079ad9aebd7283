import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  TaskCancelledError,
  timeout,
} from 'cockatiel';
import { type ResilienceConfig, resilienceConfig } from '../config/resilience.config.js';
import { type BackoffPolicy, backoffDelay } from './backoff.js';
import { CallTimeoutError, CircuitOpenError, TransientError } from './resilience.errors.js';

export interface CallOptions {
  /** Cancels the call from outside (a cancelled task, a shutdown); not counted as a failure. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

export type CircuitStateName = 'closed' | 'open' | 'half-open';

/** Closed circuits beyond this many are forgotten, oldest first, so many one-off targets cannot grow the map forever. */
const MAX_TRACKED_CIRCUITS = 1000;

/** The caller gave up (its own signal fired): not the target's fault, so the breaker ignores it. */
class CallerAbortedError extends Error {
  constructor(reason: unknown) {
    super(reason instanceof Error ? reason.message : 'Call aborted by the caller', { cause: reason });
    this.name = 'AbortError';
  }
}

/**
 * One policy for every outbound call: a time limit, and a circuit breaker per target (a host
 * for webhooks, "smtp" for mail) that opens after `CIRCUIT_BREAKER_THRESHOLD` consecutive
 * failures, fails fast while open and lets one trial call through after the cool-down.
 *
 * Retries are not made here: an outbound call inside a task is retried by the task (the
 * queue job), with delays from {@link retryDelay}, so every attempt is durable and visible
 * on the task instead of hidden inside one attempt.
 */
@Injectable()
export class ResilienceService {
  private readonly logger = new Logger('Resilience');
  private readonly circuits = new Map<string, CircuitBreakerPolicy>();

  constructor(@Inject(resilienceConfig.KEY) private readonly config: ResilienceConfig) {}

  /**
   * Runs `call` under the time limit and `key`'s circuit breaker. `call` receives a signal
   * that fires on timeout or when `options.signal` fires, and must pass it on (to fetch, to
   * the SMTP client). Any error it throws counts as a failure of the target, so throw only
   * for failures that are the target's (5xx, network), and return the other outcomes.
   *
   * @throws {CircuitOpenError} the circuit is open: nothing was tried
   * @throws {CallTimeoutError} the call took longer than the limit
   */
  async execute<T>(key: string, call: (signal: AbortSignal) => Promise<T>, options: CallOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.config.timeoutMs;
    // cockatiel reports both its time limit and the caller's abort as TaskCancelledError; tell
    // them apart here, inside the breaker, so that its filter ignores the caller's aborts.
    const ownError = (error: unknown) => {
      if (options.signal?.aborted) return new CallerAbortedError(options.signal.reason);
      return error instanceof TaskCancelledError ? new CallTimeoutError(key, timeoutMs) : error;
    };
    try {
      return await this.circuitFor(key).execute(async () => {
        try {
          return await timeout(timeoutMs, TimeoutStrategy.Aggressive).execute(
            ({ signal }) => call(signal),
            options.signal,
          );
        } catch (error) {
          throw ownError(error);
        }
      }, options.signal);
    } catch (error) {
      // Not cockatiel's isTaskCancelledError/isBrokenCircuitError helpers: in 3.2.1 the former checks the wrong property.
      if (error instanceof BrokenCircuitError) throw new CircuitOpenError(key);
      throw ownError(error);
    }
  }

  /** Delay before retry number `retry` (1 = the first retry), honouring a `TransientError`'s Retry-After. */
  retryDelay(retry: number, error?: unknown, policy: Partial<BackoffPolicy> = {}): number {
    const retryAfterMs = error instanceof TransientError ? error.retryAfterMs : undefined;
    return backoffDelay(retry, { ...this.config.retry, ...policy }, retryAfterMs);
  }

  /** The state of every circuit that is not closed, by key. */
  openCircuits(): Record<string, CircuitStateName> {
    const open: Record<string, CircuitStateName> = {};
    for (const [key, breaker] of this.circuits) {
      if (breaker.state !== CircuitState.Closed) open[key] = stateName(breaker.state);
    }
    return open;
  }

  circuitState(key: string): CircuitStateName {
    return stateName(this.circuits.get(key)?.state ?? CircuitState.Closed);
  }

  private circuitFor(key: string): CircuitBreakerPolicy {
    const existing = this.circuits.get(key);
    if (existing) return existing;
    if (this.circuits.size >= MAX_TRACKED_CIRCUITS) this.forgetOldestClosed();

    const breaker = circuitBreaker(
      handleWhen((error) => !(error instanceof CallerAbortedError)),
      {
        halfOpenAfter: this.config.breaker.cooldownMs,
        breaker: new ConsecutiveBreaker(this.config.breaker.threshold),
      },
    );
    breaker.onStateChange((state) => {
      const fields = { circuit: key, state: stateName(state) };
      if (state === CircuitState.Open) {
        this.logger.warn(
          { ...fields, cooldownMs: this.config.breaker.cooldownMs },
          `Circuit ${key} opened after ${this.config.breaker.threshold} consecutive failures`,
        );
      } else {
        this.logger.log(fields, `Circuit ${key} is ${stateName(state)}`);
      }
    });
    this.circuits.set(key, breaker);
    return breaker;
  }

  private forgetOldestClosed(): void {
    for (const [key, breaker] of this.circuits) {
      if (breaker.state === CircuitState.Closed) {
        this.circuits.delete(key);
        return;
      }
    }
  }
}

function stateName(state: CircuitState): CircuitStateName {
  if (state === CircuitState.Closed) return 'closed';
  return state === CircuitState.HalfOpen ? 'half-open' : 'open';
}
