import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { TaskFailure, TaskStatus } from '../domain/task.js';

export const TASKS_IDEMPOTENCY_KEY_UNIQUE = 'tasks_idempotency_key_key';

/**
 * The `tasks` table. Persistence only; the adapter writes it with compare-and-set SQL.
 * Timestamps have millisecond precision, like the JS `Date` they are read into, so a value
 * read back compares equal (the reconciler's compare-and-set on `updated_at` relies on it).
 * The partial indexes serve the list filters (newest first) and the reconciler's scan of
 * unsettled tasks without growing with finished ones.
 */
@Entity({ name: 'tasks' })
@Check('tasks_status_check', `"status" IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')`)
@Check('tasks_progress_check', `"progress" BETWEEN 0 AND 100`)
@Index('tasks_status_id_idx', ['status', 'id'])
@Index('tasks_type_id_idx', ['type', 'id'])
@Index('tasks_unsettled_idx', ['updatedAt'], { where: `"status" IN ('queued', 'running')` })
export class TaskOrmEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  status: TaskStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'integer' })
  maxAttempts: number;

  @Column({ type: 'smallint', default: 0 })
  progress: number;

  @Column({ type: 'jsonb', nullable: true })
  result: unknown;

  @Column({ type: 'jsonb', nullable: true })
  error: TaskFailure | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  nextAttemptAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  cancelRequestedAt: Date | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @Column({ type: 'uuid', nullable: true })
  submittedBy: string | null;

  @Index(TASKS_IDEMPOTENCY_KEY_UNIQUE, { unique: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  idempotencyKey: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  requestHash: string | null;
}
