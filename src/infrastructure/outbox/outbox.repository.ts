import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { ClaimedOutboxEvent, DeliveryOutcome, FailedDelivery, OutboxEvent } from './outbox-event.js';

/** The `outbox_events` table: writes inside the caller's transaction, claims for the relay. */
@Injectable()
export class OutboxRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * Stores events in the current `UnitOfWork` transaction, and refuses to run outside one: on
   * its own connection the row would commit (or fail) apart from the change it announces.
   */
  async insert(events: OutboxEvent[], requestId: string | null): Promise<void> {
    const manager = this.unitOfWork.manager;
    if (!manager.queryRunner?.isTransactionActive)
      throw new Error('Outbox events are stored inside UnitOfWork.run, with the change that causes them');
    await manager.query(
      `INSERT INTO outbox_events (id, name, payload, request_id)
       SELECT id, name, payload, $4 FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) AS e(id, name, payload)`,
      [
        events.map((event) => event.payload.eventId),
        events.map((event) => event.name),
        events.map((event) => JSON.stringify(event.payload)),
        requestId,
      ],
    );
  }

  /**
   * Claims up to `limit` due events (`FOR UPDATE SKIP LOCKED`: another relay skips them) in a
   * transaction held while `deliver` runs, records every outcome and commits. A process that
   * dies meanwhile loses its connection, PostgreSQL rolls the claim back, and the events are
   * due again for any relay: delivery is at least once. Answers how many events it claimed.
   */
  async relayDue(
    limit: number,
    deliver: (events: ClaimedOutboxEvent[]) => Promise<DeliveryOutcome[]>,
  ): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const events: ClaimedOutboxEvent[] = await runner.query(
        `SELECT id, name, payload, request_id AS "requestId", attempts FROM outbox_events
         WHERE relayed_at IS NULL AND next_attempt_at <= now()
         ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (events.length > 0) await this.record(runner, await deliver(events));
      await runner.commitTransaction();
      return events.length;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async record(runner: QueryRunner, outcomes: DeliveryOutcome[]): Promise<void> {
    const relayed = outcomes.filter((outcome) => outcome.relayed).map((outcome) => outcome.id);
    const failed = outcomes.filter((outcome): outcome is FailedDelivery => !outcome.relayed);
    if (relayed.length > 0)
      await runner.query(
        `UPDATE outbox_events SET relayed_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])`,
        [relayed],
      );
    if (failed.length > 0)
      await runner.query(
        `UPDATE outbox_events AS o
         SET attempts = o.attempts + 1, last_error = f.error, next_attempt_at = now() + f.delay_ms * interval '1 millisecond'
         FROM unnest($1::uuid[], $2::text[], $3::int[]) AS f(id, error, delay_ms) WHERE o.id = f.id`,
        [
          failed.map((outcome) => outcome.id),
          failed.map((outcome) => outcome.error),
          failed.map((outcome) => outcome.retryInMs),
        ],
      );
  }
}
