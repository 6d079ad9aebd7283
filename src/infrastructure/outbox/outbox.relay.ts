import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventEmitter2, EventEmitterReadinessWatcher } from '@nestjs/event-emitter';
import { PinoLogger } from 'nestjs-pino';
import pLimit, { type LimitFunction } from 'p-limit';
import { DomainError } from '../../shared/domain-error.js';
import { withTimeout } from '../../shared/with-timeout.js';
import { type OutboxConfig, outboxConfig } from '../config/outbox.config.js';
import { backoffDelay } from '../resilience/backoff.js';
import type { ClaimedOutboxEvent, DeliveryOutcome, FailedDelivery } from './outbox-event.js';
import { OutboxRepository } from './outbox.repository.js';

/** Delay before the first retry of a failed delivery; each later retry doubles it, up to OUTBOX_RETRY_MAX_DELAY_MS. */
export const OUTBOX_RETRY_BASE_DELAY_MS = 1000;

/** `last_error` of a delivery that failed other than with a domain error (which records its own code). */
export const OUTBOX_ERROR = {
  /** Nothing listens (yet, or any more: a process shutting down unsubscribes its listeners). */
  noListener: 'OUTBOX.NO_LISTENER',
  /** A listener threw, or did not finish within OUTBOX_LISTENER_TIMEOUT_MS; the log line says which. */
  listenerFailed: 'OUTBOX.LISTENER_FAILED',
} as const;

class NoListenerError extends Error {
  constructor(event: string) {
    super(`nothing listens to ${event}`);
  }
}

/**
 * Delivers stored integration events to their listeners (`@nestjs/event-emitter`, `emitAsync`,
 * awaited) and marks them relayed; a failed delivery is retried with exponential backoff. A
 * pass runs when this process commits events (`nudge`) and every OUTBOX_POLL_INTERVAL_MS, so
 * events another process committed and never relayed (it died in between) are delivered by
 * whichever process polls first. Every role runs it.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Outbox');
  /** The context the relay was built in: no request, no transaction. A pass runs in it, whoever nudged. */
  private readonly detached = AsyncLocalStorage.snapshot();
  private readonly limit: LimitFunction;
  private state: 'starting' | 'running' | 'stopped' = 'starting';
  private poll?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private again = false;

  constructor(
    private readonly repository: OutboxRepository,
    private readonly emitter: EventEmitter2,
    private readonly readiness: EventEmitterReadinessWatcher,
    private readonly pino: PinoLogger,
    @Inject(outboxConfig.KEY) private readonly config: OutboxConfig,
  ) {
    this.limit = pLimit(config.concurrency);
  }

  onApplicationBootstrap(): void {
    // Not awaited: the listeners are subscribed in the event emitter module's own bootstrap
    // hook, which may run after this one. Relaying before would find nobody to deliver to.
    void this.readiness.waitUntilReady().then(
      () => this.start(),
      (error: unknown) => this.logger.error({ err: error }, 'Event listeners did not load; the outbox relay is off'),
    );
  }

  /** Stops between two batches: no pass starts after this. */
  onModuleDestroy(): void {
    this.state = 'stopped';
    clearInterval(this.poll);
  }

  /** Resolves once no pass is running (a process about to close its database waits for it: {@link OutboxDrain}). */
  async settled(): Promise<void> {
    while (this.pass) await this.pass;
  }

  /** Asks for a pass: now, or right after the one in progress. */
  nudge(): void {
    if (this.state !== 'running') return;
    this.again = true;
    this.pass ??= this.detached(() => this.drain()).finally(() => {
      this.pass = undefined;
      if (this.again) this.nudge();
    });
  }

  private start(): void {
    if (this.state !== 'starting') return;
    this.state = 'running';
    this.poll = setInterval(() => this.nudge(), this.config.pollIntervalMs).unref();
    this.nudge();
  }

  private async drain(): Promise<void> {
    while (this.again && this.state === 'running') {
      this.again = false;
      try {
        const claimed = await this.repository.relayDue(this.config.batchSize, (events) => this.deliverAll(events));
        if (claimed === this.config.batchSize) this.again = true;
      } catch (error) {
        // The database is likely unreachable: no retry loop here, the next poll tries again.
        this.again = false;
        this.logger.warn({ err: error }, 'Outbox relay pass failed; the next poll tries again');
      }
    }
  }

  private deliverAll(events: ClaimedOutboxEvent[]): Promise<DeliveryOutcome[]> {
    return Promise.all(events.map((event) => this.limit(() => this.deliver(event))));
  }

  /** In a logging context of its own, so the listeners' lines (and their tasks) carry the original request id. */
  private deliver(event: ClaimedOutboxEvent): Promise<DeliveryOutcome> {
    const bindings = { eventId: event.id, event: event.name, ...(event.requestId && { requestId: event.requestId }) };
    return this.pino.runInContext(
      async (): Promise<DeliveryOutcome> => {
        try {
          if (this.emitter.listenerCount(event.name) === 0) throw new NoListenerError(event.name);
          await withTimeout(this.emitter.emitAsync(event.name, event.payload), this.config.listenerTimeoutMs);
          return { id: event.id, relayed: true };
        } catch (error) {
          return this.failed(event, error);
        }
      },
      { bindings },
    );
  }

  private failed(event: ClaimedOutboxEvent, error: unknown): FailedDelivery {
    const attempts = event.attempts + 1;
    const retryInMs = backoffDelay(attempts, {
      baseDelayMs: OUTBOX_RETRY_BASE_DELAY_MS,
      maxDelayMs: this.config.retryMaxDelayMs,
    });
    const code =
      error instanceof NoListenerError
        ? OUTBOX_ERROR.noListener
        : error instanceof DomainError
          ? error.code
          : OUTBOX_ERROR.listenerFailed;
    // The payload stays out of the line: it names people. The event id finds the row.
    this.logger.error({ err: error, attempts, code, retryInMs }, 'Integration event not delivered; retrying later');
    return { id: event.id, relayed: false, error: code, retryInMs };
  }
}
