import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type OutboxConfig, outboxConfig } from '../config/outbox.config.js';
import {
  affectedRows,
  RetentionSweep,
  type RetentionSweeper,
  type SweepContext,
  type SweepCounts,
} from '../retention/retention-sweep.js';

const HOUR_MS = 3_600_000;

/**
 * Deletes relayed integration events OUTBOX_RETENTION_HOURS after their relay: past that they
 * only keep copies of personal data (a registration's email and name). Unrelayed events are
 * never touched, however old: they are still owed to their listeners.
 */
@Injectable()
@RetentionSweep({ name: 'outbox' })
export class OutboxRetentionSweep implements RetentionSweeper {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(outboxConfig.KEY) private readonly config: OutboxConfig,
  ) {}

  async sweep({ now, inBatches }: SweepContext): Promise<SweepCounts> {
    const relayedBefore = new Date(now.getTime() - this.config.retentionHours * HOUR_MS);
    const events = await inBatches(async (limit) =>
      affectedRows(
        await this.db.query(
          `DELETE FROM outbox_events WHERE id IN (
             SELECT id FROM outbox_events WHERE relayed_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
          [relayedBefore, limit],
        ),
      ),
    );
    return { events };
  }
}
