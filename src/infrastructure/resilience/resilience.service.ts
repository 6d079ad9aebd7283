import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { TaskCancelledError, TimeoutStrategy, timeout } from 'cockatiel';
import { type ResilienceConfig, resilienceConfig } from '../config/resilience.config.js';
import { type BackoffPolicy, backoffDelay } from './backoff.js';
import {
  type CircuitPermit,
  type CircuitSettings,
  type CircuitStateName,
  CircuitStore,
} from './circuit-store/circuit-store.js';
import { MemoryCircuitStore } from './circuit-store/memory-circuit.store.js';
import { CallTimeoutError, CircuitOpenError, TransientError } from './resilience.errors.js';

export type { CircuitStateName } from './circuit-store/circuit-store.js';

export interface CallOptions {
  /** Cancels the call from outside (a cancelled task, a shutdown); not counted as a failure. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** A trial call may hold a half-open circuit this much longer than its time limit, should its process die. */
const TRIAL_LEASE_SLACK_MS = 5000;

/** The caller gave up (its own signal fired): not the target's fault, so the breaker ignores it. */
class CallerAbortedError extends Error {
  constructor(reason: unknown) {
    super(reason instanceof Error ? reason.message : 'Call aborted by the caller', { cause: reason });
    this.name = 'AbortError';
  }
}

interface Permit {
  key: string;
  trial: boolean;
}

/**
 * One policy for every outbound call: a time limit, and circuit breakers (one per key: "smtp"
 * for mail; the endpoint and the resolved address for webhooks) that open after
 * `CIRCUIT_BREAKER_THRESHOLD` consecutive failures, fail fast while open and let one trial call
 * through after the cool-down.
 *
 * The circuits live in a {@link CircuitStore}: in the application, PostgreSQL or Redis, so
 * every API and worker process sees the same circuits; built by hand (`new
 * ResilienceService(config)`, in unit tests), in memory. A store that cannot be reached does
 * not stop calls: the breaker then lets them through and says so in the log.
 *
 * Retries are not made here: an outbound call inside a task is retried by the task (the
 * queue job), with delays from {@link retryDelay}, so every attempt is durable and visible
 * on the task instead of hidden inside one attempt.
 */
@Injectable()
export class ResilienceService {
  private readonly logger = new Logger('Resilience');
  /** What this process last saw of each circuit that was not closed, for {@link circuitState}. */
  private readonly seen = new Map<string, CircuitStateName>();

  constructor(
    @Inject(resilienceConfig.KEY) private readonly config: Pick<ResilienceConfig, 'retry' | 'timeoutMs' | 'breaker'>,
    @Optional() private readonly store: CircuitStore = new MemoryCircuitStore(),
  ) {}

  /**
   * Runs `call` under the time limit and the circuit breaker of every key in `keys` (all must
   * be closed, or one of them half-open with this call as its trial). `call` receives a signal
   * that fires on timeout or when `options.signal` fires, and must pass it on (to fetch, to
   * the SMTP client). Any error it throws counts as a failure of every key, so throw only for
   * failures that are the target's (5xx, network), and return the other outcomes.
   *
   * @throws {CircuitOpenError} a circuit is open: nothing was tried; its `retryAfterMs` says when to ask again
   * @throws {CallTimeoutError} the call took longer than the limit
   */
  async execute<T>(
    keys: string | readonly string[],
    call: (signal: AbortSignal) => Promise<T>,
    options: CallOptions = {},
  ): Promise<T> {
    const all = typeof keys === 'string' ? [keys] : [...keys];
    const timeoutMs = options.timeoutMs ?? this.config.timeoutMs;
    const settings = this.settings(timeoutMs);
    if (options.signal?.aborted) throw new CallerAbortedError(options.signal.reason);

    const permits: Permit[] = [];
    for (const key of all) {
      const permit = await this.acquire(key, settings);
      const kind = permit.kind;
      if (kind === 'open') {
        await this.releaseTrials(permits);
        this.seen.set(key, 'open');
        throw new CircuitOpenError(key, permit.retryInMs);
      }
      if (kind === 'trial') {
        this.seen.set(key, 'half-open');
        this.logger.log({ circuit: key, state: 'half-open' }, `Circuit ${key} is half-open`);
      }
      permits.push({ key, trial: kind === 'trial' });
    }

    let result: T;
    try {
      result = await timeout(timeoutMs, TimeoutStrategy.Aggressive).execute(
        ({ signal }) => call(signal),
        options.signal,
      );
    } catch (error) {
      // cockatiel reports both its time limit and the caller's abort as TaskCancelledError.
      if (options.signal?.aborted) {
        await this.releaseTrials(permits);
        throw new CallerAbortedError(options.signal.reason);
      }
      await this.recordFailures(permits, settings);
      throw error instanceof TaskCancelledError ? new CallTimeoutError(all.join(' '), timeoutMs) : error;
    }
    await this.recordSuccesses(permits);
    return result;
  }

  /** Delay before retry number `retry` (1 = the first retry), honouring a `TransientError`'s Retry-After. */
  retryDelay(retry: number, error?: unknown, policy: Partial<BackoffPolicy> = {}): number {
    const retryAfterMs = error instanceof TransientError ? error.retryAfterMs : undefined;
    return backoffDelay(retry, { ...this.config.retry, ...policy }, retryAfterMs);
  }

  /** The state of every circuit that is not closed, by key, as the shared store has it. */
  openCircuits(): Promise<Record<string, CircuitStateName>> {
    return this.store.openCircuits(Date.now());
  }

  /**
   * One circuit's state: exact with the in-memory store; with a shared store, as this process
   * last saw it (use {@link openCircuits} for the deployment's view).
   */
  circuitState(key: string): CircuitStateName {
    if (this.store instanceof MemoryCircuitStore) return this.store.stateNow(key, Date.now());
    return this.seen.get(key) ?? 'closed';
  }

  private settings(timeoutMs: number): CircuitSettings {
    return {
      threshold: this.config.breaker.threshold,
      cooldownMs: this.config.breaker.cooldownMs,
      trialLeaseMs: timeoutMs + TRIAL_LEASE_SLACK_MS,
    };
  }

  private async acquire(key: string, settings: CircuitSettings): Promise<CircuitPermit> {
    try {
      return await this.store.acquire(key, Date.now(), settings);
    } catch (error) {
      this.logger.warn({ err: error, circuit: key }, 'Circuit store unavailable: the call goes ahead unguarded');
      return { kind: 'closed' };
    }
  }

  private async recordSuccesses(permits: Permit[]): Promise<void> {
    for (const { key, trial } of permits) {
      await this.guarded(key, () => this.store.recordSuccess(key, trial));
      if (trial || this.seen.has(key)) {
        this.seen.delete(key);
        if (trial) this.logger.log({ circuit: key, state: 'closed' }, `Circuit ${key} is closed`);
      }
    }
  }

  private async recordFailures(permits: Permit[], settings: CircuitSettings): Promise<void> {
    for (const { key, trial } of permits) {
      await this.guarded(key, async () => {
        const { opened } = await this.store.recordFailure(key, trial, Date.now(), settings);
        if (!opened) return;
        this.seen.set(key, 'open');
        const fields = { circuit: key, state: 'open', cooldownMs: settings.cooldownMs };
        if (trial) this.logger.warn(fields, `Circuit ${key} opened again: its trial call failed`);
        else this.logger.warn(fields, `Circuit ${key} opened after ${settings.threshold} consecutive failures`);
      });
    }
  }

  private async releaseTrials(permits: Permit[]): Promise<void> {
    for (const { key, trial } of permits) {
      if (trial) await this.guarded(key, () => this.store.releaseTrial(key));
    }
  }

  private async guarded(key: string, step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.logger.warn({ err: error, circuit: key }, 'Circuit store unavailable: this outcome was not recorded');
    }
  }
}
