import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { EventEmitter2, type EventEmitterReadinessWatcher } from '@nestjs/event-emitter';
import type { PinoLogger } from 'nestjs-pino';
import { waitFor } from '../../../test/helpers/wait-for.js';
import { DomainError } from '../../shared/domain-error.js';
import type { OutboxConfig } from '../config/outbox.config.js';
import type { ClaimedOutboxEvent, DeliveryOutcome, IntegrationEventPayload } from './outbox-event.js';
import { OUTBOX_ERROR, OUTBOX_RETRY_BASE_DELAY_MS, OutboxRelay } from './outbox.relay.js';
import type { OutboxRepository } from './outbox.repository.js';

const CONFIG: OutboxConfig = {
  pollIntervalMs: 3_600_000,
  batchSize: 2,
  concurrency: 2,
  listenerTimeoutMs: 200,
  retryMaxDelayMs: 60_000,
  retentionHours: 24,
};

/** The table as the relay sees it: due events, claimed `limit` at a time; every outcome recorded. */
class FakeOutboxRepository {
  readonly due: ClaimedOutboxEvent[] = [];
  readonly outcomes: DeliveryOutcome[] = [];
  passes = 0;
  failNext?: Error;

  async relayDue(limit: number, deliver: (events: ClaimedOutboxEvent[]) => Promise<DeliveryOutcome[]>) {
    this.passes++;
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    const batch = this.due.splice(0, limit);
    if (batch.length > 0) this.outcomes.push(...(await deliver(batch)));
    return batch.length;
  }
}

class ListenerRefused extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'TESTS.REFUSED';
}

let sequence = 0;
function event(name: string, attempts = 0): ClaimedOutboxEvent {
  const id = `01936f5e-0000-7000-8000-${String(++sequence).padStart(12, '0')}`;
  const payload: IntegrationEventPayload & { email: string } = { eventId: id, email: 'ada@example.com' };
  return { id, name, payload, requestId: 'request-0001', attempts };
}

function setup(ready: Promise<void> = Promise.resolve()) {
  const repository = new FakeOutboxRepository();
  const emitter = new EventEmitter2();
  const contexts: Record<string, unknown>[] = [];
  const pino = {
    runInContext: <T>(fn: () => T, options: { bindings: Record<string, unknown> }) => {
      contexts.push(options.bindings);
      return fn();
    },
  };
  const relay = new OutboxRelay(
    repository as unknown as OutboxRepository,
    emitter,
    { waitUntilReady: () => ready } as EventEmitterReadinessWatcher,
    pino as unknown as PinoLogger,
    CONFIG,
  );
  return { repository, emitter, relay, contexts };
}

const retryIn = (outcome: DeliveryOutcome) => (outcome.relayed ? 0 : outcome.retryInMs);

const outcomesOf = (repository: FakeOutboxRepository, count: number) =>
  waitFor(
    `${count} outcomes`,
    () => repository.outcomes,
    (outcomes) => outcomes.length >= count,
    { timeoutMs: 5000, intervalMs: 5 },
  );

describe('OutboxRelay', () => {
  let relay: OutboxRelay | undefined;
  let errors: ReturnType<typeof jest.spyOn>;
  beforeEach(() => {
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    relay?.onModuleDestroy();
    await relay?.settled();
    jest.restoreAllMocks();
  });

  it('delivers every due event to all its listeners, awaiting them, batch after batch, and marks each relayed', async () => {
    const t = setup();
    relay = t.relay;
    const seen: string[] = [];
    t.emitter.on('users.registered', async (payload: { eventId: string }) => {
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(`a:${payload.eventId}`);
    });
    t.emitter.on('users.registered', (payload: { eventId: string }) => {
      seen.push(`b:${payload.eventId}`);
    });
    const events = [event('users.registered'), event('users.registered'), event('users.registered')];
    t.repository.due.push(...events);

    t.relay.onApplicationBootstrap();

    const outcomes = await outcomesOf(t.repository, 3);
    expect(outcomes).toEqual(events.map((e) => ({ id: e.id, relayed: true })));
    // Relayed only once both listeners had finished with the event.
    expect(seen.sort()).toEqual(events.flatMap((e) => [`a:${e.id}`, `b:${e.id}`]).sort());
    // A full batch (2) made it look again at once, without waiting for a poll.
    expect(t.repository.passes).toBeGreaterThanOrEqual(2);
  });

  it("runs each delivery in a logging context bound to the event and its request's id", async () => {
    const t = setup();
    relay = t.relay;
    t.emitter.on('users.registered', () => undefined);
    const stored = event('users.registered');
    t.repository.due.push(stored, { ...event('users.registered'), requestId: null });

    t.relay.onApplicationBootstrap();
    await outcomesOf(t.repository, 2);

    expect(t.contexts).toEqual([
      { eventId: stored.id, event: 'users.registered', requestId: 'request-0001' },
      { eventId: expect.any(String), event: 'users.registered' },
    ]);
  });

  it('records a failed delivery with a stable code and a backoff that grows with its attempts, and logs no payload', async () => {
    const t = setup();
    relay = t.relay;
    t.emitter.on('users.registered', () => {
      throw new Error('profile store down');
    });
    t.emitter.on('users.refused', () => Promise.reject(new ListenerRefused('no')));
    const first = event('users.registered', 0);
    const fifth = event('users.refused', 4);
    t.repository.due.push(first, fifth);

    t.relay.onApplicationBootstrap();
    const [failed, refused] = await outcomesOf(t.repository, 2);

    expect(failed).toEqual({
      id: first.id,
      relayed: false,
      error: OUTBOX_ERROR.listenerFailed,
      retryInMs: expect.any(Number),
    });
    expect(refused).toEqual({ id: fifth.id, relayed: false, error: 'TESTS.REFUSED', retryInMs: expect.any(Number) });
    // Attempt 1: between half and all of the base delay; attempt 5: of 16 times the base.
    expect(retryIn(failed)).toBeGreaterThanOrEqual(OUTBOX_RETRY_BASE_DELAY_MS / 2);
    expect(retryIn(failed)).toBeLessThanOrEqual(OUTBOX_RETRY_BASE_DELAY_MS);
    expect(retryIn(refused)).toBeGreaterThanOrEqual(8 * OUTBOX_RETRY_BASE_DELAY_MS);
    expect(retryIn(refused)).toBeLessThanOrEqual(16 * OUTBOX_RETRY_BASE_DELAY_MS);

    expect(errors).toHaveBeenCalledTimes(2);
    expect(errors.mock.calls[0][0]).toMatchObject({ attempts: 1, code: OUTBOX_ERROR.listenerFailed });
    expect(JSON.stringify(errors.mock.calls)).not.toContain('ada@example.com');
  });

  it('caps the backoff at OUTBOX_RETRY_MAX_DELAY_MS', async () => {
    const t = setup();
    relay = t.relay;
    t.emitter.on('users.registered', () => Promise.reject(new Error('down')));
    t.repository.due.push(event('users.registered', 40));

    t.relay.onApplicationBootstrap();
    const [outcome] = await outcomesOf(t.repository, 1);

    expect(outcome.relayed).toBe(false);
    expect(outcome.relayed === false && outcome.retryInMs).toBeLessThanOrEqual(CONFIG.retryMaxDelayMs);
  });

  it('does not count an event as relayed when nothing listens to it', async () => {
    const t = setup();
    relay = t.relay;
    const orphan = event('users.nobody-listens');
    t.repository.due.push(orphan);

    t.relay.onApplicationBootstrap();

    expect(await outcomesOf(t.repository, 1)).toEqual([
      { id: orphan.id, relayed: false, error: OUTBOX_ERROR.noListener, retryInMs: expect.any(Number) },
    ]);
  });

  it('counts a listener that does not finish within OUTBOX_LISTENER_TIMEOUT_MS as failed', async () => {
    const t = setup();
    relay = t.relay;
    let release!: () => void;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    t.emitter.on('users.registered', () => hanging);
    const stuck = event('users.registered');
    t.repository.due.push(stuck);

    t.relay.onApplicationBootstrap();
    const [outcome] = await outcomesOf(t.repository, 1);
    release();

    expect(outcome).toMatchObject({ id: stuck.id, relayed: false, error: OUTBOX_ERROR.listenerFailed });
  });

  it('relays nothing before the listeners are subscribed, however often it is nudged', async () => {
    let listenersReady!: () => void;
    const t = setup(new Promise<void>((resolve) => (listenersReady = resolve)));
    relay = t.relay;
    t.emitter.on('users.registered', () => undefined);
    t.repository.due.push(event('users.registered'));

    t.relay.onApplicationBootstrap();
    t.relay.nudge();
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.repository.passes).toBe(0);

    listenersReady();
    expect(await outcomesOf(t.repository, 1)).toEqual([expect.objectContaining({ relayed: true })]);
  });

  it('after a failed pass, waits for the next nudge (no retry loop), then relays', async () => {
    const t = setup();
    relay = t.relay;
    t.emitter.on('users.registered', () => undefined);
    t.repository.due.push(event('users.registered'));
    t.repository.failNext = new Error('connection refused');

    t.relay.onApplicationBootstrap();
    await waitFor(
      'the failed pass',
      () => t.repository.passes,
      (passes) => passes === 1,
      { intervalMs: 5 },
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.repository.passes).toBe(1);
    expect(t.repository.outcomes).toEqual([]);

    t.relay.nudge();
    expect(await outcomesOf(t.repository, 1)).toEqual([expect.objectContaining({ relayed: true })]);
  });

  it('at shutdown, finishes the batch in progress and starts no other', async () => {
    const t = setup();
    relay = t.relay;
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    t.emitter.on('users.registered', () => {
      started++;
      return slow;
    });
    t.repository.due.push(event('users.registered'), event('users.registered'), event('users.registered'));

    t.relay.onApplicationBootstrap();
    await waitFor(
      'the first batch to start',
      () => started,
      (count) => count === 2,
      { intervalMs: 5 },
    );
    t.relay.onModuleDestroy();
    const settled = t.relay.settled();
    release();
    await settled;
    t.relay.nudge();

    expect(t.repository.outcomes).toEqual([
      expect.objectContaining({ relayed: true }),
      expect.objectContaining({ relayed: true }),
    ]);
    expect(t.repository.due).toHaveLength(1);
    expect(t.repository.passes).toBe(1);
  });
});
