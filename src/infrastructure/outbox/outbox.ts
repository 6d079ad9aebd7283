import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { OutboxEvent } from './outbox-event.js';
import { OutboxRelay } from './outbox.relay.js';
import { OutboxRepository } from './outbox.repository.js';

/**
 * How application code publishes integration events: `add` stores them in the current
 * `UnitOfWork` transaction, next to the change they announce, so both commit or neither does.
 * Once the transaction commits, this process's relay is nudged to deliver them; if the process
 * dies first, any process's relay delivers them at its next poll.
 */
@Injectable()
export class Outbox {
  constructor(
    private readonly repository: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly unitOfWork: UnitOfWork,
    private readonly pino: PinoLogger,
  ) {}

  async add(events: OutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.repository.insert(events, this.requestId());
    this.unitOfWork.afterCommit(() => this.relay.nudge());
  }

  private requestId(): string | null {
    const id: unknown = this.pino.logger.bindings().requestId;
    return typeof id === 'string' ? id : null;
  }
}
