import type { Outbox } from '../../src/infrastructure/outbox/outbox.js';
import type { OutboxEvent } from '../../src/infrastructure/outbox/outbox-event.js';
import type { FakeUnitOfWork } from './fake-unit-of-work.js';

/**
 * `Outbox` without a database, for unit tests of handlers that publish integration events:
 * `added` holds what the handler stored, `committed` what its unit of work then committed
 * (the events of a unit of work that failed never get there), as the real outbox's rows would.
 */
export class RecordingOutbox {
  readonly added: OutboxEvent[] = [];
  readonly committed: OutboxEvent[] = [];

  constructor(
    private readonly unitOfWork: FakeUnitOfWork,
    private readonly log: string[] = [],
  ) {}

  async add(events: OutboxEvent[]): Promise<void> {
    this.log.push('outbox');
    this.added.push(...events);
    this.unitOfWork.afterCommit(() => this.committed.push(...events));
  }

  asOutbox(): Outbox {
    return this as unknown as Outbox;
  }
}
