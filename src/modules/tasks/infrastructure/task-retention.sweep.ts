import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type TasksConfig, tasksConfig } from '../../../infrastructure/config/tasks.config.js';
import {
  affectedRows,
  RetentionSweep,
  type RetentionSweeper,
  type SweepContext,
  type SweepCounts,
} from '../../../infrastructure/retention/retention-sweep.js';

const DAY_MS = 86_400_000;

/**
 * Deletes finished tasks (succeeded, failed, cancelled) TASK_RETENTION_DAYS after they
 * finished, and frees idempotency keys whose replay window is over, so the key can name a new
 * task; the task itself stays. Queued and running tasks are never touched, however old.
 */
@Injectable()
@RetentionSweep({ name: 'tasks' })
export class TaskRetentionSweep implements RetentionSweeper {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(tasksConfig.KEY) private readonly config: TasksConfig,
  ) {}

  async sweep({ now, inBatches }: SweepContext): Promise<SweepCounts> {
    const finishedBefore = new Date(now.getTime() - this.config.retentionDays * DAY_MS);
    const tasks = await inBatches((limit) =>
      this.touch(
        `DELETE FROM tasks WHERE id IN (
           SELECT id FROM tasks WHERE status IN ('succeeded', 'failed', 'cancelled') AND finished_at < $1
           LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        finishedBefore,
        limit,
      ),
    );
    const idempotencyKeys = await inBatches((limit) =>
      this.touch(
        `UPDATE tasks SET idempotency_key = NULL, idempotency_expires_at = NULL WHERE id IN (
           SELECT id FROM tasks WHERE idempotency_key IS NOT NULL AND idempotency_expires_at < $1
           LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        now,
        limit,
      ),
    );
    return { tasks, idempotencyKeys };
  }

  private async touch(sql: string, cutoff: Date, limit: number): Promise<number> {
    return affectedRows(await this.db.query(sql, [cutoff, limit]));
  }
}
